package pki

import (
	"crypto/rsa"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"fmt"
	"sync"

	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

var (
	//go:embed ca.pem
	caPEM []byte
	//go:embed server.pem
	serverPEM []byte
	//go:embed server.key
	serverKeyPEM []byte
	//go:embed client.pem
	clientPEM []byte
	//go:embed client.key
	clientKeyPEM []byte
)

// parsed holds the embedded files once decoded. A decoding failure means
// the committed files are broken, which no caller can recover from.
type parsed struct {
	ca                   *x509.Certificate
	server, client       []byte // leaf DER
	serverKey, clientKey *rsa.PrivateKey
}

var load = sync.OnceValue(func() *parsed {
	p := &parsed{
		server:    mustDER(serverPEM, "CERTIFICATE"),
		client:    mustDER(clientPEM, "CERTIFICATE"),
		serverKey: mustKey(serverKeyPEM),
		clientKey: mustKey(clientKeyPEM),
	}
	ca, err := x509.ParseCertificate(mustDER(caPEM, "CERTIFICATE"))
	if err != nil {
		panic(fmt.Sprintf("pki: ca.pem: %v", err))
	}
	p.ca = ca
	return p
})

func mustDER(b []byte, typ string) []byte {
	block, _ := pem.Decode(b)
	if block == nil || block.Type != typ {
		panic(fmt.Sprintf("pki: embedded file is not a PEM %s", typ))
	}
	return block.Bytes
}

func mustKey(b []byte) *rsa.PrivateKey {
	key, err := x509.ParsePKCS1PrivateKey(mustDER(b, "RSA PRIVATE KEY"))
	if err != nil {
		panic(fmt.Sprintf("pki: private key: %v", err))
	}
	return key
}

// Server returns the RADIUS/TLS server certificate (CN=radius.lab.example)
// with the CA after it, and its key.
func Server() *tlsengine.Certificate {
	p := load()
	return &tlsengine.Certificate{Chain: [][]byte{p.server, p.ca.Raw}, Key: p.serverKey}
}

// Client returns the EAP-TLS client certificate
// (CN=host/laptop-01.lab.example) with the CA after it, and its key.
func Client() *tlsengine.Certificate {
	p := load()
	return &tlsengine.Certificate{Chain: [][]byte{p.client, p.ca.Raw}, Key: p.clientKey}
}

// CA returns the CA certificate.
func CA() *x509.Certificate { return load().ca }

// CAPool returns a new pool holding the CA, for verifying either leaf.
func CAPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(load().ca)
	return pool
}
