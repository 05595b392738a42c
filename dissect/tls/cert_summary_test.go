package tls

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"math/big"
	"net"
	"reflect"
	"testing"
	"time"
)

func createCert(t *testing.T, tmpl *x509.Certificate, rsaKey bool) []byte {
	t.Helper()
	var pub, priv any
	if rsaKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		pub, priv = &k.PublicKey, k
	} else {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		pub, priv = &k.PublicKey, k
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func summaryTemplate() *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes([]byte{0x97, 0xe6, 0x47, 0x09, 0x8e, 0xea, 0xc9, 0xb4}),
		Subject: pkix.Name{
			Country: []string{"FR"}, Province: []string{"IDF"}, Locality: []string{"Paris"},
			Organization: []string{"Stamus, Inc."}, CommonName: "SELKS",
			ExtraNames: []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, Value: "ops@example.org"}},
		},
		NotBefore:      time.Date(2015, 2, 12, 18, 7, 27, 0, time.UTC),
		NotAfter:       time.Date(2051, 2, 9, 18, 7, 27, 0, time.UTC),
		DNSNames:       []string{"selks.example"},
		IPAddresses:    []net.IP{net.ParseIP("192.0.2.7")},
		EmailAddresses: []string{"ops@example.org"},
	}
}

func TestSummarizeCertificate(t *testing.T) {
	der := createCert(t, summaryTemplate(), false)
	sum := SummarizeCertificate(der)
	fp := sha256.Sum256(der)
	want := CertSummary{
		Subject:            `emailAddress=ops@example.org,CN=SELKS,O=Stamus\, Inc.,L=Paris,ST=IDF,C=FR`,
		Issuer:             `emailAddress=ops@example.org,CN=SELKS,O=Stamus\, Inc.,L=Paris,ST=IDF,C=FR`,
		SubjectAttributes:  []NameAttribute{{"C", "FR"}, {"ST", "IDF"}, {"L", "Paris"}, {"O", "Stamus, Inc."}, {"CN", "SELKS"}, {"emailAddress", "ops@example.org"}},
		SerialHex:          "0097E647098EEAC9B4",
		NotBefore:          time.Date(2015, 2, 12, 18, 7, 27, 0, time.UTC),
		NotAfter:           time.Date(2051, 2, 9, 18, 7, 27, 0, time.UTC),
		DNSNames:           []string{"selks.example"},
		IPAddresses:        []string{"192.0.2.7"},
		EmailAddresses:     []string{"ops@example.org"},
		SelfSigned:         true,
		PublicKey:          "ECDSA P-256",
		SignatureAlgorithm: "ECDSA-SHA256",
		SHA256:             hex.EncodeToString(fp[:]),
	}
	want.IssuerAttributes = want.SubjectAttributes
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("\n got %+v\nwant %+v", sum, want)
	}
}

// A certificate crypto/x509 rejects (negative RSA modulus) is still
// summarized by the tolerant walk.
func TestSummarizeCertificateFallback(t *testing.T) {
	der := createCert(t, summaryTemplate(), true)
	i := bytes.Index(der, []byte{0x02, 0x82, 0x01, 0x01, 0x00})
	if i < 0 {
		t.Fatal("modulus not found")
	}
	bad := append([]byte{}, der...)
	bad[i+4] = 0x80 // the modulus turns negative
	if _, err := x509.ParseCertificate(bad); err == nil {
		t.Fatal("crypto/x509 accepted the broken certificate")
	}
	sum := SummarizeCertificate(bad)
	// The walk reads the 257 modulus bytes as unsigned: 2056 bits.
	if sum.ParseError == "" || sum.Subject != `emailAddress=ops@example.org,CN=SELKS,O=Stamus\, Inc.,L=Paris,ST=IDF,C=FR` ||
		sum.SerialHex != "0097E647098EEAC9B4" || !sum.NotAfter.Equal(time.Date(2051, 2, 9, 18, 7, 27, 0, time.UTC)) ||
		!sum.NotBefore.Equal(time.Date(2015, 2, 12, 18, 7, 27, 0, time.UTC)) || !sum.SelfSigned ||
		sum.SignatureAlgorithm != "SHA256-RSA" || sum.PublicKey != "RSA 2056" {
		t.Errorf("fallback %+v", sum)
	}
	good := SummarizeCertificate(der)
	if good.ParseError != "" || good.PublicKey != "RSA 2048" || good.SignatureAlgorithm != "SHA256-RSA" {
		t.Errorf("RSA certificate %+v", good)
	}
	// Every truncation summarizes without panicking, and says why.
	for n := 0; n < len(der); n += 7 {
		if s := SummarizeCertificate(der[:n]); s.ParseError == "" {
			t.Fatalf("truncated to %d: no ParseError", n)
		}
	}
}

func TestFormatRFC4514Escaping(t *testing.T) {
	got := formatRFC4514([]NameAttribute{{"O", "#a+b;c"}, {"CN", " x\"y\\ "}})
	want := `CN=\ x\"y\\\ ,O=\#a\+b\;c`
	if got != want {
		t.Errorf("%s, want %s", got, want)
	}
	if s := decodeDirectoryString(30, []byte{0x00, 0x41, 0x00, 0xe9}); s != "Aé" {
		t.Errorf("BMPString %q", s)
	}
	if s := decodeDirectoryString(20, []byte{0x41, 0xe9}); s != "Aé" {
		t.Errorf("T61String %q", s)
	}
	if s := decodeDirectoryString(4, []byte{1, 2}); s != "#0102" {
		t.Errorf("OCTET STRING %q", s)
	}
}
