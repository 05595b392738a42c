package tlsengine_test

import (
	"bytes"
	"crypto/sha256"
	gotls "crypto/tls"
	"encoding/hex"
	"io"
	"net"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// teeConn keeps a copy of what is read.
type teeConn struct {
	net.Conn
	read bytes.Buffer
}

func (c *teeConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.read.Write(b[:n])
	return n, err
}

// goExporter runs crypto/tls against itself at version v and returns the
// client random, the server random (read off the wire), the master secret
// (from the key log) and crypto/tls's exported keys for label.
func goExporter(t *testing.T, v uint16, label string, n int) (cr, sr [32]byte, ms, ekm []byte) {
	t.Helper()
	var log bytes.Buffer
	now := func() time.Time { return interopTime }
	scfg := &gotls.Config{Certificates: []gotls.Certificate{goCertificate(pki.Server())}, MinVersion: v, MaxVersion: v, Time: now,
		CipherSuites: []uint16{gotls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}}
	ccfg := &gotls.Config{RootCAs: pki.CAPool(), ServerName: "radius.lab.example", MinVersion: v, MaxVersion: v, Time: now,
		KeyLogWriter: &log, CipherSuites: []uint16{gotls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}}
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	done := make(chan error, 1)
	go func() {
		s := gotls.Server(b, scfg)
		err := s.Handshake()
		if err == nil {
			_, err = io.Copy(io.Discard, s)
		}
		done <- err
	}()
	tee := &teeConn{Conn: a}
	c := gotls.Client(tee, ccfg)
	if err := c.Handshake(); err != nil {
		t.Fatalf("crypto/tls at 0x%04x: %v", v, err)
	}
	st := c.ConnectionState()
	ekm, err := st.ExportKeyingMaterial(label, nil, n)
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := tls.ParseRecord(tee.read.Bytes(), false)
	if err != nil {
		t.Fatal(err)
	}
	msg, _, err := tls.ParseHandshakeFragment(rec.Fragment, false)
	if err != nil || msg.Type != tls.HandshakeTypeServerHello {
		t.Fatalf("first server message %v %v", msg.Type, err)
	}
	var sh tls.ServerHello
	if err := sh.Unmarshal(msg.Body); err != nil {
		t.Fatal(err)
	}
	c.Close()
	return keyLogClientRandom(t, &log), sh.Random, keyLogLine(t, &log, keyLogClientRandom(t, &log)), ekm
}

// st0 returns the client random of the only line of a key log.
func keyLogClientRandom(t *testing.T, log *bytes.Buffer) (cr [32]byte) {
	t.Helper()
	f := bytes.Fields(log.Bytes())
	if len(f) != 3 || string(f[0]) != "CLIENT_RANDOM" {
		t.Fatalf("key log %q", log)
	}
	if n, err := hex.Decode(cr[:], f[1]); err != nil || n != 32 {
		t.Fatalf("client random %q", f[1])
	}
	return cr
}

// TestPRFAgainstCryptoTLS checks PRF10 and PRF12 against the keying
// material exporter of crypto/tls (RFC 5705: PRF(master_secret, label,
// client_random || server_random)) at TLS 1.0 and TLS 1.2.
func TestPRFAgainstCryptoTLS(t *testing.T) {
	for _, v := range []uint16{gotls.VersionTLS10, gotls.VersionTLS12} {
		cr, sr, ms, ekm := goExporter(t, v, "EXPORTER-sscope-prf", 100)
		seed := append(cr[:], sr[:]...)
		var got []byte
		if v == gotls.VersionTLS10 {
			got = tlsengine.PRF10(ms, "EXPORTER-sscope-prf", seed, 100)
		} else {
			got = tlsengine.PRF12(sha256.New, ms, "EXPORTER-sscope-prf", seed, 100)
		}
		if !bytes.Equal(got, ekm) {
			t.Errorf("version 0x%04x: PRF %x, crypto/tls %x", v, got, ekm)
		}
	}
}
