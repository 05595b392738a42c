package fastpac

import (
	"bytes"
	"testing"

	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
)

// FuzzOpen: any bytes as a PAC-Opaque presented to the server (bare or in
// its SessionTicket attribute). Only the sealed one may open.
func FuzzOpen(f *testing.F) {
	iss, err := NewIssuer([]byte("0123456789abcdef"), []byte("x"), detrand.New("fuzz"))
	if err != nil {
		f.Fatal(err)
	}
	op, err := iss.Sealer.Seal(Contents{Type: eapfast.PACTypeTunnel, Key: make([]byte, 32), Identity: "alice", Expiry: testNow})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(op)
	f.Add(eapfast.SessionTicketPAC(op))
	f.Fuzz(func(t *testing.T, b []byte) {
		opaque, _ := eapfast.PACOpaqueFromSessionTicket(b)
		c, err := iss.Sealer.Open(opaque)
		if err == nil && !bytes.Equal(opaque, op) {
			t.Fatalf("forged PAC-Opaque accepted: %+v", c)
		}
	})
}
