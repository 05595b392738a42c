package eapauth

import (
	"crypto/x509"
	"errors"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// EAP-TLS (RFC 5216): the TLS handshake is the authentication. The server
// requests a client certificate in every full handshake and refuses an
// empty one; a resumed session (by ID or ticket) stands for the
// certificate sent when it was made. Both ends derive the MSK from the
// TLS session.

type eapTLSServer struct {
	*TLSServer
}

func newEAPTLSServer(ctx *ServerContext) (ServerMethod, error) {
	cfg := ctx.Server.TLSConfig()
	if cfg.Certificate == nil {
		return nil, errors.New("no server certificate")
	}
	cfg.RequestClientCert = true
	m := &eapTLSServer{}
	m.TLSServer = ctx.Server.TLSLayer(eap.TypeTLS, 0, tlsengine.Server(cfg), m, ctx.Outcome)
	m.RequireClientCertificate = true
	if pool := ctx.Server.cfg.ClientCAs; pool != nil {
		now := ctx.Server.cfg.Time
		m.VerifyClientCertificate = func(chain [][]byte) error {
			return verifyClientChain(chain, pool, now())
		}
	}
	return m, nil
}

// verifyClientChain checks a client certificate chain against the trusted
// CAs, for client authentication.
func verifyClientChain(chain [][]byte, roots *x509.CertPool, now time.Time) error {
	certs := make([]*x509.Certificate, 0, len(chain))
	for _, der := range chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return err
		}
		certs = append(certs, c)
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	return err
}

func (m *eapTLSServer) TunnelEstablished(*TLSServer) (TLSStep, error) {
	return TLSStep{Verdict: Succeeded}, nil
}

func (m *eapTLSServer) ApplicationData(*TLSServer, []byte) (TLSStep, error) {
	return TLSStep{}, errors.New("EAP-TLS carries no application data")
}

type eapTLSPeer struct {
	*TLSPeer
	ctx *PeerContext
}

func newEAPTLSPeer(ctx *PeerContext) (PeerMethod, error) {
	m := &eapTLSPeer{ctx: ctx}
	m.TLSPeer = ctx.Peer.TLSLayer(eap.TypeTLS, 0, func(*eap.TLSFragment) (*tlsengine.Conn, error) {
		return tlsengine.Client(ctx.Peer.TLSConfig(eap.TypeTLS, ctx.Credentials.Certificate)), nil
	}, m, ctx.Outcome)
	return m, nil
}

func (m *eapTLSPeer) TunnelEstablished(l *TLSPeer) (TLSStep, error) {
	m.ctx.Peer.keepSession(eap.TypeTLS, l.Conn())
	return TLSStep{Verdict: Succeeded}, nil
}

func (m *eapTLSPeer) ApplicationData(*TLSPeer, []byte) (TLSStep, error) {
	return TLSStep{}, errors.New("EAP-TLS carries no application data")
}
