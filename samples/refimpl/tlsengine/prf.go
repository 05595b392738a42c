package tlsengine

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"hash"
)

// Sizes of the TLS 1.2 key schedule (RFC 5246 sections 7.4.9 and 8.1).
const (
	masterSecretLen = 48
	verifyDataLen   = 12
)

// Key schedule labels (RFC 5246, RFC 7627).
const (
	labelMasterSecret         = "master secret"
	labelExtendedMasterSecret = "extended master secret"
	labelKeyExpansion         = "key expansion"
	labelClientFinished       = "client finished"
	labelServerFinished       = "server finished"
)

// pHash is P_hash of RFC 5246 section 5, appending n bytes to out.
func pHash(out []byte, h func() hash.Hash, secret, seed []byte, n int) []byte {
	mac := hmac.New(h, secret)
	mac.Write(seed)
	a := mac.Sum(nil)
	for need := len(out) + n; len(out) < need; {
		mac.Reset()
		mac.Write(a)
		mac.Write(seed)
		b := mac.Sum(nil)
		out = append(out, b[:min(len(b), need-len(out))]...)
		mac.Reset()
		mac.Write(a)
		a = mac.Sum(a[:0])
	}
	return out
}

// PRF12 is the TLS 1.2 PRF (RFC 5246 section 5): P_hash(secret, label ||
// seed) truncated to n bytes. The suites of this package use SHA-256.
func PRF12(hash func() hash.Hash, secret []byte, label string, seed []byte, n int) []byte {
	ls := make([]byte, 0, len(label)+len(seed))
	ls = append(append(ls, label...), seed...)
	return pHash(make([]byte, 0, n), hash, secret, ls, n)
}

// PRF10 is the TLS 1.0 and 1.1 PRF (RFC 2246 section 5): P_MD5 over the
// first half of the secret XOR P_SHA1 over the second half (the halves
// share the middle byte when the length is odd).
func PRF10(secret []byte, label string, seed []byte, n int) []byte {
	ls := make([]byte, 0, len(label)+len(seed))
	ls = append(append(ls, label...), seed...)
	half := (len(secret) + 1) / 2
	s1, s2 := secret[:half], secret[len(secret)-half:]
	out := pHash(make([]byte, 0, n), md5.New, s1, ls, n)
	x := pHash(make([]byte, 0, n), sha1.New, s2, ls, n)
	for i := range out {
		out[i] ^= x[i]
	}
	return out
}

// prf is the PRF of every suite this engine speaks: TLS 1.2 with SHA-256.
func prf(secret []byte, label string, seed []byte, n int) []byte {
	return PRF12(sha256.New, secret, label, seed, n)
}

func concat(parts ...[]byte) []byte {
	var n int
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// masterSecret derives the master secret from the premaster secret: RFC
// 5246 section 8.1, or RFC 7627 section 4 over sessionHash when ems.
func masterSecret(preMaster []byte, ems bool, clientRandom, serverRandom [32]byte, sessionHash []byte) []byte {
	if ems {
		return prf(preMaster, labelExtendedMasterSecret, sessionHash, masterSecretLen)
	}
	return prf(preMaster, labelMasterSecret, concat(clientRandom[:], serverRandom[:]), masterSecretLen)
}

// keyBlock expands the master secret into n bytes of key material (RFC
// 5246 section 6.3; note the server random comes first).
func keyBlock(ms []byte, clientRandom, serverRandom [32]byte, n int) []byte {
	return prf(ms, labelKeyExpansion, concat(serverRandom[:], clientRandom[:]), n)
}

// finishedVerifyData computes Finished.verify_data over the transcript
// hash (RFC 5246 section 7.4.9).
func finishedVerifyData(ms []byte, client bool, transcriptHash []byte) []byte {
	label := labelServerFinished
	if client {
		label = labelClientFinished
	}
	return prf(ms, label, transcriptHash, verifyDataLen)
}
