package eapfast

import (
	"crypto/hmac"
	"crypto/sha1"
)

// TPRF is the EAP-FAST pseudo-random function (RFC 4851 section 5.5):
// T1 = HMAC-SHA1(key, S || L || 0x01), Tn = HMAC-SHA1(key, Tn-1 || S || L || n),
// with S = label || 0x00 || seed and L the output length as two octets.
// The block counter is one octet, so n is at most 255*20 = 5100; TPRF
// returns nil for n outside 1..5100.
func TPRF(key []byte, label string, seed []byte, n int) []byte {
	if n <= 0 || n > MaxTPRFLen {
		return nil
	}
	s := make([]byte, 0, len(label)+1+len(seed)+2)
	s = append(s, label...)
	s = append(s, 0)
	s = append(s, seed...)
	s = append(s, byte(n>>8), byte(n))
	out := make([]byte, 0, n+sha1.Size)
	var prev []byte
	for i := 1; len(out) < n; i++ {
		m := hmac.New(sha1.New, key)
		m.Write(prev)
		m.Write(s)
		m.Write([]byte{byte(i)})
		prev = m.Sum(nil)
		out = append(out, prev...)
	}
	return out[:n]
}

// MaxTPRFLen is the longest output TPRF gives.
const MaxTPRFLen = 255 * sha1.Size

// PACToMasterSecretLabel is the T-PRF label that turns a PAC-Key into the
// TLS master secret of a PAC-based tunnel (RFC 4851 section 5.1), with
// seed server_random || client_random and 48 bytes of output.
const PACToMasterSecretLabel = "PAC to master secret label hash"

// MasterSecretFromPACKey derives the TLS master secret of a PAC-based
// EAP-FAST tunnel.
func MasterSecretFromPACKey(pacKey []byte, serverRandom, clientRandom [32]byte) []byte {
	seed := make([]byte, 0, 64)
	seed = append(seed, serverRandom[:]...)
	seed = append(seed, clientRandom[:]...)
	return TPRF(pacKey, PACToMasterSecretLabel, seed, 48)
}
