package tls

import (
	"bytes"
	"crypto/hmac"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

func TestCipherSpecSizes(t *testing.T) {
	tests := []struct {
		suite                                    uint16
		v                                        Version
		mode                                     RecordMode
		keyBlock, recordIV, fixedIV, key, macLen int
	}{
		{0x002f, VersionTLS10, ModeCBC, 104, 0, 16, 16, 20}, // TLS_RSA_WITH_AES_128_CBC_SHA: IVs from the key block
		{0x002f, VersionTLS11, ModeCBC, 72, 16, 0, 16, 20},
		{0x002f, VersionTLS12, ModeCBC, 72, 16, 0, 16, 20},
		{0x002f, VersionDTLS10, ModeCBC, 72, 16, 0, 16, 20},
		{0x000a, VersionTLS10, ModeCBC, 104, 0, 8, 24, 20},   // TLS_RSA_WITH_3DES_EDE_CBC_SHA
		{0x0005, VersionTLS10, ModeStream, 72, 0, 0, 16, 20}, // TLS_RSA_WITH_RC4_128_SHA
		{0x0004, VersionTLS10, ModeStream, 64, 0, 0, 16, 16}, // TLS_RSA_WITH_RC4_128_MD5
		{0x0002, VersionTLS12, ModeNULL, 40, 0, 0, 0, 20},    // TLS_RSA_WITH_NULL_SHA
		{0x003d, VersionTLS12, ModeCBC, 128, 16, 0, 32, 32},  // TLS_RSA_WITH_AES_256_CBC_SHA256
		{0xc024, VersionTLS12, ModeCBC, 160, 16, 0, 32, 48},  // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384
		{0xc02f, VersionTLS12, ModeAEAD, 40, 8, 4, 16, 0},    // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
		{0xc030, VersionDTLS12, ModeAEAD, 72, 8, 4, 32, 0},   // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
		{0xcca8, VersionTLS12, ModeAEAD, 88, 0, 12, 32, 0},   // TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
	}
	for _, tc := range tests {
		s, err := NewCipherSpec(tc.suite, tc.v)
		if err != nil {
			t.Fatalf("%s at %s: %v", CipherSuiteName(tc.suite), tc.v, err)
		}
		if s.Mode != tc.mode || s.KeyBlockLen() != tc.keyBlock || s.RecordIVLen != tc.recordIV || s.FixedIVLen != tc.fixedIV ||
			s.KeyLen != tc.key || s.MACLen != tc.macLen {
			t.Errorf("%s at %s: %+v (key block %d)", CipherSuiteName(tc.suite), tc.v, s, s.KeyBlockLen())
		}
	}
	for _, bad := range []struct {
		suite uint16
		v     Version
	}{
		{0x002f, VersionSSL30},    // SSL 3.0
		{0x1301, VersionTLS13},    // TLS 1.3 has its own schedule
		{0x1301, VersionTLS12},    // a TLS 1.3 suite in TLS 1.2
		{0xc02f, VersionTLS10},    // GCM before TLS 1.2
		{0x0003, VersionTLS10},    // TLS_RSA_EXPORT_WITH_RC4_40_MD5
		{0x0041, VersionTLS12},    // TLS_RSA_WITH_CAMELLIA_128_CBC_SHA
		{0xc0ac, VersionTLS12},    // TLS_ECDHE_ECDSA_WITH_AES_128_CCM
		{0x00ff, VersionTLS12},    // the renegotiation SCSV
		{0xfafa, VersionTLS12},    // GREASE
		{0x002f, Version(0x7f1c)}, // a TLS 1.3 draft
	} {
		if _, err := NewCipherSpec(bad.suite, bad.v); dissect.KindOf(err) != dissect.Unsupported {
			t.Errorf("%s at %s: %v, want Unsupported", CipherSuiteName(bad.suite), bad.v, err)
		}
	}
	if _, err := NewKeySchedule(VersionSSL30, 0x002f); dissect.KindOf(err) != dissect.Unsupported {
		t.Errorf("SSL 3.0 key schedule: %v", err)
	}
	if ks, err := NewKeySchedule(VersionTLS12, 0xc030); err != nil || len(ks.TranscriptHash(nil)) != 48 {
		t.Errorf("SHA-384 suite: %v", err)
	}
	if ks, err := NewKeySchedule(VersionTLS11, 0xc030); err != nil || len(ks.TranscriptHash(nil)) != 36 {
		t.Errorf("TLS 1.1 transcript hash is MD5 || SHA-1: %v", err)
	}
}

// testKeys fills a key block with a counter, so that every key differs.
func testKeys(s CipherSpec) (client, server DirectionKeys) {
	kb := make([]byte, s.KeyBlockLen())
	for i := range kb {
		kb[i] = byte(i*7 + 1)
	}
	c, sv, err := s.SplitKeyBlock(kb)
	if err != nil {
		panic(err)
	}
	return c, sv
}

// countingReader gives 0, 1, 2, ... as random bytes.
type countingReader struct{ n byte }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.n
		r.n++
	}
	return len(p), nil
}

