package tlsengine

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"slices"

	"github.com/sessionscope/sscope/dissect/tls"
)

// signatureSchemes are the schemes the engine signs and verifies with, in
// order of preference: RSA PKCS#1 v1.5 with SHA-256, then with SHA-1.
var signatureSchemes = []uint16{tls.SchemeRSAPKCS1SHA256, tls.SchemeRSAPKCS1SHA1}

// advertisedSchemes are the schemes the engine offers in
// signature_algorithms and CertificateRequest.
var advertisedSchemes = []uint16{tls.SchemeRSAPKCS1SHA256}

// chooseScheme picks the first scheme of ours that the peer listed. A peer
// that sent no list implies rsa_pkcs1_sha1 (RFC 5246 section 7.4.1.4.1).
func chooseScheme(peer []uint16, listed bool) (uint16, bool) {
	if !listed {
		return tls.SchemeRSAPKCS1SHA1, true
	}
	for _, s := range signatureSchemes {
		if slices.Contains(peer, s) {
			return s, true
		}
	}
	return 0, false
}

func schemeDigest(scheme uint16, data []byte) (crypto.Hash, []byte, bool) {
	switch scheme {
	case tls.SchemeRSAPKCS1SHA256:
		d := sha256.Sum256(data)
		return crypto.SHA256, d[:], true
	case tls.SchemeRSAPKCS1SHA1:
		d := sha1.Sum(data)
		return crypto.SHA1, d[:], true
	}
	return 0, nil, false
}

// sign signs data with an RSA PKCS#1 v1.5 scheme (deterministic).
func sign(key *rsa.PrivateKey, scheme uint16, data []byte) ([]byte, error) {
	h, d, ok := schemeDigest(scheme, data)
	if !ok {
		return nil, fail(alertInternalError, "cannot sign with %s", tls.SignatureSchemeName(scheme))
	}
	return rsa.SignPKCS1v15(nil, key, h, d)
}

// verify checks an RSA PKCS#1 v1.5 signature over data.
func verify(pub *rsa.PublicKey, scheme uint16, data, sig []byte) bool {
	h, d, ok := schemeDigest(scheme, data)
	return ok && rsa.VerifyPKCS1v15(pub, h, d, sig) == nil
}
