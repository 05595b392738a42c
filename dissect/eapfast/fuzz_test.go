package eapfast

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

// seedPayloads are real phase-2 payloads: the RFC 4851 Crypto-Binding TLV,
// hostapd's PAC request and acknowledgement layouts, and one TLV of every
// type this package builds.
func seedPayloads() [][]byte {
	var all []byte
	out := [][]byte{
		rfcCryptoBinding,
		unhex("00130002000100" + "0b0006000a00020001"),
		unhex("800b000600080002" + "0001"),
	}
	for _, v := range sampleValues() {
		b := v.Marshal()
		out = append(out, b)
		all = append(all, b...)
	}
	return append(out, all)
}

func checkTyped(t *testing.T, err error) {
	t.Helper()
	if err != nil && dissect.KindOf(err) == 0 {
		t.Fatalf("untyped error %v", err)
	}
}

// FuzzParse: any payload through Parse and Decode. The TLVs must tile the
// input, re-encode to their own bytes, and every decoded value must
// encode to a TLV that decodes to the same value.
func FuzzParse(f *testing.F) {
	for _, s := range seedPayloads() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tlvs, err := Parse(b)
		checkTyped(t, err)
		var joined []byte
		for _, tl := range tlvs {
			joined = append(joined, tl.Raw...)
			if m := tl.Marshal(); !bytes.Equal(m, tl.Raw) {
				t.Fatalf("TLV re-encodes to %x, was %x", m, tl.Raw)
			}
		}
		if !bytes.HasPrefix(b, joined) || (err == nil && len(joined) != len(b)) {
			t.Fatalf("TLVs do not tile the input")
		}
		_, _, verr := ParseValues(b)
		checkTyped(t, verr)
		for _, tl := range tlvs {
			v, err := Decode(tl)
			checkTyped(t, err)
			if err != nil {
				continue
			}
			enc := v.Marshal()
			if enc == nil {
				t.Fatalf("%T decoded but does not encode", v)
			}
			again, err := Parse(enc)
			if err != nil || len(again) != 1 {
				t.Fatalf("%T encodes to unparseable %x", v, enc)
			}
			v2, err := Decode(again[0])
			if err != nil {
				t.Fatalf("%T re-decode: %v", v, err)
			}
			if !reflect.DeepEqual(normalize(v), normalize(v2)) {
				t.Fatalf("%T round trip\n%#v\n%#v", v, v, v2)
			}
			switch v.(type) {
			case *Result, *Error, *CryptoBinding, *IdentityType, *RequestAction, *VendorSpecific, *PKCS7, *NAK, *IntermediateResult, *EAPPayload:
				// No canonical reordering: the value bytes come back as sent.
				if !bytes.Equal(enc[2:], tl.Raw[2:]) {
					t.Fatalf("%T value changed: %x -> %x", v, tl.Raw, enc)
				}
			}
			if cb, ok := v.(*CryptoBinding); ok { // any bytes through the MAC check
				_ = VerifyCompoundMAC(cb.Nonce[:20], tl.Raw)
			}
		}
	})
}

// hostapdPACInfo is a PAC-Info that hostapd's EAP-FAST server issued
// (PAC-Lifetime, A-ID "sscope-fastpac-a", I-ID "alice", A-ID-Info
// "fastpac test", PAC-Type 1), as wpa_supplicant stored it.
const hostapdPACInfo = "000300046b0db473000400107373636f70652d666173747061632d6100050005616c696365" +
	"0007000c666173747061632074657374000a00020001"

// FuzzPAC: any bytes as the value of a PAC TLV and as a PAC-Info.
func FuzzPAC(f *testing.F) {
	for _, v := range sampleValues() {
		if p, ok := v.(*PAC); ok {
			f.Add(p.Marshal()[4:])
			f.Add(p.Info.Marshal())
		}
	}
	f.Add(unhex(hostapdPACInfo))
	f.Add(unhex("00080002" + "0001"))
	f.Add(unhex("000a00020003"))
	f.Fuzz(func(t *testing.T, v []byte) {
		var p PAC
		err := p.decode(v)
		checkTyped(t, err)
		if err == nil {
			enc := p.Marshal()
			if len(v) <= maxValueLen-4 && enc == nil {
				t.Fatal("decoded PAC does not encode")
			}
			if enc != nil {
				var back PAC
				if err := back.Unmarshal(enc); err != nil || !reflect.DeepEqual(back, p) {
					t.Fatalf("round trip %+v -> %+v (%v)", p, back, err)
				}
			}
		}
		info, err := ParsePACInfo(v)
		checkTyped(t, err)
		if err == nil {
			back, err := ParsePACInfo(info.Marshal())
			if err != nil || !reflect.DeepEqual(back, info) {
				t.Fatalf("PAC-Info round trip %+v -> %+v (%v)", info, back, err)
			}
		}
	})
}

// FuzzPACFile: any bytes as a PAC file, text or binary.
func FuzzPACFile(f *testing.F) {
	f.Add([]byte(hostapdPACFile))
	f.Add([]byte(PACFileHeader + "\nSTART\nPAC-Type=3\nPAC-Opaque=00\nEND\n"))
	f.Add(append([]byte{0x6a, 0xe4, 0x92, 0x0c, 0, 0, 0, 1}, make([]byte, 36)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := ParsePACFile(b)
		checkTyped(t, err)
		for _, e := range es {
			if e.Key != nil && len(e.Key) != PACKeyLen {
				t.Fatalf("PAC-Key of %d bytes returned", len(e.Key))
			}
		}
	})
}
