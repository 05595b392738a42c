package radius

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// Packets FreeRADIUS 3.2.1 and radclient exchanged (testdata/README.md).
const freeradiusSecret = "testing123"

func freeradiusPackets(t *testing.T) map[int]*Packet {
	t.Helper()
	payloads := readCapture(t, "testdata/freeradius-3.2.1.pcapng")
	if len(payloads) != 14 {
		t.Fatalf("%d RADIUS payloads, want 14", len(payloads))
	}
	out := map[int]*Packet{}
	for frame, b := range payloads {
		p, err := Parse(b)
		if err != nil {
			t.Fatalf("frame %d: %v", frame, err)
		}
		out[frame] = p
	}
	return out
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFreeRADIUSCodes(t *testing.T) {
	pk := freeradiusPackets(t)
	want := map[int]Code{
		1: CodeAccessRequest, 2: CodeAccessAccept, 3: CodeAccessRequest, 4: CodeAccessAccept,
		5: CodeAccessRequest, 6: CodeAccessReject, 7: CodeAccessRequest, 8: CodeAccessReject,
		9: CodeAccountingRequest, 10: CodeAccountingResponse, 11: CodeAccessRequest, 12: CodeAccessAccept,
		13: CodeAccessRequest, 14: CodeAccessChallenge,
	}
	for frame, code := range want {
		p := pk[frame]
		if p.Code != code {
			t.Errorf("frame %d: code %v, want %v", frame, p.Code, code)
		}
		if frame%2 == 0 {
			req := pk[frame-1]
			if p.Identifier != req.Identifier || !p.Code.ResponseTo(req.Code) {
				t.Errorf("frame %d (%v id %d) does not answer frame %d (%v id %d)", frame, p.Code, p.Identifier, frame-1, req.Code, req.Identifier)
			}
		}
	}
}

// Every response's authenticator and the Accounting-Request's, as
// FreeRADIUS computed them, verify with the shared secret and not with
// another.
func TestFreeRADIUSPacketAuthenticators(t *testing.T) {
	pk := freeradiusPackets(t)
	for frame := 2; frame <= 14; frame += 2 {
		req, resp := pk[frame-1], pk[frame]
		if !VerifyResponseAuthenticator(resp.Raw, req.Authenticator, []byte(freeradiusSecret)) {
			t.Errorf("frame %d: response authenticator does not verify", frame)
		}
		if VerifyResponseAuthenticator(resp.Raw, req.Authenticator, []byte("testing124")) {
			t.Errorf("frame %d: response authenticator verifies with a wrong secret", frame)
		}
		if got := ResponseAuthenticator(resp.Raw, req.Authenticator, []byte(freeradiusSecret)); got != resp.Authenticator {
			t.Errorf("frame %d: ResponseAuthenticator %x, packet has %x", frame, got, resp.Authenticator)
		}
	}
	acct := pk[9]
	if got := AccountingRequestAuthenticator(acct.Raw, []byte(freeradiusSecret)); got != acct.Authenticator {
		t.Errorf("Accounting-Request authenticator %x, radclient sent %x", got, acct.Authenticator)
	}
	if !VerifyAccountingRequestAuthenticator(acct.Raw, []byte(freeradiusSecret)) {
		t.Error("Accounting-Request authenticator does not verify")
	}
}

// radclient's Message-Authenticators on Access-Requests (own authenticator)
// and FreeRADIUS's on the Access-Challenge (request's authenticator).
func TestFreeRADIUSMessageAuthenticator(t *testing.T) {
	pk := freeradiusPackets(t)
	for _, frame := range []int{1, 5, 7, 13} {
		p := pk[frame]
		if !p.HasMessageAuthenticator() {
			t.Fatalf("frame %d has no Message-Authenticator", frame)
		}
		ok, err := VerifyMessageAuthenticator(p.Raw, []byte(freeradiusSecret), nil)
		if err != nil || !ok {
			t.Errorf("frame %d: Message-Authenticator verify = %v, %v", frame, ok, err)
		}
	}
	chal, req := pk[14], pk[13]
	ma, _ := chal.Get(AttrMessageAuthenticator)
	if hex.EncodeToString(ma) != "db5ad8b8b3afc5bdb3bad920e1a7f736" {
		t.Fatalf("challenge Message-Authenticator %x (radclient printed db5ad8b8b3afc5bdb3bad920e1a7f736)", ma)
	}
	got, err := MessageAuthenticator(chal.Raw, []byte(freeradiusSecret), &req.Authenticator)
	if err != nil || !bytes.Equal(got[:], ma) {
		t.Errorf("challenge Message-Authenticator computed %x, %v; FreeRADIUS sent %x", got, err, ma)
	}
	if ok, _ := VerifyMessageAuthenticator(chal.Raw, []byte(freeradiusSecret), nil); ok {
		t.Error("challenge Message-Authenticator verifies with its own authenticator in place of the request's")
	}
	// Re-signing in place reproduces FreeRADIUS's bytes exactly.
	resigned := bytes.Clone(chal.Raw)
	off := bytes.Index(resigned, append([]byte{AttrMessageAuthenticator, 18}, ma...))
	clear(resigned[off+2 : off+18])
	if err := SetMessageAuthenticator(resigned, []byte(freeradiusSecret), &req.Authenticator); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resigned, chal.Raw) {
		t.Error("SetMessageAuthenticator did not reproduce the challenge")
	}
	if _, err := MessageAuthenticator(pk[9].Raw, []byte(freeradiusSecret), nil); err == nil {
		t.Error("no error for a packet without Message-Authenticator")
	}
}

