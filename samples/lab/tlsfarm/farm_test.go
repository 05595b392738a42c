package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeCert writes a self-signed certificate and key for server.lab.example.
func writeCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "server.lab.example"},
		DNSNames:              []string{"server.lab.example"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func writeTicketKey(t *testing.T, dir, name string, b byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	key := make([]byte, 32)
	for i := range key {
		key[i] = b
	}
	if err := os.WriteFile(p, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// startServer runs a tlsServer on a loopback port and returns its address.
func startServer(t *testing.T, name string, cfg *tls.Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &tlsServer{name: name, config: cfg, logger: log.New(io.Discard, "", 0)}
	go s.serve(ln)
	return ln.Addr().String()
}

// startProxy runs the round-robin proxy in front of backends.
func startProxy(t *testing.T, backends ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &roundRobinProxy{backends: backends, logger: log.New(io.Discard, "", 0)}
	go p.serve(ln)
	return ln.Addr().String()
}

// get makes one TLS 1.2 connection and returns the server's answer line and
// whether the client saw the session resumed.
func get(t *testing.T, addr string, cfg *tls.Config) (string, bool) {
	t.Helper()
	c, err := tls.Dial("tcp", addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET / HTTP/1.0\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(body), c.ConnectionState().DidResume
}

// TestSharedTicketKeyResumesAcrossBackends: behind the round-robin proxy,
// servers sharing a ticket key resume each other's sessions (scenario T2);
// servers with different keys never do.
func TestSharedTicketKeyResumesAcrossBackends(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := writeCert(t, dir)
	shared := writeTicketKey(t, dir, "shared.key", 0x11)
	other := writeTicketKey(t, dir, "other.key", 0x22)
	for _, tc := range []struct {
		name       string
		keyA, keyB string
		wantResume []bool
	}{
		{"shared key", shared, shared, []bool{false, true, true, true}},
		// The second connection's ticket from A cannot be opened by B, so B
		// makes a full handshake and issues its own ticket, which A cannot
		// open either.
		{"different keys", shared, other, []bool{false, false, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfgA, err := newServerConfig(certFile, keyFile, tc.keyA)
			if err != nil {
				t.Fatal(err)
			}
			cfgB, err := newServerConfig(certFile, keyFile, tc.keyB)
			if err != nil {
				t.Fatal(err)
			}
			front := startProxy(t, startServer(t, "backendA", cfgA), startServer(t, "backendB", cfgB))
			client := &tls.Config{
				RootCAs:            pool,
				ServerName:         "server.lab.example",
				MaxVersion:         tls.VersionTLS12,
				ClientSessionCache: tls.NewLRUClientSessionCache(4),
			}
			wantBackend := []string{"backendA", "backendB", "backendA", "backendB"}
			for i, want := range tc.wantResume {
				answer, resumed := get(t, front, client)
				if resumed != want {
					t.Errorf("connection %d: client DidResume=%t, want %t", i, resumed, want)
				}
				if !strings.Contains(answer, "did_resume="+map[bool]string{true: "true", false: "false"}[want]) {
					t.Errorf("connection %d: server answered %q", i, answer)
				}
				if !strings.HasPrefix(strings.SplitN(answer, "\r\n\r\n", 2)[1], wantBackend[i]+" ") {
					t.Errorf("connection %d: answered by %q, want %s", i, answer, wantBackend[i])
				}
			}
		})
	}
}

// TestNoTicketKeyNeverResumes: without a ticket key the Go server has
// tickets off and no session-ID cache.
func TestNoTicketKeyNeverResumes(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := writeCert(t, dir)
	cfg, err := newServerConfig(certFile, keyFile, "")
	if err != nil {
		t.Fatal(err)
	}
	addr := startServer(t, "solo", cfg)
	client := &tls.Config{RootCAs: pool, ServerName: "server.lab.example", MaxVersion: tls.VersionTLS12,
		ClientSessionCache: tls.NewLRUClientSessionCache(4)}
	for i := 0; i < 2; i++ {
		if _, resumed := get(t, addr, client); resumed {
			t.Errorf("connection %d resumed", i)
		}
	}
}

func TestLoadTicketKeyRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"short": strings.Repeat("ab", 31),
		"long":  strings.Repeat("ab", 33),
		"nohex": strings.Repeat("zz", 32),
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := loadTicketKey(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := loadTicketKey(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file accepted")
	}
}
