package ttls

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

// A PAP phase 2 as RFC 5281 section 11.2.5 lays it out: User-Name and
// User-Password, each padded to four octets; then an MS-CHAP-V2 one.
func sampleAVPs() [][]AVP {
	return [][]AVP{
		{{Code: CodeUserName, Mandatory: true, Data: []byte("alice")}, {Code: CodeUserPassword, Mandatory: true, Data: []byte("hunter2\x00\x00\x00\x00\x00\x00\x00\x00\x00")}},
		{{Code: CodeUserName, Mandatory: true, Data: []byte("bob")},
			{Code: MSCHAPChallenge, VendorID: VendorMicrosoft, Mandatory: true, Data: bytes.Repeat([]byte{0xc1}, 16)},
			{Code: MSCHAP2Response, VendorID: VendorMicrosoft, Mandatory: true, Data: bytes.Repeat([]byte{0x2a}, 50)}},
		{{Code: CodeEAPMessage, Mandatory: true, Data: []byte{2, 7, 0, 10, 1, 'a', 'l', 'i', 'c', 'e'}}},
	}
}

func TestRoundTripAndInnerMethod(t *testing.T) {
	want := []string{"PAP", "MS-CHAP-V2", ""}
	for i, avps := range sampleAVPs() {
		b, err := Marshal(avps)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(b)
		if err != nil || len(got) != len(avps) {
			t.Fatalf("%d: %v, %d AVPs", i, err, len(got))
		}
		method := ""
		for j, a := range got {
			if a.Code != avps[j].Code || a.VendorID != avps[j].VendorID || !bytes.Equal(a.Data, avps[j].Data) || !a.Mandatory {
				t.Errorf("%d/%d: %+v, want %+v", i, j, a, avps[j])
			}
			if m := InnerMethod(a); m != "" {
				method = m
			}
		}
		if method != want[i] {
			t.Errorf("%d: inner method %q, want %q", i, method, want[i])
		}
	}
	if n := (AVP{Code: MSCHAP2Response, VendorID: VendorMicrosoft}).Name(); n != "MS-CHAP2-Response" {
		t.Errorf("name %q", n)
	}
	if n := (AVP{Code: 99, VendorID: 9}).Name(); n != "AVP-9-99" {
		t.Errorf("name %q", n)
	}
}

// TestParseKnownBytes reads a User-Name AVP written by hand from RFC 5281
// section 10.1: code 1, flags M, length 13, "alice", three octets of
// padding, then an EAP-Message AVP.
func TestParseKnownBytes(t *testing.T) {
	b, _ := hex.DecodeString("00000001" + "40" + "00000d" + "616c696365" + "000000" + "0000004f" + "40" + "00000d" + "0201000501")
	avps, err := Parse(b)
	if err != nil || len(avps) != 2 || string(avps[0].Data) != "alice" || avps[1].Name() != "EAP-Message" || len(avps[1].Data) != 5 {
		t.Fatalf("%+v %v", avps, err)
	}
	for _, bad := range []string{"00000001400000", "0000000140000004", "00000001c000000c0000", "000000014000000d616c"} {
		b, _ := hex.DecodeString(bad)
		if _, err := Parse(b); err == nil {
			t.Errorf("%s parsed", bad)
		} else if k := dissect.KindOf(err); k != dissect.Truncated && k != dissect.Malformed {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// FuzzParse: no input panics; what parses marshals back to bytes that
// parse to the same AVPs.
func FuzzParse(f *testing.F) {
	for _, avps := range sampleAVPs() {
		b, _ := Marshal(avps)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		avps, err := Parse(data)
		if err != nil {
			return
		}
		b, err := Marshal(avps)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(b)
		if err != nil || len(again) != len(avps) {
			t.Fatalf("re-parse: %v, %d of %d", err, len(again), len(avps))
		}
		for i := range avps {
			if again[i].Code != avps[i].Code || again[i].VendorID != avps[i].VendorID || !bytes.Equal(again[i].Data, avps[i].Data) {
				t.Fatalf("AVP %d changed: %+v -> %+v", i, avps[i], again[i])
			}
		}
	})
}
