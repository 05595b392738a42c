package main

import (
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"math/rand/v2"
	"time"
)

// tlsServerNames are the SNI names of the synthetic TLS servers (RFC 2606
// example domains).
var tlsServerNames = []string{"www.example.com", "api.example.net", "login.example.org",
	"cdn.example.com", "mail.example.net", "vpn.example.org", "files.example.com",
	"telemetry.example.net", "portal.example.org", "updates.example.com"}

// seededReader is a deterministic byte stream for key generation.
type seededReader struct{ r *rand.ChaCha8 }

func (s seededReader) Read(p []byte) (int, error) { return s.r.Read(p) }

// makeChains builds, deterministically from seed, one certificate chain
// (leaf, issuing CA) per server name, signed with Ed25519 (whose signatures
// are deterministic, so the DER is too).
func makeChains(seed uint64, names []string) ([][][]byte, error) {
	var key [32]byte
	for i := range key {
		key[i] = byte(seed >> (8 * (i % 8)))
	}
	key[31] ^= 0x5c
	rnd := seededReader{rand.NewChaCha8(key)}
	newKey := func() (ed25519.PublicKey, ed25519.PrivateKey) {
		var s [ed25519.SeedSize]byte
		rnd.Read(s[:])
		priv := ed25519.NewKeyFromSeed(s[:])
		return priv.Public().(ed25519.PublicKey), priv
	}
	notBefore := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	notAfter := notBefore.AddDate(2, 0, 0)
	caPub, caPriv := newKey()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(0x1001),
		Subject:               pkix.Name{Country: []string{"US"}, Organization: []string{"Example Trust Services"}, CommonName: "Example Issuing CA G2"},
		NotBefore:             notBefore,
		NotAfter:              notAfter.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rnd, caTmpl, caTmpl, caPub, caPriv)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	chains := make([][][]byte, len(names))
	for i, name := range names {
		pub, _ := newKey()
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(int64(0x2000 + i)),
			Subject:      pkix.Name{Organization: []string{"Example Inc"}, CommonName: name},
			DNSNames:     []string{name},
			NotBefore:    notBefore,
			NotAfter:     notAfter,
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
		der, err := x509.CreateCertificate(rnd, tmpl, ca, pub, caPriv)
		if err != nil {
			return nil, err
		}
		chains[i] = [][]byte{der, caDER}
	}
	return chains, nil
}
