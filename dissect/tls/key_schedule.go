package tls

import (
	"crypto"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"github.com/sessionscope/sscope/dissect"
)

// KeySchedule derives the secrets of one TLS 1.0 to 1.2 (DTLS 0.9 to 1.2)
// session: master secret, extended master secret, key block and Finished
// verify_data, with the PRF of its version and cipher suite. The zero
// value is not usable; NewKeySchedule makes one.
type KeySchedule struct {
	version Version
	// hash is the PRF and transcript hash of TLS 1.2; zero means the
	// MD5 + SHA-1 construction of TLS 1.0 and 1.1.
	hash crypto.Hash
}

// NewKeySchedule returns the key schedule of cipher suite suite at version
// v. TLS 1.2 and DTLS 1.2 use P_SHA256, or P_SHA384 for the suites named
// with SHA384; TLS 1.0, 1.1, DTLS 1.0 and DTLS 0.9 use the MD5/SHA-1 PRF.
// SSL 3.0, TLS 1.3 (see the TLS13 functions) and suites whose PRF hash is
// neither SHA-256 nor SHA-384 give an Unsupported error.
func NewKeySchedule(v Version, suite uint16) (KeySchedule, error) {
	switch v {
	case VersionTLS10, VersionTLS11, VersionDTLS09, VersionDTLS10:
		return KeySchedule{version: v}, nil
	case VersionTLS12, VersionDTLS12:
	default:
		return KeySchedule{}, dissect.Errorf(dissect.Unsupported, "tls", -1, "no TLS 1.0-1.2 key schedule for %s", v)
	}
	info, ok := CipherSuiteInfo(suite)
	if !ok {
		return KeySchedule{}, dissect.Errorf(dissect.Unsupported, "tls", -1, "unknown cipher suite %s", CipherSuiteName(suite))
	}
	if info.TLS13 {
		return KeySchedule{}, dissect.Errorf(dissect.Unsupported, "tls", -1, "%s is a TLS 1.3 suite", CipherSuiteName(suite))
	}
	switch info.Hash {
	case "", "SHA256":
		return KeySchedule{version: v, hash: crypto.SHA256}, nil
	case "SHA384":
		return KeySchedule{version: v, hash: crypto.SHA384}, nil
	}
	return KeySchedule{}, dissect.Errorf(dissect.Unsupported, "tls", -1, "PRF hash %s of %s", info.Hash, CipherSuiteName(suite))
}

// Version is the protocol version the schedule was made for.
func (k KeySchedule) Version() Version { return k.version }

func (k KeySchedule) newHash() func() hash.Hash {
	if k.hash == crypto.SHA384 {
		return sha512.New384
	}
	return sha256.New
}

// PRF is the session's PRF: PRF(secret, label, seed) truncated to n bytes.
func (k KeySchedule) PRF(secret []byte, label string, seed []byte, n int) []byte {
	if k.hash == 0 {
		return PRF10(secret, label, seed, n)
	}
	return PRF12(k.newHash(), secret, label, seed, n)
}

// TranscriptHash hashes handshake messages (headers included) as Finished
// and the extended master secret's session_hash need: with the PRF hash in
// TLS 1.2, as MD5 || SHA-1 in TLS 1.0 and 1.1.
func (k KeySchedule) TranscriptHash(transcript []byte) []byte {
	if k.hash == 0 {
		m := md5.Sum(transcript)
		s := sha1.Sum(transcript)
		return append(m[:], s[:]...)
	}
	h := k.newHash()()
	h.Write(transcript)
	return h.Sum(nil)
}

// MasterSecret derives the master secret from the premaster secret (RFC
// 5246 section 8.1).
func (k KeySchedule) MasterSecret(preMaster []byte, clientRandom, serverRandom [32]byte) []byte {
	seed := make([]byte, 0, 64)
	seed = append(append(seed, clientRandom[:]...), serverRandom[:]...)
	return k.PRF(preMaster, LabelMasterSecret, seed, MasterSecretLen)
}

// ExtendedMasterSecret derives the master secret of a session that
// negotiated extended_master_secret (RFC 7627 section 4): sessionHash is
// TranscriptHash of the handshake messages up to and including the
// ClientKeyExchange.
func (k KeySchedule) ExtendedMasterSecret(preMaster, sessionHash []byte) []byte {
	return k.PRF(preMaster, LabelExtendedMasterSecret, sessionHash, MasterSecretLen)
}

// KeyBlock expands the master secret into n bytes of key material (RFC
// 5246 section 6.3; the server random comes first). CipherSpec.KeyBlockLen
// says how many bytes the record keys take.
func (k KeySchedule) KeyBlock(masterSecret []byte, clientRandom, serverRandom [32]byte, n int) []byte {
	seed := make([]byte, 0, 64)
	seed = append(append(seed, serverRandom[:]...), clientRandom[:]...)
	return k.PRF(masterSecret, LabelKeyExpansion, seed, n)
}

// FinishedVerifyData computes Finished.verify_data of the client (client
// true) or the server over transcriptHash, the TranscriptHash of the
// handshake messages before that Finished (RFC 5246 section 7.4.9).
func (k KeySchedule) FinishedVerifyData(masterSecret []byte, client bool, transcriptHash []byte) []byte {
	label := LabelServerFinished
	if client {
		label = LabelClientFinished
	}
	return k.PRF(masterSecret, label, transcriptHash, FinishedVerifyDataLen)
}
