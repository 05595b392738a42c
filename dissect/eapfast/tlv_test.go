package eapfast

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

// samplePhase2 builds a payload with one TLV of every type this package
// knows, and returns the values in order.
func sampleValues() []Value {
	var nonce [32]byte
	for i := range nonce {
		nonce[i] = byte(i * 7)
	}
	cb := CryptoBinding{Version: 1, ReceivedVersion: 1, SubType: CryptoBindingRequest, Nonce: ServerNonce(nonce)}
	cb.Sign(bytes.Repeat([]byte{9}, 20))
	identityReq := []byte{1, 3, 0, 5, 1} // EAP-Request/Identity
	return []Value{
		&IdentityType{Identity: IdentityUser},
		&EAPPayload{Packet: identityReq},
		&IntermediateResult{Status: StatusSuccess, TLVs: []TLV{{Type: 99, Value: []byte{1}}}},
		&cb,
		&Result{Status: StatusFailure},
		&NAK{VendorID: 9, NAKType: 21, TLVs: []TLV{{Mandatory: true, Type: TypeResult, Value: []byte{0, 1}}}},
		&Error{Code: ErrorUnexpectedTLVsExchanged},
		&VendorSpecific{Mandatory: true, VendorID: 9, Data: []byte{0, 1, 0, 0}},
		&RequestAction{Mandatory: true, Action: ActionProcessTLV},
		&PAC{Mandatory: true, Key: bytes.Repeat([]byte{0x11}, 32), Opaque: []byte("opaque"),
			Info: &PACInfo{Lifetime: 1700000000, AID: []byte("aid"), IID: []byte("alice"), AIDInfo: []byte("lab"), Type: PACTypeUserAuthorization}},
		&ServerTrustedRoot{CredentialFormat: CredentialFormatPKCS7, TLVs: []TLV{{Type: TypePKCS7, Value: []byte{0x30, 0}}}},
		&PKCS7{Data: []byte{0x30, 0x03, 1, 2, 3}},
	}
}

func TestParseAndDecodeEveryType(t *testing.T) {
	vals := sampleValues()
	var payload []byte
	for _, v := range vals {
		b := v.Marshal()
		if b == nil {
			t.Fatalf("%T did not marshal", v)
		}
		payload = append(payload, b...)
	}
	tlvs, got, err := ParseValues(payload)
	if err != nil {
		t.Fatal(err)
	}
	if len(tlvs) != len(vals) || len(got) != len(vals) {
		t.Fatalf("%d TLVs, %d values", len(tlvs), len(got))
	}
	off := 0
	for i, v := range vals {
		if tlvs[i].Type != v.TLVType() {
			t.Errorf("TLV %d type %s, want %s", i, tlvs[i].Type, v.TLVType())
		}
		if !bytes.Equal(tlvs[i].Raw, payload[off:off+len(tlvs[i].Raw)]) {
			t.Errorf("TLV %d Raw does not alias its bytes", i)
		}
		off += len(tlvs[i].Raw)
		if !reflect.DeepEqual(normalize(got[i]), normalize(v)) {
			t.Errorf("TLV %d decoded %#v, want %#v", i, got[i], v)
		}
		// Unmarshal on the typed value agrees with Decode.
		fresh := reflect.New(reflect.TypeOf(v).Elem()).Interface().(interface{ Unmarshal([]byte) error })
		if err := fresh.Unmarshal(tlvs[i].Raw); err != nil {
			t.Errorf("%T.Unmarshal: %v", v, err)
		}
		if !reflect.DeepEqual(normalize(fresh.(Value)), normalize(v)) {
			t.Errorf("%T.Unmarshal gave %#v", v, fresh)
		}
	}
	// Header bits as the RFCs want them.
	wantM := map[TLVType]bool{TypeResult: true, TypeNAK: true, TypeError: true, TypeEAPPayload: true,
		TypeIntermediateResult: true, TypeCryptoBinding: true, TypeIdentityType: false, TypePKCS7: false}
	for _, tl := range tlvs {
		if m, ok := wantM[tl.Type]; ok && tl.Mandatory != m {
			t.Errorf("%s M bit %v", tl.Type, tl.Mandatory)
		}
		if tl.Reserved {
			t.Errorf("%s R bit set", tl.Type)
		}
	}
}

