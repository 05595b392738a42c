package tlsengine

import (
	"github.com/sessionscope/sscope/dissect/tls"
)

// Sizes of the TLS 1.2 key schedule (RFC 5246 sections 7.4.9 and 8.1).
const (
	masterSecretLen = tls.MasterSecretLen
	verifyDataLen   = tls.FinishedVerifyDataLen
)

// schedule is the key schedule of every suite this engine speaks: TLS 1.2
// with the SHA-256 PRF (dissect/tls holds the one definition of the PRF,
// the key block and the record protection the analyzer decrypts with).
var schedule = func() tls.KeySchedule {
	ks, err := tls.NewKeySchedule(versionTLS12, TLS_RSA_WITH_AES_128_CBC_SHA)
	if err != nil {
		panic("tlsengine: " + err.Error())
	}
	return ks
}()

// prf is the TLS 1.2 PRF with SHA-256.
func prf(secret []byte, label string, seed []byte, n int) []byte {
	return schedule.PRF(secret, label, seed, n)
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
		return schedule.ExtendedMasterSecret(preMaster, sessionHash)
	}
	return schedule.MasterSecret(preMaster, clientRandom, serverRandom)
}

// keyBlock expands the master secret into n bytes of key material (RFC
// 5246 section 6.3).
func keyBlock(ms []byte, clientRandom, serverRandom [32]byte, n int) []byte {
	return schedule.KeyBlock(ms, clientRandom, serverRandom, n)
}

// finishedVerifyData computes Finished.verify_data over the transcript
// hash (RFC 5246 section 7.4.9).
func finishedVerifyData(ms []byte, client bool, transcriptHash []byte) []byte {
	return schedule.FinishedVerifyData(ms, client, transcriptHash)
}
