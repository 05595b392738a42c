//go:debug tlsrsakex=1
//go:debug tls3des=1

package tlsdecrypt

// Connections of Go's crypto/tls, an independent implementation, recorded
// with its key log: every version and record protection it speaks
// decrypts to exactly the application data written.

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	gotls "crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/dissect/tls"
)

var (
	serverCertOnce sync.Once
	serverCert     gotls.Certificate
	serverKey      *rsa.PrivateKey
)

// testServerCert is a self-signed RSA certificate for every test.
func testServerCert(t *testing.T) gotls.Certificate {
	serverCertOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "decrypt.example"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"decrypt.example"},
			KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
		if err != nil {
			t.Fatal(err)
		}
		serverCert, serverKey = gotls.Certificate{Certificate: [][]byte{der}, PrivateKey: k}, k
	})
	return serverCert
}

// exchange is what the client and the server write after the handshake.
var exchange = struct{ request, response []byte }{
	request:  append([]byte("GET /status HTTP/1.1\r\nHost: decrypt.example\r\n\r\n"), bytes.Repeat([]byte("q"), 40000)...),
	response: append([]byte("HTTP/1.1 200 OK\r\n\r\n"), bytes.Repeat([]byte("r"), 20000)...),
}

// runGo connects a crypto/tls client and server over loopback TCP, has
// them exchange the request and response, and returns the records both
// wrote and the client's key log.
func runGo(t *testing.T, client, server *gotls.Config) (conn, string) {
	t.Helper()
	var log bytes.Buffer
	client = client.Clone()
	client.KeyLogWriter = &log
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback TCP: %v", err)
	}
	defer ln.Close()
	rec := &pipeRecorder{}
	errc := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			errc <- err
			return
		}
		defer c.Close()
		s := gotls.Server(&recordingEnd{c, rec, ServerToClient}, server)
		buf := make([]byte, len(exchange.request))
		if _, err := io.ReadFull(s, buf); err != nil {
			errc <- err
			return
		}
		_, err = s.Write(exchange.response)
		if err == nil {
			err = s.Close()
		}
		errc <- err
	}()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	c := gotls.Client(&recordingEnd{raw, rec, ClientToServer}, client)
	if _, err := c.Write(exchange.request); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, exchange.response) {
		t.Fatalf("crypto/tls exchange: %d bytes, %v", len(got), err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	c.Close()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.c, log.String()
}

func goConfigs(t *testing.T, version, suite uint16) (client, server *gotls.Config) {
	client = &gotls.Config{InsecureSkipVerify: true, MinVersion: version, MaxVersion: version}
	server = &gotls.Config{Certificates: []gotls.Certificate{testServerCert(t)}, MinVersion: version, MaxVersion: version}
	if suite != 0 {
		client.CipherSuites, server.CipherSuites = []uint16{suite}, []uint16{suite}
	}
	return client, server
}

// checkExchange decrypts c and compares with what was written.
func checkExchange(t *testing.T, c conn, o Options, wantSource string) (*Decrypter, []Result) {
	t.Helper()
	d := New(o)
	app, res := decryptAll(d, c)
	if errs := errorsOf(res); len(errs) > 0 {
		t.Fatalf("%d records not decrypted: %v", len(errs), errs[0])
	}
	if !bytes.Equal(app[ClientToServer], exchange.request) || !bytes.Equal(app[ServerToClient], exchange.response) {
		t.Fatalf("decrypted %d/%d bytes, want %d/%d", len(app[0]), len(app[1]), len(exchange.request), len(exchange.response))
	}
	if st := d.Status(); st.KeySource != wantSource || st.Failed != 0 {
		t.Fatalf("status %+v, want keys from %q", st, wantSource)
	}
	// The close_notify alerts decrypt too.
	var alerts int
	for _, r := range res {
		if r.Protected && r.Type == tls.ContentAlert {
			if a, ok := tls.ParseAlert(r.Plaintext); !ok || a.Description != tls.AlertCloseNotify {
				t.Fatalf("alert %x", r.Plaintext)
			}
			alerts++
		}
	}
	if alerts == 0 {
		t.Error("no close_notify decrypted")
	}
	return d, res
}

func TestCryptoTLSConnections(t *testing.T) {
	for _, tc := range []struct {
		version, suite uint16
	}{
		{gotls.VersionTLS10, gotls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA},
		{gotls.VersionTLS10, gotls.TLS_RSA_WITH_RC4_128_SHA},
		{gotls.VersionTLS11, gotls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA},
		{gotls.VersionTLS12, gotls.TLS_RSA_WITH_AES_128_CBC_SHA256},
		{gotls.VersionTLS12, gotls.TLS_RSA_WITH_3DES_EDE_CBC_SHA},
		{gotls.VersionTLS12, gotls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},
		{gotls.VersionTLS12, gotls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384},
		{gotls.VersionTLS12, gotls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256},
		{gotls.VersionTLS12, gotls.TLS_RSA_WITH_AES_256_GCM_SHA384},
		{gotls.VersionTLS13, 0},
	} {
		name := tls.Version(tc.version).String() + " " + tls.CipherSuiteName(tc.suite)
		if tc.suite == 0 {
			name = tls.Version(tc.version).String() + " default suite"
		}
		t.Run(name, func(t *testing.T) {
			cc, sc := goConfigs(t, tc.version, tc.suite)
			c, keylog := runGo(t, cc, sc)
			want := SourceKeyLog
			if tc.version == gotls.VersionTLS13 {
				want = SourceKeyLogTLS13
			}
			d, _ := checkExchange(t, c, Options{Keys: storeOf(t, keylog)}, want)
			if st := d.Status(); tc.suite != 0 && st.CipherSuite != tc.suite {
				t.Errorf("suite %s", tls.CipherSuiteName(st.CipherSuite))
			}
			info, _ := tls.CipherSuiteInfo(tc.suite)
			if info.KeyExchange != tls.KeyExchangeRSA {
				return
			}
			// RSA key exchange: the server's private key alone will do
			// (crypto/tls negotiates the extended master secret, so
			// this also checks the session hash).
			s := keys.NewStore()
			if err := s.AddRSAKey(serverKey); err != nil {
				t.Fatal(err)
			}
			checkExchange(t, c, Options{Keys: s}, SourceRSAKey)
			// Another key: no key, said so.
			other, _ := rsa.GenerateKey(rand.Reader, 2048)
			s = keys.NewStore()
			s.AddRSAKey(other)
			_, res := decryptAll(New(Options{Keys: s}), c)
			var e *Error
			if errs := errorsOf(res); len(errs) == 0 || !asError(errs[0], &e) || e.Reason != NoKey || !strings.Contains(e.Detail, "RSA private key") {
				t.Fatalf("wrong RSA key: %v", errs)
			}
		})
	}
}

// TestCryptoTLSWrongSecrets: secrets of another connection give MAC
// errors (TLS 1.2) or MAC errors on every TLS 1.3 stage, never a panic
// or a plaintext.
func TestCryptoTLSWrongSecrets(t *testing.T) {
	for _, v := range []uint16{gotls.VersionTLS12, gotls.VersionTLS13} {
		cc, sc := goConfigs(t, v, 0)
		c, keylog := runGo(t, cc, sc)
		_, other := runGo(t, cc, sc)
		// The other connection's secrets under this one's client random.
		cr := strings.Fields(keylog)[1]
		var swapped strings.Builder
		for _, line := range strings.Split(strings.TrimSpace(other), "\n") {
			f := strings.Fields(line)
			swapped.WriteString(f[0] + " " + cr + " " + f[2] + "\n")
		}
		d := New(Options{Keys: storeOf(t, swapped.String())})
		_, res := decryptAll(d, c)
		for _, r := range res {
			if !r.Protected {
				continue
			}
			var e *Error
			if r.Plaintext != nil || !asError(r.Err, &e) || e.Reason != BadMAC || !strings.Contains(e.Error(), "key does not match") {
				t.Fatalf("%s: %v", tls.Version(v), r.Err)
			}
		}
		if st := d.Status(); st.Decrypted != 0 || st.Failed == 0 {
			t.Fatalf("%s: %+v", tls.Version(v), st)
		}
	}
}

// TestCryptoTLSResumption: a TLS 1.2 session resumed by ticket decrypts
// with the first connection's key log line and the session cache; TLS
// 1.3 resumption (PSK) decrypts with its own key log lines.
func TestCryptoTLSResumption(t *testing.T) {
	for _, v := range []uint16{gotls.VersionTLS12, gotls.VersionTLS13} {
		cc, sc := goConfigs(t, v, 0)
		cc.ClientSessionCache = gotls.NewLRUClientSessionCache(4)
		cc.ServerName = "decrypt.example" // the cache key
		first, log1 := runGo(t, cc, sc)
		second, log2 := runGo(t, cc, sc)
		cache := NewSessionCache(0)
		if v == gotls.VersionTLS12 {
			checkExchange(t, first, Options{Keys: storeOf(t, log1), Sessions: cache}, SourceKeyLog)
			checkExchange(t, second, Options{Keys: storeOf(t, log1), Sessions: cache}, SourceTicket)
			continue
		}
		_, res := checkExchange(t, second, Options{Keys: storeOf(t, log2)}, SourceKeyLogTLS13)
		// The resumed handshake has no Certificate (type 11) among the
		// server's decrypted handshake messages; the first one had.
		_, res1 := checkExchange(t, first, Options{Keys: storeOf(t, log1)}, SourceKeyLogTLS13)
		if !hasHandshake(res1, tls.HandshakeTypeCertificate) || hasHandshake(res, tls.HandshakeTypeCertificate) {
			t.Fatal("the second TLS 1.3 connection did not resume")
		}
	}
}

// hasHandshake reports whether a decrypted handshake record starts with a
// message of type typ.
func hasHandshake(res []Result, typ tls.HandshakeType) bool {
	for _, r := range res {
		if r.Protected && r.Err == nil && r.Type == tls.ContentHandshake && len(r.Plaintext) > 0 {
			for p := r.Plaintext; len(p) >= 4; {
				if tls.HandshakeType(p[0]) == typ {
					return true
				}
				n := 4 + (int(p[1])<<16 | int(p[2])<<8 | int(p[3]))
				if n > len(p) {
					break
				}
				p = p[n:]
			}
		}
	}
	return false
}