// normalize clears the raw bytes nested TLVs keep, which values built in
// memory do not have.
func normalize(v Value) Value {
	clear := func(ts []TLV) []TLV {
		out := make([]TLV, len(ts))
		for i, t := range ts {
			t.Raw = nil
			out[i] = t
		}
		return out
	}
	switch x := v.(type) {
	case *IntermediateResult:
		c := *x
		c.TLVs = clear(c.TLVs)
		return &c
	case *NAK:
		c := *x
		c.TLVs = clear(c.TLVs)
		return &c
	case *EAPPayload:
		c := *x
		c.TLVs = clear(c.TLVs)
		return &c
	case *ServerTrustedRoot:
		c := *x
		c.TLVs = clear(c.TLVs)
		return &c
	}
	return v
}

func TestParseHeaderBits(t *testing.T) {
	b := []byte{0xc0, 0x15, 0x00, 0x01, 0xaa, 0x00, 0x03, 0x00, 0x00}
	tlvs, err := Parse(b)
	if err != nil || len(tlvs) != 2 {
		t.Fatalf("%v %v", tlvs, err)
	}
	if !tlvs[0].Mandatory || !tlvs[0].Reserved || tlvs[0].Type != 21 || !bytes.Equal(tlvs[0].Value, []byte{0xaa}) {
		t.Fatalf("first %+v", tlvs[0])
	}
	if tlvs[1].Mandatory || tlvs[1].Type != TypeResult || len(tlvs[1].Value) != 0 {
		t.Fatalf("second %+v", tlvs[1])
	}
	if got := tlvs[0].Marshal(); !bytes.Equal(got, b[:5]) {
		t.Fatalf("Marshal %x", got)
	}
	if tlvs[0].Type.String() != "TLV-21" || TypeCryptoBinding.String() != "Crypto-Binding" {
		t.Fatal("names")
	}
}

func TestParseTruncated(t *testing.T) {
	good := Result{Status: StatusSuccess}.Marshal()
	cases := []struct {
		name string
		b    []byte
		n    int
		off  int
	}{
		{"header cut", append(append([]byte(nil), good...), 0x80), 1, 6},
		{"value cut", append(append([]byte(nil), good...), 0x80, 0x03, 0x00, 0x05, 1), 1, 6},
		{"first cut", []byte{0x80, 0x03, 0x00}, 0, 0},
	}
	for _, c := range cases {
		tlvs, err := Parse(c.b)
		var de *dissect.Error
		if err == nil || dissect.KindOf(err) != dissect.Truncated {
			t.Errorf("%s: error %v", c.name, err)
			continue
		}
		de = err.(*dissect.Error)
		if len(tlvs) != c.n || de.Offset != c.off {
			t.Errorf("%s: %d TLVs, offset %d", c.name, len(tlvs), de.Offset)
		}
	}
	if tlvs, err := Parse(nil); err != nil || len(tlvs) != 0 {
		t.Fatal("empty payload")
	}
}

