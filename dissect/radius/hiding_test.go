package radius

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

var testReqAuth = [16]byte{0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57, 0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a}

// The first block of the salted method written out from RFC 2548 §2.4.2:
// b(1) = MD5(S + R + A), c(1) = p(1) xor b(1), P = key length | key.
func TestEncryptMPPEKeyFirstBlock(t *testing.T) {
	secret := []byte("s3cret")
	key := []byte("0123456789abcde") // 15 octets: length octet + key = one block
	got := EncryptMPPEKey(key, secret, testReqAuth, 0x1234)
	if len(got) != 2+16 || got[0] != 0x92 || got[1] != 0x34 {
		t.Fatalf("value %x: want salt 9234 (high bit set) and one block", got)
	}
	b := md5.Sum(append(append(append([]byte{}, secret...), testReqAuth[:]...), 0x92, 0x34))
	p := append([]byte{15}, key...)
	for i := range p {
		if got[2+i] != p[i]^b[i] {
			t.Fatalf("octet %d: %#x, want %#x", i, got[2+i], p[i]^b[i])
		}
	}
}

func TestHidingRoundTrips(t *testing.T) {
	secret := []byte("a shared secret")
	for n := 0; n <= 240; n++ {
		data := bytes.Repeat([]byte{byte(n)}, n)
		if n >= 1 && n <= 128 {
			ct := EncryptUserPassword(data, secret, testReqAuth)
			if len(ct)%16 != 0 || len(ct) < len(data) {
				t.Fatalf("User-Password of %d: %d bytes", n, len(ct))
			}
			pt, err := DecryptUserPassword(ct, secret, testReqAuth)
			if err != nil || !bytes.Equal(pt, data) {
				t.Fatalf("User-Password of %d: %x, %v", n, pt, err)
			}
		}
		v := EncryptMPPEKey(data, secret, testReqAuth, uint16(n))
		k, err := DecryptMPPEKey(v, secret, testReqAuth)
		if err != nil || !bytes.Equal(k, data) {
			t.Fatalf("MPPE key of %d: %x, %v", n, k, err)
		}
		tv := EncryptTunnelPassword(data, secret, testReqAuth, 0x1f, uint16(n))
		tag, pw, err := DecryptTunnelPassword(tv, secret, testReqAuth)
		if err != nil || tag != 0x1f || !bytes.Equal(pw, data) || tv[1]&0x80 == 0 {
			t.Fatalf("Tunnel-Password of %d: tag %d %x, %v", n, tag, pw, err)
		}
	}
	// The chain feeds on ciphertext: blocks after the first differ from
	// hiding each block with the first key.
	ct := EncryptUserPassword(make([]byte, 32), secret, testReqAuth)
	if bytes.Equal(ct[:16], ct[16:]) {
		t.Error("second block hidden with the first block's key")
	}
	if got := EncryptUserPassword(nil, secret, testReqAuth); len(got) != 16 {
		t.Errorf("empty password hides to %d bytes, want 16", len(got))
	}
}

func TestRevealErrors(t *testing.T) {
	secret := []byte("x")
	for _, n := range []int{0, 15, 17, 144} {
		if _, err := DecryptUserPassword(make([]byte, n), secret, testReqAuth); dissect.KindOf(err) != dissect.Malformed {
			t.Errorf("User-Password of %d bytes: %v", n, err)
		}
	}
	for _, n := range []int{0, 2, 17, 19} {
		if _, err := DecryptMPPEKey(make([]byte, n), secret, testReqAuth); dissect.KindOf(err) != dissect.Malformed {
			t.Errorf("MPPE key of %d bytes: %v", n, err)
		}
	}
	if _, _, err := DecryptTunnelPassword(nil, secret, testReqAuth); err == nil {
		t.Error("empty Tunnel-Password")
	}
	// A length octet beyond the data is reported, not sliced.
	v := EncryptMPPEKey(make([]byte, 15), secret, testReqAuth, 1)
	b := md5.Sum(append(append(append([]byte{}, secret...), testReqAuth[:]...), v[0], v[1]))
	v[2] = 200 ^ b[0]
	if _, err := DecryptMPPEKey(v, secret, testReqAuth); dissect.KindOf(err) != dissect.Malformed {
		t.Errorf("length octet 200 in 16 bytes: %v", err)
	}
}