func TestRecordCipherRoundTrip(t *testing.T) {
	plaintexts := [][]byte{nil, []byte("x"), bytes.Repeat([]byte("0123456789abcdef"), 3), bytes.Repeat([]byte{0xa5}, 1<<14)}
	for _, tc := range []struct {
		suite uint16
		v     Version
		etm   bool
	}{
		{0x002f, VersionTLS10, false},
		{0x002f, VersionTLS10, true},
		{0x002f, VersionTLS12, false},
		{0x002f, VersionTLS12, true},
		{0x000a, VersionTLS10, false},
		{0x0005, VersionTLS12, false},
		{0x0002, VersionTLS12, false},
		{0x003d, VersionTLS12, true},
		{0xc02f, VersionTLS12, false},
		{0xcca8, VersionDTLS12, false},
	} {
		s, err := NewCipherSpec(tc.suite, tc.v)
		if err != nil {
			t.Fatal(err)
		}
		s.EncryptThenMAC = tc.etm
		name := CipherSuiteName(tc.suite) + " " + tc.v.String()
		if tc.etm {
			name += " encrypt-then-MAC"
		}
		ck, sk := testKeys(s)
		w, _ := s.NewRecordCipher(ck)
		var recs [][]byte
		for _, p := range plaintexts {
			f, err := w.Seal(ContentApplicationData, tc.v, p, &countingReader{})
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, f)
		}
		r, _ := s.NewRecordCipher(ck)
		for i, f := range recs {
			typ, p, err := r.Open(ContentApplicationData, tc.v, f)
			if err != nil || typ != ContentApplicationData || !bytes.Equal(p, plaintexts[i]) {
				t.Fatalf("%s record %d: %v", name, i, err)
			}
		}
		if tc.etm && s.Mode == ModeCBC && s.RecordIVLen > 0 {
			// RFC 7366: the MAC covers seq || header with the length of
			// IV || ciphertext, then IV || ciphertext.
			f := recs[1]
			body, tag := f[:len(f)-s.MACLen], f[len(f)-s.MACLen:]
			ad := binary.BigEndian.AppendUint64(nil, 1)
			ad = append(ad, byte(ContentApplicationData), byte(tc.v>>8), byte(tc.v), byte(len(body)>>8), byte(len(body)))
			m := hmac.New(s.macHash, ck.MACKey)
			m.Write(ad)
			m.Write(body)
			if !bytes.Equal(m.Sum(nil), tag) {
				t.Errorf("%s: the MAC is not over the ciphertext", name)
			}
		}
		// The other direction's keys, another sequence number, another
		// content type and every flipped byte fail.
		other, _ := s.NewRecordCipher(sk)
		if _, _, err := other.Open(ContentApplicationData, tc.v, recs[2]); err == nil {
			t.Errorf("%s: opened with the server's keys", name)
		}
		if s.Mode == ModeAEAD || s.RecordIVLen > 0 || s.Mode == ModeNULL {
			// Stateless ciphers: a single record can be tried alone.
			r2, _ := s.NewRecordCipher(ck)
			r2.SetSequence(2)
			if _, _, err := r2.Open(ContentHandshake, tc.v, recs[2]); !errors.Is(err, ErrBadRecordMAC) {
				t.Errorf("%s: content type not authenticated: %v", name, err)
			}
			r2.SetSequence(3)
			if _, _, err := r2.Open(ContentApplicationData, tc.v, recs[2]); !errors.Is(err, ErrBadRecordMAC) {
				t.Errorf("%s: sequence number not authenticated: %v", name, err)
			}
			for i := range recs[2] {
				bad := bytes.Clone(recs[2])
				bad[i] ^= 0x01
				r2.SetSequence(2)
				if _, _, err := r2.Open(ContentApplicationData, tc.v, bad); err == nil {
					t.Fatalf("%s: byte %d flipped and the record still opens", name, i)
				}
			}
			for n := range len(recs[0]) {
				r2.SetSequence(0)
				if _, _, err := r2.Open(ContentApplicationData, tc.v, recs[0][:n]); err == nil {
					t.Fatalf("%s: record cut to %d bytes opens", name, n)
				}
			}
		}
	}
}

