package radius

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/sessionscope/sscope/dissect"
)

// fuzzSeeds adds every RADIUS payload of the corpus, the FreeRADIUS
// capture and the RFC 2865 examples.
func fuzzSeeds(f *testing.F) {
	if corpusDir() != "" {
		for _, c := range corpusRADIUSPackets(f) {
			f.Add(c.Payload)
		}
	}
	for _, b := range readCapture(f, "testdata/freeradius-3.2.1.pcapng") {
		f.Add(b)
	}
	for _, h := range []string{rfc2865AccessRequest, rfc2865AccessAccept, rfc2865CHAPRequest, rfc2865AccessChallenge} {
		f.Add(mustHex(f, h))
	}
}

// checkAttributes verifies that every attribute points at its own bytes.
func checkAttributes(t *testing.T, p *Packet) {
	for i, a := range p.Attributes {
		hdr := 2
		if a.Offset < HeaderLen || a.Offset+hdr+len(a.Value) > len(p.Raw) {
			t.Fatalf("attribute %d at %d with %d bytes outside the %d-byte packet", i, a.Offset, len(a.Value), len(p.Raw))
		}
		want := a.Type
		if a.IsVendorSub() {
			want = a.VendorType
		}
		if p.Raw[a.Offset] != want || int(p.Raw[a.Offset+1]) != hdr+len(a.Value) ||
			!bytes.Equal(p.Raw[a.Offset+hdr:a.Offset+hdr+len(a.Value)], a.Value) {
			t.Fatalf("attribute %d (%+v) does not match the bytes at its offset", i, a)
		}
	}
}

func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	var reused Packet
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(b)
		if err != nil {
			var de *dissect.Error
			if !errors.As(err, &de) || de.Layer != "radius" || de.Offset < -1 || de.Offset > len(b) {
				t.Fatalf("error %#v", err)
			}
		} else if len(p.Raw) != int(p.Length) {
			t.Fatalf("Raw %d bytes, Length %d", len(p.Raw), p.Length)
		}
		checkAttributes(t, p)

		err2 := reused.DecodeFromBytes(b)
		if (err == nil) != (err2 == nil) || len(reused.Attributes) != len(p.Attributes) || reused.Code != p.Code {
			t.Fatalf("reused packet decodes differently: %v vs %v", err2, err)
		}

		if err != nil || int(p.Length) > MaxPacketLen {
			return
		}
		orig := append([]Attribute(nil), p.Attributes...)
		raw, err := p.Marshal()
		if err != nil {
			// Only regrouping sub-attributes can push the packet past the
			// limit.
			return
		}
		q, err := Parse(raw)
		if err != nil || len(q.Attributes) != len(orig) || q.Code != p.Code || q.Identifier != p.Identifier || q.Authenticator != p.Authenticator {
			t.Fatalf("re-marshaled packet %x decodes to %d attributes, %v", raw, len(q.Attributes), err)
		}
		for i, a := range orig {
			c := q.Attributes[i]
			if a.Type != c.Type || a.Vendor != c.Vendor || a.VendorType != c.VendorType || !bytes.Equal(a.Value, c.Value) {
				t.Fatalf("attribute %d: %+v became %+v", i, a, c)
			}
		}
		again, err := q.Marshal()
		if err != nil || !bytes.Equal(again, raw) {
			t.Fatalf("Marshal is not stable: %v", err)
		}
	})
}

func FuzzFormat(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, _ := Parse(b)
		hidden, shown := p.Fields(false), p.Fields(true)
		if len(hidden) != len(p.Attributes) || len(shown) != len(p.Attributes) {
			t.Fatalf("%d fields for %d attributes", len(hidden), len(p.Attributes))
		}
		for i, a := range p.Attributes {
			h, s := hidden[i], shown[i]
			if h.Name == "" || h.Name != a.Name() || h.Secret != IsSecret(a) {
				t.Fatalf("field %+v for %+v", h, a)
			}
			if h.Secret && h.Value != Redacted {
				t.Fatalf("secret %s shown as %q", h.Name, h.Value)
			}
			for _, f := range []Field{h, s} {
				if !utf8.ValidString(f.Value) || !utf8.ValidString(f.Problem) {
					t.Fatalf("field %s is not valid UTF-8: %q", f.Name, f.Value)
				}
				if f.Problem != "" && f.Value != hex.EncodeToString(a.Value) {
					t.Fatalf("field %s with problem %q shows %q, want the value in hex", f.Name, f.Problem, f.Value)
				}
			}
			_, _ = a.Uint32()
			_, _ = a.Addr()
			_ = a.Text()
		}
		_, _ = p.EAPMessage()
		_, _ = p.AuditSessionID()
		_ = p.CiscoAVPairs()
		_, _ = p.State()
	})
}

// FuzzReveal feeds arbitrary packets and values to the functions that
// check and reveal with a shared secret.
func FuzzReveal(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		secret := []byte("testing123")
		var ra [16]byte
		copy(ra[:], b)
		_, _ = MessageAuthenticator(b, secret, nil)
		_, _ = VerifyMessageAuthenticator(b, secret, &ra)
		_ = VerifyResponseAuthenticator(b, ra, secret)
		_ = AccountingRequestAuthenticator(b, secret)
		c := bytes.Clone(b)
		if err := SetMessageAuthenticator(c, secret, nil); err == nil {
			if ok, err := VerifyMessageAuthenticator(c, secret, nil); !ok || err != nil {
				t.Fatalf("set then verify: %v %v", ok, err)
			}
		}
		if pw, err := DecryptUserPassword(b, secret, ra); err == nil && len(pw) > len(b) {
			t.Fatal("password longer than its value")
		}
		if k, err := DecryptMPPEKey(b, secret, ra); err == nil {
			if len(k) > len(b)-3 {
				t.Fatal("key longer than its value")
			}
			v := EncryptMPPEKey(k, secret, ra, uint16(b[0])<<8|uint16(b[1]))
			if k2, err := DecryptMPPEKey(v, secret, ra); err != nil || !bytes.Equal(k2, k) {
				t.Fatalf("re-hidden key reveals to %x, %v", k2, err)
			}
		}
		_, _, _ = DecryptTunnelPassword(b, secret, ra)
	})
}