// MessageAuthenticator against crypto/hmac computed here over the packet
// with the value zeroed, for requests and responses.
func TestMessageAuthenticatorIndependent(t *testing.T) {
	secret := []byte("testing123")
	p := Packet{Code: CodeAccessRequest, Identifier: 9, Authenticator: testReqAuth, Attributes: []Attribute{
		TextAttribute(AttrUserName, "bob"),
		BytesAttribute(AttrMessageAuthenticator, make([]byte, 16)),
		TextAttribute(AttrCallingStationID, "00-11-22-33-44-55"),
	}}
	raw, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(md5.New, secret)
	mac.Write(raw)
	want := mac.Sum(nil)
	if err := SetMessageAuthenticator(raw, secret, nil); err != nil {
		t.Fatal(err)
	}
	off := p.Attributes[1].Offset + 2
	if !bytes.Equal(raw[off:off+16], want) {
		t.Errorf("request Message-Authenticator %x, want %x", raw[off:off+16], want)
	}
	if ok, err := VerifyMessageAuthenticator(raw, secret, nil); !ok || err != nil {
		t.Errorf("verify: %v %v", ok, err)
	}
	raw[len(raw)-1] ^= 1
	if ok, _ := VerifyMessageAuthenticator(raw, secret, nil); ok {
		t.Error("verifies after a change")
	}

	// Response: computed with the request's authenticator in place.
	resp := Packet{Code: CodeAccessAccept, Identifier: 9, Attributes: []Attribute{BytesAttribute(AttrMessageAuthenticator, make([]byte, 16))}}
	r, _ := resp.Marshal()
	withReq := bytes.Clone(r)
	copy(withReq[4:20], testReqAuth[:])
	mac = hmac.New(md5.New, secret)
	mac.Write(withReq)
	want = mac.Sum(nil)
	got, err := MessageAuthenticator(r, secret, &testReqAuth)
	if err != nil || !bytes.Equal(got[:], want) {
		t.Errorf("response Message-Authenticator %x, %v; want %x", got, err, want)
	}
	if _, err := MessageAuthenticator(r[:19], secret, nil); dissect.KindOf(err) != dissect.Truncated {
		t.Errorf("19 bytes: %v", err)
	}
}

func TestMessageAuthenticatorErrors(t *testing.T) {
	secret := []byte("s")
	build := func(attrs ...Attribute) []byte {
		p := Packet{Code: CodeAccessRequest, Attributes: attrs}
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ma := BytesAttribute(AttrMessageAuthenticator, make([]byte, 16))
	for name, b := range map[string][]byte{
		"none":          build(TextAttribute(AttrUserName, "x")),
		"two":           build(ma, ma),
		"15 bytes":      build(BytesAttribute(AttrMessageAuthenticator, make([]byte, 15))),
		"bad attribute": append(build(ma)[:20], 80, 1),
	} {
		if name == "bad attribute" {
			b[3] = 22
		}
		if _, err := MessageAuthenticator(b, secret, nil); dissect.KindOf(err) != dissect.Malformed {
			t.Errorf("%s: %v", name, err)
		}
		if err := SetMessageAuthenticator(b, secret, nil); err == nil {
			t.Errorf("%s: SetMessageAuthenticator succeeded", name)
		}
		if ok, err := VerifyMessageAuthenticator(b, secret, nil); ok || err == nil {
			t.Errorf("%s: verify %v %v", name, ok, err)
		}
	}
	if ResponseAuthenticator(make([]byte, 10), testReqAuth, secret) != ([16]byte{}) || VerifyResponseAuthenticator(make([]byte, 10), testReqAuth, secret) {
		t.Error("authenticator for a 10-byte packet")
	}
	// Padding past the length field is not covered.
	b := build(TextAttribute(AttrUserName, "x"))
	padded := append(bytes.Clone(b), 0, 0, 0)
	if ResponseAuthenticator(b, testReqAuth, secret) != ResponseAuthenticator(padded, testReqAuth, secret) {
		t.Error("padding changed the Response Authenticator")
	}
}
