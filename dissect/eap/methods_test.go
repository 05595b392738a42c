package eap

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

func packetOf(t *testing.T, code Code, typ Type, data []byte) *Packet {
	t.Helper()
	p, err := Parse((&Packet{Code: code, Identifier: 1, Type: typ, Data: data}).Marshal())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TEAP (RFC 7170 §4.1): flags L M S O + version; Outer TLV Length, then TLS
// data, then the outer TLVs; Authority-ID is TLV type 1.
func TestTEAPOuterTLVs(t *testing.T) {
	// Start: S|O, version 1, Outer TLV Length 8, Authority-ID TLV (0001 0004 deadbeef).
	start := mustHex(t, "3100000008"+"00010004deadbeef")
	f, err := ParseTLSFragment(packetOf(t, CodeRequest, TypeTEAP, start))
	if err != nil {
		t.Fatal(err)
	}
	if !f.IsStart() || f.Version != 1 || !f.HasOuterTLVs || f.OuterTLVLength != 8 || f.Data != nil ||
		hex.EncodeToString(f.AuthorityID) != "deadbeef" || len(f.OuterTLVs) != 8 || f.IsAck() {
		t.Errorf("start %+v", f)
	}
	if got := f.Marshal(); !bytes.Equal(got, start) {
		t.Errorf("Marshal %x", got)
	}
	built := TLSFragment{Method: TypeTEAP, Flags: FlagStart, Version: 1, AuthorityID: []byte{0xde, 0xad, 0xbe, 0xef}}
	if got := built.Marshal(); !bytes.Equal(got, start) {
		t.Errorf("built Start %x, want %x", got, start)
	}

	// First response: L|O, length 6, Outer TLV Length 6, TLS data, an outer
	// TLV with the mandatory bit (Identity-Type, 0x8002, value 0001).
	resp := mustHex(t, "910000000600000006"+"160301000102"+"800200020001")
	f, err = ParseTLSFragment(packetOf(t, CodeResponse, TypeTEAP, resp))
	if err != nil {
		t.Fatal(err)
	}
	if !f.HasLength || f.MessageLength != 6 || hex.EncodeToString(f.Data) != "160301000102" ||
		hex.EncodeToString(f.OuterTLVs) != "800200020001" || f.AuthorityID != nil {
		t.Errorf("response %+v", f)
	}
	if got := f.Marshal(); !bytes.Equal(got, resp) {
		t.Errorf("Marshal %x", got)
	}
	var r Reassembler
	if data, ok, err := r.Add(1, f); !ok || err != nil || hex.EncodeToString(data) != "160301000102" {
		t.Errorf("reassembled %x %v %v", data, ok, err)
	}

	// Outer TLV Length beyond the data.
	if _, err := ParseTLSFragment(packetOf(t, CodeRequest, TypeTEAP, mustHex(t, "3100000009"+"00010004deadbeef"))); dissect.KindOf(err) != dissect.Truncated {
		t.Errorf("long outer TLV length: %v", err)
	}
	// O is a reserved bit for PEAP: the bytes stay TLS data.
	g, err := ParseTLSFragment(packetOf(t, CodeRequest, TypePEAP, mustHex(t, "1000000008")))
	if err != nil || g.HasOuterTLVs || len(g.Data) != 4 {
		t.Errorf("PEAP with 0x10: %+v %v", g, err)
	}
}

// EAP-FAST Start (RFC 4851 §4.1, §4.1.1): flags S + version 1, then the
// Authority-ID data TLV, type 4.
func TestEAPFASTStartAuthorityID(t *testing.T) {
	aid := mustHex(t, "126247e06db25234bc11896e1b2c453a") // FreeRADIUS's, as tshark reads it in eap-fast.pcap
	want := mustHex(t, "21"+"00040010"+"126247e06db25234bc11896e1b2c453a")
	built := TLSFragment{Method: TypeFAST, Flags: FlagStart, Version: 1, AuthorityID: aid}
	if got := built.Marshal(); !bytes.Equal(got, want) {
		t.Fatalf("Marshal %x, want %x", got, want)
	}
	f, err := ParseTLSFragment(packetOf(t, CodeRequest, TypeFAST, want))
	if err != nil || !f.IsStart() || f.Version != 1 || !bytes.Equal(f.AuthorityID, aid) || f.IsAck() {
		t.Errorf("%+v %v", f, err)
	}
	// A Start is not TLS data: the reassembler ignores it.
	var r Reassembler
	if data, ok, err := r.Add(1, f); data != nil || ok || err != nil || r.InProgress() {
		t.Errorf("Start reassembled: %x %v %v", data, ok, err)
	}
	// A-ID TLV that runs past the packet.
	if _, err := ParseTLSFragment(packetOf(t, CodeRequest, TypeFAST, mustHex(t, "2100040020aa"))); dissect.KindOf(err) != dissect.Truncated {
		t.Errorf("short A-ID: %v", err)
	}
}

func TestTLSFragmentErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  Type
		data string
		kind dissect.Kind
	}{
		{"no flags", TypeTLS, "", dissect.Truncated},
		{"L without length", TypeTLS, "800000", dissect.Truncated},
		{"O without length", TypeTEAP, "1000", dissect.Truncated},
		{"not TLS-based", TypeMD5, "00", dissect.Unsupported},
	} {
		_, err := ParseTLSFragment(packetOf(t, CodeRequest, tc.typ, mustHex(t, tc.data)))
		if dissect.KindOf(err) != tc.kind {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if s := (FlagLength | FlagMore | FlagStart | FlagOuterTLV).String(); s != "LMSO" {
		t.Errorf("flags %q", s)
	}
}

func TestNak(t *testing.T) {
	// Expanded Nak (RFC 3748 §5.3.2) listing EAP-PEAP as expanded (0/25) and a Cisco type.
	p, err := Parse(mustHex(t, "02040024fe00000000000003"+"fe00000000000019"+"fe00000900000003"+"fe00000000000000"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := ParseNak(p)
	want := []ExpandedType{{0, 25}, {9, 3}, {0, 0}}
	if err != nil || !reflect.DeepEqual(n.Expanded, want) || p.MethodName() != "Nak" {
		t.Fatalf("%+v %v", n, err)
	}
	if got := n.Marshal(); !bytes.Equal(got, p.Data) {
		t.Errorf("Marshal %x", got)
	}
	// An entry that is not an expanded type header.
	p, _ = Parse(mustHex(t, "02040014fe00000000000003"+"1900000000000019"))
	if _, err := ParseNak(p); dissect.KindOf(err) != dissect.Malformed {
		t.Errorf("bad entry: %v", err)
	}
	p, _ = Parse(mustHex(t, "02040010fe00000000000003"+"fe000000"))
	if _, err := ParseNak(p); dissect.KindOf(err) != dissect.Truncated {
		t.Errorf("cut entry: %v", err)
	}
	// Legacy Nak with 254: "I want expanded types".
	n, err = ParseNak(packetOf(t, CodeResponse, TypeNak, []byte{254}))
	if err != nil || len(n.Types) != 1 || n.Types[0] != TypeExpanded {
		t.Errorf("%+v %v", n, err)
	}
	if _, err := ParseNak(packetOf(t, CodeResponse, TypeNak, nil)); dissect.KindOf(err) != dissect.Malformed {
		t.Errorf("empty Nak: %v", err)
	}
}

func TestMSCHAPv2(t *testing.T) {
	// Change-Password (RFC 2759 §7 layout), built and parsed back.
	m := MSCHAPv2{OpCode: MSCHAPv2OpChangePassword, MSCHAPv2ID: 9,
		EncryptedPassword: bytes.Repeat([]byte{1}, 516), EncryptedHash: bytes.Repeat([]byte{2}, 16),
		PeerChallenge: bytes.Repeat([]byte{3}, 16), NTResponse: bytes.Repeat([]byte{4}, 24)}
	data := m.Marshal()
	if len(data) != 4+516+16+16+8+24+2 || data[2] != 0x02 || data[3] != 0x4a {
		t.Fatalf("Change-Password of %d bytes, MS-Length % x", len(data), data[2:4])
	}
	got, err := ParseMSCHAPv2(packetOf(t, CodeResponse, TypeMSCHAPv2, data))
	if err != nil || got.OpCodeName() != "Change-Password" || !bytes.Equal(got.NTResponse, m.NTResponse) ||
		!bytes.Equal(got.EncryptedPassword, m.EncryptedPassword) || got.MSLength != uint16(len(data)) {
		t.Errorf("%+v %v", got.OpCodeName(), err)
	}
	// Peer acknowledgements are the op-code alone.
	for _, op := range []uint8{MSCHAPv2OpSuccess, MSCHAPv2OpFailure} {
		got, err := ParseMSCHAPv2(packetOf(t, CodeResponse, TypeMSCHAPv2, []byte{op}))
		if err != nil || !got.OpCodeOnly || !bytes.Equal(got.Marshal(), []byte{op}) {
			t.Errorf("ack %d: %+v %v", op, got, err)
		}
	}
	// MS-Length that disagrees is reported, fields still decoded.
	bad := MSCHAPv2{OpCode: MSCHAPv2OpChallenge, Challenge: make([]byte, 16), Name: "srv"}.Marshal()
	bad[3]++
	got, err = ParseMSCHAPv2(packetOf(t, CodeRequest, TypeMSCHAPv2, bad))
	if dissect.KindOf(err) != dissect.Malformed || got.Name != "srv" {
		t.Errorf("bad MS-Length: %+v %v", got, err)
	}
	// Value-Size that runs past the data.
	if _, err := ParseMSCHAPv2(packetOf(t, CodeRequest, TypeMSCHAPv2, mustHex(t, "0101000a1000"))); dissect.KindOf(err) != dissect.Truncated {
		t.Errorf("short value: %v", err)
	}
}

func TestMSCHAPv2FailureMessages(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want MSCHAPv2Failure
		name string
	}{
		{"E=691 R=1 C=0366d6221552cd775e96a4be54047ff6 V=3 M=Authentication rejected",
			MSCHAPv2Failure{691, true, mustHex(t, "0366d6221552cd775e96a4be54047ff6"), 3, "Authentication rejected"}, "authentication failure"},
		{"E=648 R=0 V=3", MSCHAPv2Failure{Error: 648, Version: 3}, "password expired"},
		{"E=646", MSCHAPv2Failure{Error: 646}, "restricted logon hours"},
		{"E=647 M=a b  c", MSCHAPv2Failure{Error: 647, Message: "a b  c"}, "account disabled"},
		{"E=649 R=0 C=zz", MSCHAPv2Failure{Error: 649}, "no dial-in permission"},
		{"E=709", MSCHAPv2Failure{Error: 709}, "changing password"},
		{"E=1", MSCHAPv2Failure{Error: 1}, "error 1"},
	} {
		f, err := ParseMSCHAPv2Failure(tc.msg)
		if err != nil || !reflect.DeepEqual(f, tc.want) || f.ErrorName() != tc.name {
			t.Errorf("%q: %+v %v %q", tc.msg, f, err, f.ErrorName())
		}
	}
	if _, err := ParseMSCHAPv2Failure("R=1 M=nothing"); dissect.KindOf(err) != dissect.Malformed {
		t.Errorf("no E=: %v", err)
	}
}

func TestOtherMethods(t *testing.T) {
	// LEAP (Cisco): version 1, reserved, count 8, challenge, user name.
	l, err := ParseLEAP(mustHex(t, "010008"+"0102030405060708"+"626f62"))
	if err != nil || l.Version != 1 || l.Stage() != "Challenge" || l.Name != "bob" {
		t.Errorf("LEAP %+v %v", l, err)
	}
	if got := l.Marshal(); hex.EncodeToString(got) != "0100080102030405060708626f62" {
		t.Errorf("LEAP Marshal %x", got)
	}
	if _, err := ParseLEAP(mustHex(t, "010018aa")); dissect.KindOf(err) != dissect.Truncated {
		t.Errorf("LEAP short: %v", err)
	}
	// EAP-AKA Identity request with AT_ANY_ID_REQ (13, length 1, 2 reserved bytes).
	m, err := ParseSIMAKA(packetOf(t, CodeRequest, TypeAKA, mustHex(t, "050000"+"0d010000")))
	if err != nil || m.SubtypeName() != "AKA-Identity" || len(m.Attributes) != 1 || m.Attributes[0].Name() != "AT_ANY_ID_REQ" {
		t.Errorf("AKA %+v %v", m, err)
	}
	for _, bad := range []struct {
		hex  string
		kind dissect.Kind
	}{{"05", dissect.Truncated}, {"0500000d", dissect.Truncated}, {"0500000d00", dissect.Malformed}, {"0500000d0200", dissect.Truncated}} {
		if _, err := ParseSIMAKA(packetOf(t, CodeRequest, TypeAKAPrime, mustHex(t, bad.hex))); dissect.KindOf(err) != bad.kind {
			t.Errorf("AKA' %s: %v", bad.hex, err)
		}
	}
	// EAP-pwd fragment with L and M.
	w, err := ParsePWD(mustHex(t, "c20100aabb"))
	if err != nil || !w.More || !w.HasLength || w.TotalLength != 256 || w.ExchName() != "EAP-pwd-Commit" || !bytes.Equal(w.Marshal(), mustHex(t, "c20100aabb")) {
		t.Errorf("pwd %+v %v", w, err)
	}
	// MD5 with a value size past the data.
	if _, err := ParseMD5(mustHex(t, "10aabb")); dissect.KindOf(err) != dissect.Truncated {
		t.Errorf("md5 short: %v", err)
	}
	// Identity stops at NUL (RFC 3748 §5.1 options after it).
	if got := ParseIdentity([]byte("user\x00networkid=x")); got != "user" {
		t.Errorf("identity %q", got)
	}
	// ParseMethod dispatches by type.
	for typ, want := range map[Type]string{TypeGTC: "eap.GTC", TypeLEAP: "eap.LEAP", TypeIdentity: "string"} {
		v, _ := ParseMethod(packetOf(t, CodeRequest, typ, []byte{1, 0, 0}))
		if got := reflect.TypeOf(v).String(); got != want {
			t.Errorf("ParseMethod(%s) gave %s", typ, got)
		}
	}
}