// TestTLS10CBCChainsIVs checks the TLS 1.0 rule that each record's IV is
// the last ciphertext block of the one before, and that a failed record
// still moves the chain on.
func TestTLS10CBCChainsIVs(t *testing.T) {
	s, _ := NewCipherSpec(0x002f, VersionTLS10)
	ck, _ := testKeys(s)
	w, _ := s.NewRecordCipher(ck)
	a, _ := w.Seal(ContentApplicationData, VersionTLS10, []byte("first"), nil)
	b, _ := w.Seal(ContentApplicationData, VersionTLS10, []byte("second"), nil)
	c, _ := w.Seal(ContentApplicationData, VersionTLS10, []byte("third"), nil)
	if len(a)%16 != 0 || len(a) != 32 {
		t.Fatalf("record of %d bytes: no IV is sent in TLS 1.0", len(a))
	}
	r, _ := s.NewRecordCipher(ck)
	r.Open(ContentApplicationData, VersionTLS10, a)
	bad := bytes.Clone(b)
	bad[len(bad)-1] ^= 1
	if _, _, err := r.Open(ContentApplicationData, VersionTLS10, bad); err == nil {
		t.Fatal("damaged record opens")
	}
	// The damaged record's last block was still the next IV... but it
	// was damaged, so the first block of c decrypts wrong: the MAC fails.
	if _, _, err := r.Open(ContentApplicationData, VersionTLS10, c); err == nil {
		t.Fatal("record after a damaged one opens with the damaged IV")
	}
	r, _ = s.NewRecordCipher(ck)
	r.Open(ContentApplicationData, VersionTLS10, a)
	r.SetSequence(2)
	// Skipping b entirely: the IV chain is broken as well.
	if _, _, err := r.Open(ContentApplicationData, VersionTLS10, c); err == nil {
		t.Fatal("record opens with the IV of another record")
	}
}

func TestTLS13RecordCipherSuites(t *testing.T) {
	for _, suite := range []uint16{TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256} {
		h, err := TLS13Hash(suite)
		if err != nil {
			t.Fatal(err)
		}
		secret := bytes.Repeat([]byte{byte(suite)}, h().Size())
		w, err := NewTLS13RecordCipher(suite, secret)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := w.Seal(ContentHandshake, 0, []byte("message"), nil)
		r, _ := NewTLS13RecordCipher(suite, secret)
		typ, p, err := r.Open(ContentApplicationData, VersionTLS12, f)
		if err != nil || typ != ContentHandshake || string(p) != "message" {
			t.Fatalf("%s: %s %q %v", CipherSuiteName(suite), typ, p, err)
		}
		next, _ := TLS13NextTrafficSecret(suite, secret)
		if bytes.Equal(next, secret) || len(next) != len(secret) {
			t.Fatalf("%s: KeyUpdate secret %x", CipherSuiteName(suite), next)
		}
		// Zero padding after the content type is stripped; a plaintext
		// of zeros only has no content type.
		w2, _ := NewTLS13RecordCipher(suite, next)
		for _, tc := range []struct {
			inner string
			ok    bool
		}{{"data\x17\x00\x00\x00", true}, {"\x00\x00", false}} {
			n := len(tc.inner) + w2.aead.Overhead()
			ad := []byte{23, 3, 3, byte(n >> 8), byte(n)}
			f := w2.aead.Seal(nil, w2.nonce(nil), []byte(tc.inner), ad)
			r2, _ := NewTLS13RecordCipher(suite, next)
			typ, p, err := r2.Open(ContentApplicationData, VersionTLS12, f)
			if tc.ok && (err != nil || typ != ContentApplicationData || string(p) != "data") {
				t.Fatalf("%s: padded record: %s %q %v", CipherSuiteName(suite), typ, p, err)
			}
			if !tc.ok && dissect.KindOf(err) != dissect.Malformed {
				t.Fatalf("%s: record of zeros: %v", CipherSuiteName(suite), err)
			}
		}
		if _, err := NewTLS13RecordCipher(suite, secret[1:]); err == nil {
			t.Errorf("%s: short traffic secret accepted", CipherSuiteName(suite))
		}
	}
	if _, err := NewTLS13RecordCipher(0x1304, make([]byte, 32)); dissect.KindOf(err) != dissect.Unsupported {
		t.Errorf("TLS_AES_128_CCM_SHA256: %v", err)
	}
}