// The hidden attributes of the Access-Accept reveal to what the server was
// configured with; hiding them again with the same salt reproduces the
// server's bytes.
func TestFreeRADIUSHiddenAttributes(t *testing.T) {
	pk := freeradiusPackets(t)
	secret := []byte(freeradiusSecret)

	pw, err := DecryptUserPassword(mustGet(t, pk[1], AttrUserPassword), secret, pk[1].Authenticator)
	if err != nil || string(pw) != "hello" {
		t.Errorf("frame 1 User-Password = %q, %v", pw, err)
	}
	wrong, err := DecryptUserPassword(mustGet(t, pk[5], AttrUserPassword), secret, pk[5].Authenticator)
	if err != nil || string(wrong) != "wrong-password-that-is-longer-than-sixteen" {
		t.Errorf("frame 5 User-Password = %q, %v", wrong, err)
	}
	if got := EncryptUserPassword(wrong, secret, pk[5].Authenticator); !bytes.Equal(got, mustGet(t, pk[5], AttrUserPassword)) {
		t.Errorf("EncryptUserPassword = %x, radclient sent %x", got, mustGet(t, pk[5], AttrUserPassword))
	}

	for _, frame := range []int{2, 12} {
		accept, reqAuth := pk[frame], pk[frame-1].Authenticator
		wantSend := mustHex(t, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
		wantRecv := mustHex(t, "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f")
		for _, c := range []struct {
			typ  uint8
			want []byte
		}{{MSMPPESendKey, wantSend}, {MSMPPERecvKey, wantRecv}} {
			vals := accept.Vendor(VendorMicrosoft, c.typ)
			if len(vals) != 1 {
				t.Fatalf("frame %d: %d values of MS sub-attribute %d", frame, len(vals), c.typ)
			}
			key, err := DecryptMPPEKey(vals[0], secret, reqAuth)
			if err != nil || !bytes.Equal(key, c.want) {
				t.Errorf("frame %d %s = %x, %v", frame, VendorAttributeName(VendorMicrosoft, c.typ), key, err)
			}
			salt := uint16(vals[0][0])<<8 | uint16(vals[0][1])
			if again := EncryptMPPEKey(c.want, secret, reqAuth, salt); !bytes.Equal(again, vals[0]) {
				t.Errorf("frame %d: EncryptMPPEKey = %x, FreeRADIUS sent %x", frame, again, vals[0])
			}
			if k, err := DecryptMPPEKey(vals[0], []byte("not-the-secret"), reqAuth); err == nil && bytes.Equal(k, c.want) {
				t.Errorf("frame %d: the key revealed with a wrong secret", frame)
			}
		}
		tp := mustGet(t, accept, AttrTunnelPassword)
		tag, pw, err := DecryptTunnelPassword(tp, secret, reqAuth)
		if err != nil || tag != 0 || string(pw) != "tunnel-secret" {
			t.Errorf("frame %d Tunnel-Password = tag %d %q, %v", frame, tag, pw, err)
		}
		salt := uint16(tp[1])<<8 | uint16(tp[2])
		if again := EncryptTunnelPassword(pw, secret, reqAuth, tag, salt); !bytes.Equal(again, tp) {
			t.Errorf("frame %d: EncryptTunnelPassword = %x, FreeRADIUS sent %x", frame, again, tp)
		}
	}
}

func mustGet(t *testing.T, p *Packet, typ uint8) []byte {
	t.Helper()
	v, ok := p.Get(typ)
	if !ok {
		t.Fatalf("%v has no %s", p.Code, AttributeName(typ))
	}
	return v
}

// radclient computed CHAP-Password with the Request Authenticator as the
// challenge (RFC 2865 §2.2).
func TestFreeRADIUSCHAP(t *testing.T) {
	p := freeradiusPackets(t)[3]
	chap := mustGet(t, p, AttrCHAPPassword)
	if got := CHAPPassword(chap[0], []byte("hello"), p.Authenticator[:]); !bytes.Equal(got, chap) {
		t.Errorf("CHAPPassword = %x, radclient sent %x", got, chap)
	}
}

func TestFreeRADIUSAttributes(t *testing.T) {
	pk := freeradiusPackets(t)
	accept := pk[2]
	want := []struct{ name, value string }{
		{"Reply-Message", "Hello, bob"},
		{"Session-Timeout", "3600"},
		{"Tunnel-Type", "VLAN"},
		{"Tunnel-Medium-Type", "IEEE-802"},
		{"Tunnel-Private-Group-Id", "100"},
		{"Tunnel-Password", Redacted},
		{"MS-MPPE-Send-Key", Redacted},
		{"MS-MPPE-Recv-Key", Redacted},
		{"MS-MPPE-Encryption-Policy", "Encryption-Required"},
		{"MS-MPPE-Encryption-Types", "RC4-40or128-bit-Allowed"},
		{"Cisco-AVPair", "audit-session-id=0A3D720400016DBFE530A22E"},
		{"Class", "434143533a30613364373230343030303136646266"},
		{"Framed-IP-Address", "10.10.10.10"},
	}
	fields := accept.Fields(false)
	if len(fields) != len(want) {
		t.Fatalf("%d fields, want %d: %+v", len(fields), len(want), fields)
	}
	for i, w := range want {
		if fields[i].Name != w.name || fields[i].Value != w.value || fields[i].Problem != "" {
			t.Errorf("field %d = %s %q (%s), want %s %q", i, fields[i].Name, fields[i].Value, fields[i].Problem, w.name, w.value)
		}
	}
	if id, ok := accept.AuditSessionID(); !ok || id != "0A3D720400016DBFE530A22E" {
		t.Errorf("AuditSessionID = %q, %v", id, ok)
	}
	if v, ok := accept.Uint32(AttrTunnelType); !ok || v != 13 {
		t.Errorf("Tunnel-Type = %d, %v; want 13 (VLAN)", v, ok)
	}
	if a, ok := accept.Addr(AttrFramedIPAddress); !ok || a.String() != "10.10.10.10" {
		t.Errorf("Framed-IP-Address = %v, %v", a, ok)
	}

	// The 313-byte EAP-Response/Identity radclient split in two.
	long := pk[7]
	if n := len(long.GetAll(AttrEAPMessage)); n != 2 {
		t.Fatalf("%d EAP-Message attributes, want 2", n)
	}
	eap, ok := long.EAPMessage()
	identity := "bob@" + strings.Repeat("a", 300) + ".example"
	if !ok || len(eap) != 5+len(identity) || eap[0] != 2 || eap[4] != 1 || string(eap[5:]) != identity {
		t.Errorf("joined EAP-Message = %x, %v", eap, ok)
	}
	if n := int(eap[2])<<8 | int(eap[3]); n != len(eap) {
		t.Errorf("EAP length field %d, joined %d bytes", n, len(eap))
	}
	// radclient cut User-Name to the 253 octets one attribute holds.
	if u, _ := long.Text(AttrUserName); u != identity[:MaxAttributeValueLen] {
		t.Errorf("User-Name = %q", u)
	}

	chal := pk[14]
	eap, _ = chal.EAPMessage()
	if hex.EncodeToString(eap) != "010200160410d58ea94071806ff715d5eaa3ed4ef79c" {
		t.Errorf("challenge EAP-Message %x", eap)
	}
	if st, ok := chal.State(); !ok || hex.EncodeToString(st) != "5f35dc545f37d8b22d7828135d0a0fe9" {
		t.Errorf("State = %x, %v", st, ok)
	}

	acct := pk[9]
	for typ, want := range map[uint8]string{
		AttrAcctStatusType: "Start", AttrAcctSessionID: "00000001", AttrEventTimestamp: "2023-11-14T22:13:20Z", AttrAcctDelayTime: "0",
	} {
		a, _ := acct.attribute(typ)
		if f := FormatAttribute(a, false); f.Value != want {
			t.Errorf("%s = %q, want %q", f.Name, f.Value, want)
		}
	}

	mschap := pk[11]
	if c := mschap.Vendor(VendorMicrosoft, MSCHAPChallenge); len(c) != 1 || hex.EncodeToString(c[0]) != "54a3697666f0c77d" {
		t.Errorf("MS-CHAP-Challenge = %x", c)
	}
	r := mschap.Vendor(VendorMicrosoft, MSCHAPResponse)
	if len(r) != 1 || len(r[0]) != 50 {
		t.Fatalf("MS-CHAP-Response = %x", r)
	}
	a := VendorAttribute(VendorMicrosoft, MSCHAPResponse, r[0])
	if f := FormatAttribute(a, false); !f.Secret || f.Value != Redacted {
		t.Errorf("MS-CHAP-Response not redacted: %+v", f)
	}
	if f := FormatAttribute(a, true); f.Value != hex.EncodeToString(r[0]) {
		t.Errorf("MS-CHAP-Response shown as %q", f.Value)
	}
}
