package pki

import (
	"crypto/rsa"
	"crypto/x509"
	"testing"
	"time"
)

func TestChainsVerifyAndKeysMatch(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		cert  func() (leaf *x509.Certificate, key *rsa.PrivateKey)
		cn    string
		usage x509.ExtKeyUsage
		dns   string
	}{
		{"server", func() (*x509.Certificate, *rsa.PrivateKey) { c := Server(); return mustParse(t, c.Chain[0]), c.Key },
			"radius.lab.example", x509.ExtKeyUsageServerAuth, "radius.lab.example"},
		{"client", func() (*x509.Certificate, *rsa.PrivateKey) { c := Client(); return mustParse(t, c.Chain[0]), c.Key },
			"host/laptop-01.lab.example", x509.ExtKeyUsageClientAuth, ""},
	}
	for _, tc := range cases {
		leaf, key := tc.cert()
		if leaf.Subject.CommonName != tc.cn {
			t.Errorf("%s: CN %q", tc.name, leaf.Subject.CommonName)
		}
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: CAPool(), CurrentTime: at, DNSName: tc.dns,
			KeyUsages: []x509.ExtKeyUsage{tc.usage}}); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		pub, ok := leaf.PublicKey.(*rsa.PublicKey)
		if !ok || !pub.Equal(&key.PublicKey) || pub.N.BitLen() != 2048 {
			t.Errorf("%s: key does not match the certificate", tc.name)
		}
		if leaf.NotBefore.Year() != 2020 || leaf.NotAfter.Year() != 2050 {
			t.Errorf("%s: validity %v - %v", tc.name, leaf.NotBefore, leaf.NotAfter)
		}
	}
	if !CA().IsCA || Server().Chain[1] == nil || string(Server().Chain[1]) != string(CA().Raw) {
		t.Error("CA is not the second certificate of the chain")
	}
}

func mustParse(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
