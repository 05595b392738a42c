package tls

import "testing"

// FuzzRecordOpen opens arbitrary fragments with every record protection,
// seeded with records each one sealed: no panic, no plaintext longer than
// its fragment, and a fragment that opens is the one that was sealed.
func FuzzRecordOpen(f *testing.F) {
	type variant struct {
		suite uint16
		v     Version
		etm   bool
		tls13 bool
	}
	variants := []variant{
		{0x002f, VersionTLS10, false, false}, {0x002f, VersionTLS10, true, false}, {0x003d, VersionTLS12, true, false},
		{0x000a, VersionTLS11, false, false}, {0x0005, VersionTLS12, false, false}, {0x0002, VersionTLS12, false, false},
		{0xc02f, VersionTLS12, false, false}, {0xcca8, VersionDTLS12, false, false},
		{TLS_AES_128_GCM_SHA256, VersionTLS13, false, true}, {TLS_CHACHA20_POLY1305_SHA256, VersionTLS13, false, true},
	}
	newCipher := func(i int) *RecordCipher {
		x := variants[i%len(variants)]
		if x.tls13 {
			h, _ := TLS13Hash(x.suite)
			rc, err := NewTLS13RecordCipher(x.suite, make([]byte, h().Size()))
			if err != nil {
				panic(err)
			}
			return rc
		}
		s, err := NewCipherSpec(x.suite, x.v)
		if err != nil {
			panic(err)
		}
		s.EncryptThenMAC = x.etm
		c, _ := testKeys(s)
		rc, err := s.NewRecordCipher(c)
		if err != nil {
			panic(err)
		}
		return rc
	}
	for i := range variants {
		frag, _ := newCipher(i).Seal(ContentApplicationData, variants[i].v, []byte("sealed plaintext"), &countingReader{})
		f.Add(uint8(i), frag)
	}
	f.Fuzz(func(t *testing.T, which uint8, frag []byte) {
		x := variants[int(which)%len(variants)]
		typ, p, err := newCipher(int(which)).Open(ContentApplicationData, x.v, frag)
		if len(p) > len(frag) {
			t.Fatalf("plaintext of %d bytes from %d", len(p), len(frag))
		}
		if err == nil && (string(p) != "sealed plaintext" || (x.tls13 && typ != ContentApplicationData)) && len(frag) > 0 {
			// Only the seeds authenticate; a forgery would be a bug
			// (or a broken MAC check).
			t.Fatalf("fragment %x opened to %q", frag, p)
		}
	})
}