func TestDecodeLengthErrors(t *testing.T) {
	cases := []TLV{
		{Type: TypeResult, Value: []byte{0, 1, 0}},
		{Type: TypeError, Value: []byte{0, 1}},
		{Type: TypeCryptoBinding, Value: make([]byte, 55)},
		{Type: TypeNAK, Value: []byte{0, 0, 0, 0, 1}},
		{Type: TypeIdentityType, Value: []byte{1}},
		{Type: TypeRequestAction, Value: nil},
		{Type: TypeVendorSpecific, Value: []byte{1, 2}},
		{Type: TypeEAPPayload, Value: []byte{1, 2, 0, 9, 1}},   // EAP length past the TLV
		{Type: TypeEAPPayload, Value: []byte{1, 2, 0, 2, 1}},   // EAP length below 4
		{Type: TypeIntermediateResult, Value: []byte{0, 1, 0}}, // nested TLV cut
		{Type: TypeServerTrustedRoot, Value: nil},
		{Type: TypePAC, Value: []byte{0, 1, 0, 2, 0}},                 // PAC-Key cut
		{Type: TypePAC, Value: []byte{0, 1, 0, 2, 0, 0}},              // PAC-Key of 2 bytes
		{Type: TypePAC, Value: []byte{0, 9, 0, 5, 0, 3, 0, 1, 0}},     // PAC-Lifetime of 1 byte
		{Type: TypePAC, Value: []byte{0, 8, 0, 1, 1}},                 // PAC-Acknowledgement of 1 byte
		{Type: TypePAC, Value: []byte{0, 10, 0, 3, 0, 0, 1}},          // PAC-Type of 3 bytes
		{Type: TypePAC, Value: []byte{0, 9, 0, 6, 0, 10, 0, 1, 0, 0}}, // nested PAC-Type of 1 byte
	}
	for _, c := range cases {
		_, err := Decode(c)
		if err == nil {
			t.Errorf("%s %x: no error", c.Type, c.Value)
			continue
		}
		if k := dissect.KindOf(err); k != dissect.Malformed && k != dissect.Truncated {
			t.Errorf("%s %x: kind %v", c.Type, c.Value, k)
		}
	}
	if _, err := Decode(TLV{Type: 21}); dissect.KindOf(err) != dissect.Unsupported {
		t.Fatalf("unknown type: %v", err)
	}
}

func TestParseValuesUnknownTLVs(t *testing.T) {
	optional := TLV{Type: 33, Value: []byte{1}}.Marshal()
	mandatory := TLV{Mandatory: true, Type: 33, Value: []byte{1}}.Marshal()
	res := Result{Status: StatusSuccess}.Marshal()
	tlvs, vals, err := ParseValues(append(append([]byte(nil), optional...), res...))
	if err != nil || len(tlvs) != 2 || vals[0] != nil || vals[1].(*Result).Status != StatusSuccess {
		t.Fatalf("optional unknown: %v %v", vals, err)
	}
	_, _, err = ParseValues(append(append([]byte(nil), res...), mandatory...))
	if dissect.KindOf(err) != dissect.Unsupported {
		t.Fatalf("mandatory unknown: %v", err)
	}
	if e := err.(*dissect.Error); e.Offset != len(res) {
		t.Fatalf("offset %d, want %d", e.Offset, len(res))
	}
}

func TestUnmarshalWrongType(t *testing.T) {
	var r Result
	if err := r.Unmarshal(Error{Code: 1}.Marshal()); err == nil {
		t.Fatal("Error TLV accepted as Result")
	}
	two := append(Result{Status: 1}.Marshal(), Result{Status: 2}.Marshal()...)
	if err := r.Unmarshal(two); err == nil {
		t.Fatal("two TLVs accepted as one")
	}
}

func TestMarshalLimits(t *testing.T) {
	if (TLV{Type: 1, Value: make([]byte, 65536)}).Marshal() != nil {
		t.Fatal("oversized TLV marshalled")
	}
	if (TLV{Type: 0x4000}).Marshal() != nil {
		t.Fatal("15-bit type marshalled")
	}
	if (EAPPayload{Packet: make([]byte, 65536)}).Marshal() != nil {
		t.Fatal("oversized EAP-Payload marshalled")
	}
	if (PAC{Opaque: make([]byte, 65536)}).Marshal() != nil {
		t.Fatal("oversized PAC marshalled")
	}
}
