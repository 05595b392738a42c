package keys

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/dissect/tls"
)

func TestRSAKeyFiles(t *testing.T) {
	// The reference implementation's server key (PKCS #1), beside its
	// certificate as servers often keep them.
	pkcs1, err := os.ReadFile("../../samples/refimpl/pki/server.key")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := os.ReadFile("../../samples/refimpl/pki/server.pem")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := ParseRSAKeys(append(append([]byte{}, cert...), pkcs1...))
	if err != nil || len(keys) != 1 {
		t.Fatalf("PKCS #1 with a certificate: %d keys, %v", len(keys), err)
	}
	server := keys[0]

	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(other)
	pkcs8 := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00112233445566778899AABBCCDDEEFF"}, Bytes: []byte{1, 2, 3}})

	dir := t.TempDir()
	write := func(name string, parts ...[]byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, bytes.Join(parts, nil), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s := NewStore()
	if n, err := s.LoadRSAKeyFile(write("both.pem", pkcs1, pkcs8, pkcs1)); n != 3 || err != nil || s.RSAKeys() != 2 {
		t.Fatalf("two keys, one twice: %d %v, %d held", n, err, s.RSAKeys())
	}
	for _, tc := range []struct {
		name  string
		data  [][]byte
		keys  int
		error string
	}{
		{"ec.pem", [][]byte{ecPEM}, 0, "not an RSA key"},
		{"enc.pem", [][]byte{encrypted}, 0, "encrypted"},
		{"cert.pem", [][]byte{cert}, 0, "no RSA private key"},
		{"mixed.pem", [][]byte{encrypted, pkcs8}, 1, "encrypted"},
		{"junk.pem", [][]byte{[]byte("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")}, 0, "PEM block 1"},
	} {
		n, err := NewStore().LoadRSAKeyFile(write(tc.name, tc.data...))
		if n != tc.keys || err == nil || !strings.Contains(err.Error(), tc.error) {
			t.Errorf("%s: %d keys, %v", tc.name, n, err)
		}
	}
	if _, err := s.LoadRSAKeyFile(filepath.Join(dir, "missing.pem")); err == nil {
		t.Error("missing file read")
	}
	big := write("big.pem", bytes.Repeat([]byte{'A'}, MaxRSAKeyFile+1))
	if _, err := NewStore().LoadRSAKeyFile(big); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("oversized file: %v", err)
	}

	// The premaster secret of an RSA ClientKeyExchange, to either key;
	// not to a key the store does not have.
	pms := bytes.Repeat([]byte{0x03, 0x03, 0x42}, 16)
	for _, k := range []*rsa.PrivateKey{server, other} {
		ct, err := tls.RSAEncryptPreMaster(rand.Reader, &k.PublicKey, pms)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := s.PreMasterFromRSA(ct); !ok || !bytes.Equal(got, pms) {
			t.Errorf("premaster %x %v", got, ok)
		}
	}
	third, _ := rsa.GenerateKey(rand.Reader, 2048)
	ct, _ := tls.RSAEncryptPreMaster(rand.Reader, &third.PublicKey, pms)
	if _, ok := s.PreMasterFromRSA(ct); ok {
		t.Error("decrypted without the key")
	}
	if _, ok := s.PreMasterFromRSA(ct[:100]); ok {
		t.Error("decrypted a cut ciphertext")
	}
	if err := s.AddRSAKey(&rsa.PrivateKey{}); err == nil {
		t.Error("empty key added")
	}
}
