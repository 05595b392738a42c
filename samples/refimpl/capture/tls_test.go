package capture

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingConn copies everything one side of a net.Pipe writes into a
// TCPConn through Flights. net.Pipe writes block until the peer reads, so the order of the
// recorded writes is the order of the conversation.
type recordingConn struct {
	net.Conn
	mu   *sync.Mutex
	side io.Writer // of a Flights
}

func (c recordingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.side.Write(p)
	c.mu.Unlock()
	return c.Conn.Write(p)
}

// selfSigned returns a throwaway server certificate.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sscope.test"},
		NotBefore: epoch.Add(-time.Hour), NotAfter: epoch.Add(time.Hour), DNSNames: []string{"sscope.test"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// tlsExchange runs Go's crypto/tls client and server (TLS 1.2) over a pipe
// recorded as one TCP connection, with an HTTP request and response inside,
// and returns the capture and the client's key log as KeyLog lines.
func tlsExchange(t *testing.T) (*Writer, *KeyLog) {
	t.Helper()
	w := NewWriter(NewClock(epoch))
	flights := w.DialTCP(Endpoint{client, 50123}, Endpoint{server, 443}).Flights()
	var mu sync.Mutex
	cp, sp := net.Pipe()
	defer cp.Close()
	defer sp.Close()
	var goKeyLog bytes.Buffer
	cli := tls.Client(recordingConn{cp, &mu, flights.Client()}, &tls.Config{
		InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12, KeyLogWriter: &goKeyLog})
	srv := tls.Server(recordingConn{sp, &mu, flights.Server()}, &tls.Config{
		Certificates: []tls.Certificate{selfSigned(t)}, SessionTicketsDisabled: true})

	const request = "GET /sscope HTTP/1.1\r\nHost: sscope.test\r\n\r\n"
	const response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
	done := make(chan error, 1)
	go func() {
		b := make([]byte, len(request))
		if _, err := io.ReadFull(srv, b); err != nil {
			done <- err
			return
		}
		_, err := srv.Write([]byte(response))
		done <- err
	}()
	if _, err := cli.Write([]byte(request)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(cli, make([]byte, len(response))); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	flights.Close(true)

	var kl KeyLog
	goLines := goKeyLog.String()
	sc := bufio.NewScanner(strings.NewReader(goLines))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "CLIENT_RANDOM" {
			t.Fatalf("unexpected key log line %q", sc.Text())
		}
		random, err1 := hex.DecodeString(f[1])
		master, err2 := hex.DecodeString(f[2])
		if err1 != nil || err2 != nil {
			t.Fatalf("key log line %q", sc.Text())
		}
		kl.Add(random, master)
		kl.Add(random, master) // once only
	}
	if got := string(kl.Bytes()); got != goLines || got == "" {
		t.Fatalf("KeyLog wrote %q, crypto/tls %q", got, goLines)
	}
	return w, &kl
}

// TestTsharkDecryptsWithSecrets checks the secrets block and the TCP stream
// together: with the key log in the file, tshark decrypts the TLS records
// and finds the HTTP request and response; without it, it cannot.
func TestTsharkDecryptsWithSecrets(t *testing.T) {
	tshark := needTool(t, "tshark")
	t.Parallel()
	dir := t.TempDir()
	for _, withSecrets := range []bool{true, false} {
		w, kl := tlsExchange(t)
		if withSecrets {
			w.AddSecrets(kl.Bytes())
		}
		var out bytes.Buffer
		if err := w.Close(&out); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "tls.pcapng")
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		got := strings.Fields(run(t, tshark, "-r", path, "-Y", "http", "-T", "fields",
			"-e", "http.request.uri", "-e", "http.response.code"))
		want := []string{"/sscope", "200"}
		if !withSecrets {
			want = nil
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("with secrets %v: tshark found HTTP %q, want %q", withSecrets, got, want)
		}
	}
}

// TestKeyLogMatchesCryptoTLS: the lines KeyLog writes for crypto/tls's
// secrets are the lines crypto/tls writes itself (checked in tlsExchange).
func TestKeyLogMatchesCryptoTLS(t *testing.T) { tlsExchange(t) }

func TestKeyLogOrderAndDuplicates(t *testing.T) {
	var kl KeyLog
	if len(kl.Bytes()) != 0 {
		t.Fatal("empty key log has content")
	}
	kl.Add([]byte{0xAB, 0x01}, []byte{0xFF})
	kl.Add([]byte{0x02}, []byte{0x03})
	kl.Add([]byte{0xAB, 0x01}, []byte{0xFF})
	kl.Add([]byte{0xAB, 0x01}, []byte{0xFE}) // same random, other secret: kept
	want := "CLIENT_RANDOM ab01 ff\nCLIENT_RANDOM 02 03\nCLIENT_RANDOM ab01 fe\n"
	if got := string(kl.Bytes()); got != want {
		t.Fatalf("key log %q, want %q", got, want)
	}
}
