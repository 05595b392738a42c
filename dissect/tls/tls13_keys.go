package tls

import (
	"crypto"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// TLS 1.3 cipher suites (RFC 8446 appendix B.4) whose records this package
// protects.
const (
	TLS_AES_128_GCM_SHA256       uint16 = 0x1301
	TLS_AES_256_GCM_SHA384       uint16 = 0x1302
	TLS_CHACHA20_POLY1305_SHA256 uint16 = 0x1303
)

// tls13Suite is what the key schedule needs of a TLS 1.3 suite.
type tls13Suite struct {
	hash    crypto.Hash
	keyLen  int
	newAEAD func(key []byte) (cipher.AEAD, error)
}

func tls13SuiteByID(id uint16) (tls13Suite, error) {
	switch id {
	case TLS_AES_128_GCM_SHA256:
		return tls13Suite{hash: crypto.SHA256, keyLen: 16, newAEAD: newGCM}, nil
	case TLS_AES_256_GCM_SHA384:
		return tls13Suite{hash: crypto.SHA384, keyLen: 32, newAEAD: newGCM}, nil
	case TLS_CHACHA20_POLY1305_SHA256:
		return tls13Suite{hash: crypto.SHA256, keyLen: chacha20poly1305.KeySize, newAEAD: chacha20poly1305.New}, nil
	}
	return tls13Suite{}, dissect.Errorf(dissect.Unsupported, "tls", -1, "TLS 1.3 suite %s is not supported", CipherSuiteName(id))
}

func (s tls13Suite) newHash() func() hash.Hash {
	if s.hash == crypto.SHA384 {
		return sha512.New384
	}
	return sha256.New
}

// TLS13Hash returns the hash of a TLS 1.3 cipher suite (SHA-256 or
// SHA-384), or an Unsupported error for suites this package cannot
// protect (the CCM suites among them).
func TLS13Hash(suite uint16) (func() hash.Hash, error) {
	s, err := tls13SuiteByID(suite)
	if err != nil {
		return nil, err
	}
	return s.newHash(), nil
}

// HKDFExpandLabel is HKDF-Expand-Label of RFC 8446 section 7.1 ("tls13 "
// prefixed label, context, n bytes). It returns nil when n or the label do
// not fit their length fields, or n exceeds what HKDF can give.
func HKDFExpandLabel(h func() hash.Hash, secret []byte, label string, context []byte, n int) []byte {
	if n < 0 || n > 0xffff {
		return nil
	}
	var b cryptobyte.Builder
	b.AddUint16(uint16(n))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddBytes([]byte("tls13 "))
		b.AddBytes([]byte(label))
	})
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(context) })
	info, err := b.Bytes()
	if err != nil {
		return nil
	}
	out, err := hkdf.Expand(h, secret, string(info), n)
	if err != nil {
		return nil
	}
	return out
}

// TLS13DeriveSecret is Derive-Secret of RFC 8446 section 7.1, given the
// transcript hash rather than the messages.
func TLS13DeriveSecret(h func() hash.Hash, secret []byte, label string, transcriptHash []byte) []byte {
	return HKDFExpandLabel(h, secret, label, transcriptHash, h().Size())
}

// tls13Extract is HKDF-Extract with a missing input taken as zeros of the
// hash length (RFC 8446 section 7.1).
func tls13Extract(h func() hash.Hash, salt, ikm []byte) []byte {
	if ikm == nil {
		ikm = make([]byte, h().Size())
	}
	prk, err := hkdf.Extract(h, ikm, salt)
	if err != nil {
		return nil
	}
	return prk
}

func emptyHash(h func() hash.Hash) []byte { return h().Sum(nil) }

// TLS13EarlySecret is HKDF-Extract(0, PSK) (all zeros without a PSK).
func TLS13EarlySecret(h func() hash.Hash, psk []byte) []byte { return tls13Extract(h, nil, psk) }

// TLS13HandshakeSecret is HKDF-Extract(Derive-Secret(early, "derived",
// ""), (EC)DHE shared secret).
func TLS13HandshakeSecret(h func() hash.Hash, earlySecret, sharedSecret []byte) []byte {
	return tls13Extract(h, TLS13DeriveSecret(h, earlySecret, "derived", emptyHash(h)), sharedSecret)
}

