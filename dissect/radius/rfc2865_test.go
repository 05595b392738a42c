package radius

import (
	"bytes"
	"net/netip"
	"testing"
)

// The examples of RFC 2865 §7, shared secret "xyzzy5461".
const (
	rfc2865Secret = "xyzzy5461"

	// §7.1: nemo/arctangent logs in to 192.168.1.16 port 3.
	rfc2865AccessRequest = `01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb
		98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d
		93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8
		01 10 05 06 00 00 00 03`
	// §7.1: the server accepts, Service-Type Login, Login-Service Telnet,
	// Login-IP-Host 192.168.1.3.
	rfc2865AccessAccept = `02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf
		9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00
		0e 06 c0 a8 01 03`
	// §7.2: flopsy authenticates with CHAP for framed PPP.
	rfc2865CHAPRequest = `01 01 00 47 2a ee 86 f0 8d 0d 55 96 9c a5 97 8e
		0d 33 67 a2 01 08 66 6c 6f 70 73 79 03 13 16 e9
		75 57 c3 16 18 58 95 f2 93 ff 63 44 07 72 75 04
		06 c0 a8 01 10 05 06 00 00 00 14 06 06 00 00 00
		02 07 06 00 00 00 01`
	// §7.3: the server challenges with Reply-Message and State.
	rfc2865AccessChallenge = `0b 02 00 4e 36 f3 c8 76 4a e8 c7 11 57 40 3c 0c
		71 ff 9c 45 12 30 43 68 61 6c 6c 65 6e 67 65 20
		33 32 37 36 39 34 33 30 2e 20 20 45 6e 74 65 72
		20 72 65 73 70 6f 6e 73 65 20 61 74 20 70 72 6f
		6d 70 74 2e 18 0a 33 32 37 36 39 34 33 30`
)

func TestRFC2865AccessRequest(t *testing.T) {
	raw := mustHex(t, rfc2865AccessRequest)
	p, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if p.Code != CodeAccessRequest || p.Identifier != 0 || p.Length != 56 || len(p.Attributes) != 4 {
		t.Fatalf("header %v id %d length %d, %d attributes", p.Code, p.Identifier, p.Length, len(p.Attributes))
	}
	if u, _ := p.Text(AttrUserName); u != "nemo" {
		t.Errorf("User-Name %q", u)
	}
	if a, _ := p.Addr(AttrNASIPAddress); a != netip.MustParseAddr("192.168.1.16") {
		t.Errorf("NAS-IP-Address %v", a)
	}
	if n, _ := p.Uint32(AttrNASPort); n != 3 {
		t.Errorf("NAS-Port %d", n)
	}
	hidden := mustGet(t, p, AttrUserPassword)
	pw, err := DecryptUserPassword(hidden, []byte(rfc2865Secret), p.Authenticator)
	if err != nil || string(pw) != "arctangent" {
		t.Errorf("User-Password %q, %v", pw, err)
	}

	// Build the same packet from its parts.
	built := Packet{Code: CodeAccessRequest, Identifier: 0, Authenticator: p.Authenticator, Attributes: []Attribute{
		TextAttribute(AttrUserName, "nemo"),
		BytesAttribute(AttrUserPassword, EncryptUserPassword([]byte("arctangent"), []byte(rfc2865Secret), p.Authenticator)),
		AddrAttribute(AttrNASIPAddress, netip.MustParseAddr("192.168.1.16")),
		Uint32Attribute(AttrNASPort, 3),
	}}
	out, err := built.Marshal()
	if err != nil || !bytes.Equal(out, raw) {
		t.Errorf("Marshal = %x, %v\nRFC 2865 §7.1: %x", out, err, raw)
	}
	if built.Length != 56 {
		t.Errorf("Marshal set Length %d", built.Length)
	}
}

func TestRFC2865AccessAccept(t *testing.T) {
	req, _ := Parse(mustHex(t, rfc2865AccessRequest))
	raw := mustHex(t, rfc2865AccessAccept)
	p, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := []Field{
		{Name: "Service-Type", Value: "Login-User", Type: 6},
		{Name: "Login-Service", Value: "Telnet", Type: 15},
		{Name: "Login-IP-Host", Value: "192.168.1.3", Type: 14},
	}
	got := p.Fields(false)
	if len(got) != len(want) {
		t.Fatalf("fields %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if a := ResponseAuthenticator(raw, req.Authenticator, []byte(rfc2865Secret)); a != p.Authenticator {
		t.Errorf("Response Authenticator %x, RFC has %x", a, p.Authenticator)
	}

	// Build the accept: zero authenticator, marshal, then fill it in.
	accept := Packet{Code: CodeAccessAccept, Identifier: 0, Attributes: []Attribute{
		Uint32Attribute(AttrServiceType, 1),
		Uint32Attribute(15, 0),
		AddrAttribute(14, netip.MustParseAddr("192.168.1.3")),
	}}
	out, err := accept.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	ra := ResponseAuthenticator(out, req.Authenticator, []byte(rfc2865Secret))
	copy(out[4:20], ra[:])
	if !bytes.Equal(out, raw) {
		t.Errorf("built accept %x\nRFC 2865 §7.1     %x", out, raw)
	}
}

func TestRFC2865CHAPRequest(t *testing.T) {
	p, err := Parse(mustHex(t, rfc2865CHAPRequest))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ name, value string }{
		{"User-Name", "flopsy"},
		{"CHAP-Password", Redacted},
		{"NAS-IP-Address", "192.168.1.16"},
		{"NAS-Port", "20"},
		{"Service-Type", "Framed-User"},
		{"Framed-Protocol", "PPP"},
	}
	f := p.Fields(false)
	if len(f) != len(want) {
		t.Fatalf("fields %+v", f)
	}
	for i, w := range want {
		if f[i].Name != w.name || f[i].Value != w.value {
			t.Errorf("field %d = %s %q, want %s %q", i, f[i].Name, f[i].Value, w.name, w.value)
		}
	}
	chap := mustGet(t, p, AttrCHAPPassword)
	if len(chap) != 17 || chap[0] != 0x16 {
		t.Errorf("CHAP-Password %x: want ident 0x16 and 16 bytes of response", chap)
	}
	if f := FormatAttribute(p.Attributes[1], true); f.Value != "16e97557c3161858"+"95f293ff63440772"+"75" {
		t.Errorf("CHAP-Password shown as %q", f.Value)
	}
}

func TestRFC2865AccessChallenge(t *testing.T) {
	p, err := Parse(mustHex(t, rfc2865AccessChallenge))
	if err != nil {
		t.Fatal(err)
	}
	if p.Code != CodeAccessChallenge || p.Identifier != 2 || p.Length != 78 {
		t.Fatalf("header %v %d %d", p.Code, p.Identifier, p.Length)
	}
	if m, _ := p.Text(AttrReplyMessage); m != "Challenge 32769430.  Enter response at prompt." {
		t.Errorf("Reply-Message %q", m)
	}
	if st, _ := p.State(); string(st) != "32769430" {
		t.Errorf("State %q", st)
	}
	if f := FormatAttribute(p.Attributes[1], false); f.Name != "State" || f.Value != "3332373639343330" {
		t.Errorf("State field %+v", f)
	}
}
