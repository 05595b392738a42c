package tls

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/sessionscope/sscope/dissect"
)

// RecordMode is how a cipher suite protects records in TLS 1.0 to 1.2.
type RecordMode uint8

// Record protection modes.
const (
	// ModeNULL: no encryption, an HMAC only (the *_WITH_NULL_* suites).
	ModeNULL RecordMode = iota + 1
	// ModeStream: RC4 and an HMAC; the cipher state runs on across
	// records.
	ModeStream
	// ModeCBC: a block cipher in CBC mode with an HMAC, MAC-then-encrypt
	// (or encrypt-then-MAC, RFC 7366). TLS 1.0 chains the IV from record
	// to record; TLS 1.1, 1.2 and DTLS send it in each record.
	ModeCBC
	// ModeAEAD: AES-GCM with an 8-byte explicit nonce (RFC 5288) or
	// ChaCha20-Poly1305 with a nonce made from the sequence number (RFC
	// 7905).
	ModeAEAD
)

// String names the mode.
func (m RecordMode) String() string {
	switch m {
	case ModeNULL:
		return "NULL"
	case ModeStream:
		return "stream"
	case ModeCBC:
		return "CBC"
	case ModeAEAD:
		return "AEAD"
	}
	return "unknown"
}

// CipherSpec is the record protection of a TLS 1.0 to 1.2 (DTLS 0.9 to
// 1.2) cipher suite at a protocol version: which cipher and MAC, and how
// many bytes of the key block each key takes.
type CipherSpec struct {
	Suite   uint16
	Version Version
	Mode    RecordMode
	Cipher  string // as in SuiteInfo: "AES_128_CBC", "CHACHA20_POLY1305", ...
	MAC     string // "SHA", "SHA256", "SHA384", "MD5"; "AEAD" for AEAD suites
	// KeyLen, MACLen (HMAC key and tag) and FixedIVLen are the key block
	// bytes of each direction; RecordIVLen is the IV or explicit nonce
	// every record carries; BlockSize is the CBC block size.
	KeyLen, MACLen, FixedIVLen, RecordIVLen, BlockSize int
	// EncryptThenMAC selects RFC 7366 for a CBC suite (both hellos carried
	// encrypt_then_mac). It is ignored for other modes.
	EncryptThenMAC bool

	newBlock func(key []byte) (cipher.Block, error)
	newAEAD  func(key []byte) (cipher.AEAD, error)
	macHash  func() hash.Hash
}

