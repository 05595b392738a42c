package handshake

import tlsd "github.com/sessionscope/sscope/dissect/tls"

// maxCachedCerts bounds the certificate summaries kept; a RADIUS server
// sends the same chain in every conversation, so a few suffice.
const maxCachedCerts = 256

// certSummary summarizes a certificate once per analysis: parsing X.509 is
// by far the dearest step of following a handshake.
func (r *Registry) certSummary(der []byte) tlsd.CertSummary {
	if r == nil {
		return tlsd.SummarizeCertificate(der)
	}
	if s, ok := r.certs[string(der)]; ok {
		return s
	}
	s := tlsd.SummarizeCertificate(der)
	if r.certs == nil || len(r.certs) >= maxCachedCerts {
		r.certs = make(map[string]tlsd.CertSummary)
	}
	r.certs[string(der)] = s
	return s
}
