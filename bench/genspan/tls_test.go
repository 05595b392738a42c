package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// pipeConn is a net.Conn that answers what is written with what respond
// returns, so crypto/tls can be driven by canned bytes.
type pipeConn struct {
	in      bytes.Buffer
	written bytes.Buffer
	respond func(written []byte) []byte
}

func (c *pipeConn) Read(p []byte) (int, error) {
	if c.in.Len() == 0 && c.respond != nil {
		c.in.Write(c.respond(c.written.Bytes()))
		c.respond = nil
	}
	if c.in.Len() == 0 {
		return 0, errors.New("no more canned bytes")
	}
	return c.in.Read(p)
}
func (c *pipeConn) Write(p []byte) (int, error)      { return c.written.Write(p) }
func (c *pipeConn) Close() error                     { return nil }
func (c *pipeConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *pipeConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *pipeConn) SetDeadline(time.Time) error      { return nil }
func (c *pipeConn) SetReadDeadline(time.Time) error  { return nil }
func (c *pipeConn) SetWriteDeadline(time.Time) error { return nil }

func testGenerator(t *testing.T) *generator {
	t.Helper()
	g := &generator{rng: rand.New(rand.NewPCG(11, 12)), tlsNames: tlsServerNames}
	chains, err := makeChains(11, g.tlsNames)
	if err != nil {
		t.Fatal(err)
	}
	g.tlsChains = chains
	g.tlsSessions = make([][]byte, len(g.tlsNames))
	return g
}

// Go's crypto/tls server must parse the synthetic ClientHellos and see the
// SNI, suites, ALPN and versions they offer.
func TestClientHelloParsesWithCryptoTLS(t *testing.T) {
	g := testGenerator(t)
	for _, tls13 := range []bool{false, true} {
		sid := g.randBytes(32)
		conn := &pipeConn{}
		conn.in.Write(g.record(recHandshake, 0x0301, g.clientHello("portal.example.org", sid, tls13)))
		var hello *tls.ClientHelloInfo
		err := tls.Server(conn, &tls.Config{GetConfigForClient: func(chi *tls.ClientHelloInfo) (*tls.Config, error) {
			hello = chi
			return nil, errors.New("seen")
		}}).Handshake()
		if hello == nil {
			t.Fatalf("tls13=%v: crypto/tls did not accept the ClientHello: %v", tls13, err)
		}
		if hello.ServerName != "portal.example.org" || !slices.Equal(hello.CipherSuites, clientSuites) ||
			!slices.Equal(hello.SupportedProtos, []string{"h2", "http/1.1"}) {
			t.Errorf("ClientHello seen as %+v", hello)
		}
		if has13 := slices.Contains(hello.SupportedVersions, tls.VersionTLS13); has13 != tls13 {
			t.Errorf("tls13=%v: supported versions %x", tls13, hello.SupportedVersions)
		}
	}
}

// Go's crypto/tls client must accept the synthetic TLS 1.2 server flight
// up to the (random, hence invalid) ServerKeyExchange signature: the
// ServerHello and the certificate chain parse, and the chain is ours.
func TestServerFlight12ParsesWithCryptoTLS(t *testing.T) {
	g := testGenerator(t)
	f := &tcpFlow{kind: kindTLS}
	f.tls.variant, f.tls.server = tls12Full, 2
	f.step = 1
	flight := g.tlsFlight(f)
	var certs [][]byte
	conn := &pipeConn{respond: func([]byte) []byte { return flight }}
	err := tls.Client(conn, &tls.Config{
		ServerName: "login.example.org", InsecureSkipVerify: true, NextProtos: []string{"h2"},
		MaxVersion: tls.VersionTLS12,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			certs = raw
			return nil
		},
	}).Handshake()
	if len(certs) != 2 || !bytes.Equal(certs[0], g.tlsChains[2][0]) || !bytes.Equal(certs[1], g.tlsChains[2][1]) {
		t.Fatalf("crypto/tls did not get the certificate chain; handshake error: %v", err)
	}
	if err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("handshake ended with %v; want the ServerKeyExchange signature rejected", err)
	}
}

// Go's crypto/tls client must accept the synthetic TLS 1.3 ServerHello
// (echoing its session ID) and fail only on the encrypted flight.
func TestServerHello13ParsesWithCryptoTLS(t *testing.T) {
	g := testGenerator(t)
	conn := &pipeConn{respond: func(ch []byte) []byte {
		// Record header, handshake header, version, random, then the ID.
		s := cryptobyte.String(ch[5+4+2+32:])
		var id cryptobyte.String
		if !s.ReadUint8LengthPrefixed(&id) {
			t.Fatal("cannot read the client's session ID")
		}
		b := g.record(recHandshake, 0x0303, g.serverHello13(id))
		b = append(b, g.record(recCCS, 0x0303, []byte{1})...)
		return append(b, g.record(recAppData, 0x0303, g.randBytes(600))...)
	}}
	err := tls.Client(conn, &tls.Config{ServerName: "www.example.com", InsecureSkipVerify: true}).Handshake()
	if err == nil || !strings.Contains(err.Error(), "bad record MAC") {
		t.Fatalf("handshake ended with %v; want the ServerHello accepted and decryption to fail", err)
	}
}