// TLS13MasterSecret is HKDF-Extract(Derive-Secret(handshake, "derived",
// ""), 0).
func TLS13MasterSecret(h func() hash.Hash, handshakeSecret []byte) []byte {
	return tls13Extract(h, TLS13DeriveSecret(h, handshakeSecret, "derived", emptyHash(h)), nil)
}

// Labels of the TLS 1.3 traffic secrets (RFC 8446 section 7.1), derived
// with TLS13DeriveSecret over the transcript hash: the handshake secrets
// over ClientHello..ServerHello, the application secrets over
// ClientHello..server Finished.
const (
	LabelClientHandshakeTraffic   = "c hs traffic"
	LabelServerHandshakeTraffic   = "s hs traffic"
	LabelClientApplicationTraffic = "c ap traffic"
	LabelServerApplicationTraffic = "s ap traffic"
)

// TLS13TrafficKeys derives the record key and IV of a traffic secret (RFC
// 8446 section 7.3).
func TLS13TrafficKeys(suite uint16, trafficSecret []byte) (key, iv []byte, err error) {
	s, err := tls13SuiteByID(suite)
	if err != nil {
		return nil, nil, err
	}
	h := s.newHash()
	return HKDFExpandLabel(h, trafficSecret, "key", nil, s.keyLen), HKDFExpandLabel(h, trafficSecret, "iv", nil, 12), nil
}

// TLS13NextTrafficSecret is the application traffic secret after a
// KeyUpdate (RFC 8446 section 7.2).
func TLS13NextTrafficSecret(suite uint16, trafficSecret []byte) ([]byte, error) {
	s, err := tls13SuiteByID(suite)
	if err != nil {
		return nil, err
	}
	h := s.newHash()
	return HKDFExpandLabel(h, trafficSecret, "traffic upd", nil, h().Size()), nil
}

// NewTLS13RecordCipher returns the cipher of the records protected with
// a traffic secret (RFC 8446 section 5.2), starting at sequence number 0.
func NewTLS13RecordCipher(suite uint16, trafficSecret []byte) (*RecordCipher, error) {
	s, err := tls13SuiteByID(suite)
	if err != nil {
		return nil, err
	}
	if len(trafficSecret) != s.hash.Size() {
		return nil, dissect.Errorf(dissect.Malformed, "tls", -1, "traffic secret of %d bytes for %s", len(trafficSecret), CipherSuiteName(suite))
	}
	key, iv, _ := TLS13TrafficKeys(suite, trafficSecret)
	aead, err := s.newAEAD(key)
	if err != nil {
		return nil, dissect.Errorf(dissect.Malformed, "tls", -1, "%s keys: %v", CipherSuiteName(suite), err)
	}
	return &RecordCipher{mode: ModeAEAD, tls13: true, aead: aead, fixedIV: iv, xorIV: true}, nil
}

// open13 opens a TLSCiphertext: the additional data is the record header,
// the plaintext is content || type || zero padding.
func (rc *RecordCipher) open13(typ ContentType, ver Version, frag []byte) (ContentType, []byte, error) {
	if len(frag) < rc.aead.Overhead()+1 {
		return typ, nil, shortRecord(len(frag))
	}
	ad := []byte{byte(typ), byte(ver >> 8), byte(ver), byte(len(frag) >> 8), byte(len(frag))}
	p, err := rc.aead.Open(nil, rc.nonce(nil), frag, ad)
	if err != nil {
		return typ, nil, ErrBadRecordMAC
	}
	i := len(p) - 1
	for i >= 0 && p[i] == 0 {
		i--
	}
	if i < 0 {
		return typ, nil, dissect.Errorf(dissect.Malformed, "tls", -1, "TLS 1.3 record without a content type")
	}
	return ContentType(p[i]), p[:i], nil
}

func (rc *RecordCipher) seal13(typ ContentType, plain []byte) []byte {
	inner := append(append(make([]byte, 0, len(plain)+1), plain...), byte(typ))
	n := len(inner) + rc.aead.Overhead()
	ad := []byte{byte(ContentApplicationData), 3, 3, byte(n >> 8), byte(n)}
	return rc.aead.Seal(nil, rc.nonce(nil), inner, ad)
}
