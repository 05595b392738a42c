package tls

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"hash"
)

// Key schedule labels of TLS 1.0 to 1.2 (RFC 5246 sections 7.4.9, 8.1 and
// 6.3; RFC 7627 section 4).
const (
	LabelMasterSecret         = "master secret"
	LabelExtendedMasterSecret = "extended master secret"
	LabelKeyExpansion         = "key expansion"
	LabelClientFinished       = "client finished"
	LabelServerFinished       = "server finished"
)

// Sizes of the TLS 1.0 to 1.2 key schedule.
const (
	MasterSecretLen       = 48
	FinishedVerifyDataLen = 12
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

func labelSeed(label string, seed []byte) []byte {
	ls := make([]byte, 0, len(label)+len(seed))
	return append(append(ls, label...), seed...)
}

// PRF12 is the TLS 1.2 PRF (RFC 5246 section 5): P_hash(secret, label ||
// seed) truncated to n bytes, with the suite's PRF hash (SHA-256 unless
// the suite names SHA-384). It returns nil for a negative n.
func PRF12(h func() hash.Hash, secret []byte, label string, seed []byte, n int) []byte {
	if n < 0 {
		return nil
	}
	return pHash(make([]byte, 0, n), h, secret, labelSeed(label, seed), n)
}

// PRF10 is the TLS 1.0 and 1.1 PRF (RFC 2246 section 5): P_MD5 over the
// first half of the secret XOR P_SHA1 over the second half (the halves
// share the middle byte when the length is odd). It returns nil for a
// negative n.
func PRF10(secret []byte, label string, seed []byte, n int) []byte {
	if n < 0 {
		return nil
	}
	ls := labelSeed(label, seed)
	half := (len(secret) + 1) / 2
	s1, s2 := secret[:half], secret[len(secret)-half:]
	out := pHash(make([]byte, 0, n), md5.New, s1, ls, n)
	x := pHash(make([]byte, 0, n), sha1.New, s2, ls, n)
	for i := range out {
		out[i] ^= x[i]
	}
	return out
}