// NewCipherSpec describes the record protection of suite at version v. It
// knows the ciphers AES-128/256 in CBC and GCM, ChaCha20-Poly1305,
// 3DES-EDE-CBC, RC4-128 and NULL with HMAC-MD5, -SHA1, -SHA256 or -SHA384;
// other suites, export suites, SSL 3.0 and TLS 1.3 give an Unsupported
// error.
func NewCipherSpec(suite uint16, v Version) (CipherSpec, error) {
	unsupported := func(why string) (CipherSpec, error) {
		return CipherSpec{}, dissect.Errorf(dissect.Unsupported, "tls", -1, "%s at %s: %s", CipherSuiteName(suite), v, why)
	}
	switch v {
	case VersionTLS10, VersionTLS11, VersionTLS12, VersionDTLS09, VersionDTLS10, VersionDTLS12:
	default:
		return unsupported("no TLS 1.0-1.2 record protection for this version")
	}
	info, ok := CipherSuiteInfo(suite)
	switch {
	case !ok:
		return unsupported("unknown cipher suite")
	case info.TLS13:
		return unsupported("a TLS 1.3 suite")
	case info.Export:
		return unsupported("export suites are not decrypted")
	}
	s := CipherSpec{Suite: suite, Version: v, Cipher: info.Cipher, MAC: info.MAC}
	explicitIV := v != VersionTLS10
	switch info.Cipher {
	case "NULL":
		s.Mode = ModeNULL
	case "RC4_128":
		s.Mode, s.KeyLen = ModeStream, 16
	case "AES_128_CBC", "AES_256_CBC", "3DES_EDE_CBC":
		s.Mode, s.BlockSize, s.newBlock = ModeCBC, aes.BlockSize, aes.NewCipher
		s.KeyLen = 16
		switch info.Cipher {
		case "AES_256_CBC":
			s.KeyLen = 32
		case "3DES_EDE_CBC":
			s.KeyLen, s.BlockSize, s.newBlock = 24, des.BlockSize, des.NewTripleDESCipher
		}
		if explicitIV {
			s.RecordIVLen = s.BlockSize
		} else {
			s.FixedIVLen = s.BlockSize
		}
	case "AES_128_GCM", "AES_256_GCM":
		s.Mode, s.KeyLen, s.FixedIVLen, s.RecordIVLen = ModeAEAD, 16, 4, 8
		if info.Cipher == "AES_256_GCM" {
			s.KeyLen = 32
		}
		s.newAEAD = newGCM
	case "CHACHA20_POLY1305":
		s.Mode, s.KeyLen, s.FixedIVLen = ModeAEAD, chacha20poly1305.KeySize, chacha20poly1305.NonceSize
		s.newAEAD = chacha20poly1305.New
	default:
		return unsupported("cipher " + info.Cipher + " is not decrypted")
	}
	if s.Mode == ModeAEAD {
		if v != VersionTLS12 && v != VersionDTLS12 {
			return unsupported("AEAD suites need TLS 1.2")
		}
		return s, nil
	}
	switch info.MAC {
	case "MD5":
		s.MACLen, s.macHash = md5.Size, md5.New
	case "SHA":
		s.MACLen, s.macHash = sha1.Size, sha1.New
	case "SHA256":
		s.MACLen, s.macHash = sha256.Size, sha256.New
	case "SHA384":
		s.MACLen, s.macHash = sha512.Size384, sha512.New384
	default:
		return unsupported("MAC " + info.MAC + " is not supported")
	}
	return s, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// KeyBlockLen is how many key block bytes the record keys of both
// directions take: MAC keys, encryption keys and fixed IVs (RFC 5246
// section 6.3). Key block bytes after these are free for other uses
// (EAP-FAST's session_key_seed).
func (s CipherSpec) KeyBlockLen() int { return 2 * (s.MACLen + s.KeyLen + s.FixedIVLen) }

// DirectionKeys are the keys one side writes records with.
type DirectionKeys struct {
	MACKey, Key, IV []byte
}

// SplitKeyBlock splits a key block of at least KeyBlockLen bytes into the
// client's and the server's write keys, in the order of RFC 5246 section
// 6.3. The keys alias kb.
func (s CipherSpec) SplitKeyBlock(kb []byte) (client, server DirectionKeys, err error) {
	if len(kb) < s.KeyBlockLen() {
		return client, server, dissect.Errorf(dissect.Truncated, "tls", len(kb), "key block of %d bytes, %s needs %d", len(kb), CipherSuiteName(s.Suite), s.KeyBlockLen())
	}
	take := func(n int) []byte {
		v := kb[:n:n]
		kb = kb[n:]
		return v
	}
	client.MACKey, server.MACKey = take(s.MACLen), take(s.MACLen)
	client.Key, server.Key = take(s.KeyLen), take(s.KeyLen)
	client.IV, server.IV = take(s.FixedIVLen), take(s.FixedIVLen)
	return client, server, nil
}

// NewCiphers derives the key block of a session from its master secret and
// returns the record ciphers the client and the server write with.
func (s CipherSpec) NewCiphers(ks KeySchedule, masterSecret []byte, clientRandom, serverRandom [32]byte) (client, server *RecordCipher, err error) {
	kb := ks.KeyBlock(masterSecret, clientRandom, serverRandom, s.KeyBlockLen())
	ck, sk, err := s.SplitKeyBlock(kb)
	if err != nil {
		return nil, nil, err
	}
	if client, err = s.NewRecordCipher(ck); err != nil {
		return nil, nil, err
	}
	if server, err = s.NewRecordCipher(sk); err != nil {
		return nil, nil, err
	}
	return client, server, nil
}
