package radiusconv

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/timeline"
	"github.com/sessionscope/sscope/correlate/tlsdecrypt"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/eapfast"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/dissect/ttls"
)

// realPhase2 returns the decrypted phase-2 records of the lab's EAP-FAST
// capture (hostapd and eapol_test), as the peers logged them.
func realPhase2(f *testing.F) [][]byte {
	raw, err := os.ReadFile("../../samples/lab/captures/F-prov.truth.json")
	if err != nil {
		return nil
	}
	var truth struct {
		Authentications []struct {
			Phase2Records []struct {
				Plaintext string `json:"plaintext"`
			} `json:"phase2_records"`
		} `json:"authentications"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	for _, a := range truth.Authentications {
		for _, r := range a.Phase2Records {
			if b, err := hex.DecodeString(r.Plaintext); err == nil {
				out = append(out, b)
			}
		}
	}
	return out
}

var phase2Methods = []eap.Type{eap.TypeFAST, eap.TypePEAP, eap.TypeTTLS, eap.TypeTLS}

// FuzzPhase2 feeds decrypted phase-2 messages of any content to the
// dissectors of the tunnel methods, in a sequence, with and without the
// tunnel's keys. Nothing may panic, and the report built afterwards stays
// within its closed enumerations.
func FuzzPhase2(f *testing.F) {
	for _, b := range realPhase2(f) {
		f.Add(b, byte(0), byte(1))
	}
	peapResult := (&eap.Packet{Code: eap.CodeRequest, Identifier: 9, Type: eap.TypeMSAuthTLV, Data: eapfast.Result{Status: eapfast.StatusSuccess}.Marshal()}).Marshal()
	f.Add(peapResult, byte(1), byte(0))
	f.Add([]byte{1}, byte(1), byte(0))
	f.Add([]byte{1, 'a', 'l', 'i', 'c', 'e'}, byte(5), byte(0))
	f.Add([]byte("\x1a\x04\x07\x00\x2eE=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=bad"), byte(1), byte(0))
	avps, _ := ttls.Marshal([]ttls.AVP{{Code: ttls.CodeUserName, Data: []byte("bob")}, {Code: ttls.CodeUserPassword, Data: []byte("pw")}})
	f.Add(avps, byte(6), byte(0))
	f.Fuzz(func(t *testing.T, data []byte, sel, split byte) {
		p := newPhase2Test(t, sel&0x10 != 0)
		c := p.c
		c.obsMethod = phase2Methods[int(sel)%len(phase2Methods)]
		c.method = c.obsMethod
		dir := flow.Dir(sel>>2) & 1
		// One message, or two halves in turn from each side.
		cut := len(data)
		if split > 0 && len(data) > 0 {
			cut = int(split) % len(data)
		}
		for i, part := range [][]byte{data[:cut], data[cut:]} {
			if len(part) == 0 {
				continue
			}
			at := flow.Ref{Frame: uint64(i + 1), Time: time.Unix(1700000000, 0)}
			c.phase2(dir^flow.Dir(i), part, at, uint8(sel))
		}
		c.fastOuterResult(eap.CodeSuccess, flow.Ref{Frame: 3})
		fr := p.finish()
		e := c.eapReport()
		if len(e.InnerIdentities) > maxInner || len(e.InnerMethods) > maxInner || len(fr.PACs) > maxPACsSeen {
			t.Fatalf("caps exceeded: %d %d %d", len(e.InnerIdentities), len(e.InnerMethods), len(fr.PACs))
		}
		allowed := map[string]bool{"none": true, "both-succeeded": true, "user-failed-machine-succeeded": true,
			"machine-failed-user-succeeded": true, "both-failed": true, "unknown": true}
		if !allowed[fr.Chaining] {
			t.Fatalf("chaining %q", fr.Chaining)
		}
		types := map[string]bool{"tunnel": true, "machine": true, "user-authorization": true, "machine-authorization": true, "trustsec": true, "unknown": true}
		for _, x := range append(append([]string{}, fr.PACsPresented...), fr.PACsProvisioned...) {
			if !types[x] {
				t.Fatalf("PAC type %q", x)
			}
		}
		for _, s := range fr.PACs {
			if !types[s.Type] || s.Key != nil && *s.Key != report.Redacted {
				t.Fatalf("PAC %+v", s)
			}
		}
		if r := e.PEAP; r != nil && r.ResultTLV != nil && *r.ResultTLV != "success" && *r.ResultTLV != "failure" {
			t.Fatalf("Result TLV %q", *r.ResultTLV)
		}
	})
}

// FuzzTunnelRecords hands arbitrary TLS data, cut into EAP-TLS messages
// anywhere, to a conversation that decrypts: records split across
// messages, garbage, protected records without keys. Nothing may panic,
// no record may be kept past the cap, and every handshake gets a
// decryption status.
func FuzzTunnelRecords(f *testing.F) {
	hello := tlsd.Record{Type: tlsd.ContentHandshake, Version: tlsd.VersionTLS12,
		Fragment: tlsd.MarshalHandshake(tlsd.HandshakeTypeClientHello, (&tlsd.ClientHello{Version: tlsd.VersionTLS12, CipherSuites: []uint16{0xc02f}, CompressionMethods: []uint8{0}}).Marshal(false))}.Marshal(false)
	ccs := tlsd.Record{Type: tlsd.ContentChangeCipherSpec, Version: tlsd.VersionTLS12, Fragment: []byte{1}}.Marshal(false)
	app := tlsd.Record{Type: tlsd.ContentApplicationData, Version: tlsd.VersionTLS12, Fragment: make([]byte, 40)}.Marshal(false)
	f.Add(append(append(append([]byte{}, hello...), ccs...), app...), byte(7), byte(0))
	f.Add([]byte{0x80, 0x2e, 0x01, 0x03, 0x01}, byte(0), byte(1))
	f.Fuzz(func(t *testing.T, data []byte, cut, sel byte) {
		store := keys.NewStore()
		store.AddKeyLog([]byte("CLIENT_RANDOM "+strings.Repeat("00", 32)+" "+strings.Repeat("11", 48)+"\n"), "fuzz")
		tr := New(Options{Emit: func(*report.Session) {}, NewID: func(string) string { return "eap-1" },
			Decrypt: &Decryption{Keys: store, Sessions: tlsdecrypt.NewSessionCache(4), PACs: NewPACBook(nil)}})
		c := &conversation{base: base{t: tr}}
		c.b = timeline.New(report.KindRADIUSEAP, "eap-1")
		c.newObserver(phase2Methods[int(sel)%len(phase2Methods)])
		if c.tun == nil {
			t.Fatal("no tunnel with keys")
		}
		n := int(cut)%8 + 1
		for i := 0; len(data) > 0; i++ {
			k := min(len(data), n+i%5)
			c.feedTLS(flow.Dir(i&1), data[:k], flow.Ref{Frame: uint64(i + 1)}, uint8(i))
			data = data[k:]
			for _, p := range c.tun.pending {
				if len(p) > maxPendingRecord {
					t.Fatalf("%d bytes pending", len(p))
				}
			}
		}
		c.closeTLS(true)
		for _, h := range c.handshakes {
			if h.Decryption == nil {
				t.Fatal("a handshake without decryption status")
			}
		}
	})
}
