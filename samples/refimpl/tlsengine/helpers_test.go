package tlsengine_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

var allSuites = []uint16{
	tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA,
	tlsengine.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
	tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA,
}

// clock is a settable test clock.
type clock struct{ now time.Time }

func newClock() *clock                   { return &clock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }
func (c *clock) Now() time.Time          { return c.now }
func (c *clock) advance(d time.Duration) { c.now = c.now.Add(d) }

func clientConfig(seed string, clk *clock, suites ...uint16) *tlsengine.Config {
	return &tlsengine.Config{Rand: detrand.New("client " + seed), Time: clk.Now, CipherSuites: suites,
		ServerName: "radius.lab.example", SecureRenegotiation: true, ExtendedMasterSecret: true}
}

func serverConfig(seed string, clk *clock, suites ...uint16) *tlsengine.Config {
	return &tlsengine.Config{Rand: detrand.New("server " + seed), Time: clk.Now, CipherSuites: suites,
		Certificate: pki.Server(), SecureRenegotiation: true, ExtendedMasterSecret: true}
}

// flight is the bytes one side sent in one go.
type flight struct {
	fromClient bool
	data       []byte
}

// wire is what went between a client and a server, in order.
type wire struct{ flights []flight }

func (w *wire) add(fromClient bool, b []byte) {
	if len(b) > 0 {
		w.flights = append(w.flights, flight{fromClient, append([]byte(nil), b...)})
	}
}

func (w *wire) bytes() []byte {
	var all []byte
	for _, f := range w.flights {
		all = append(all, f.data...)
	}
	return all
}

// deliver carries toServer and toClient back and forth until both sides
// are quiet, recording every flight. Errors do not stop it: the alert a
// side sends still reaches the other.
func deliver(w *wire, c, s *tlsengine.Conn, toServer, toClient []byte) {
	for range 64 {
		if len(toServer) == 0 && len(toClient) == 0 {
			return
		}
		if len(toServer) > 0 {
			w.add(true, toServer)
			out, _ := s.Feed(toServer)
			toServer = nil
			toClient = append(toClient, out...)
		}
		if len(toClient) > 0 {
			w.add(false, toClient)
			out, _ := c.Feed(toClient)
			toClient = nil
			toServer = append(toServer, out...)
		}
	}
	panic("conversation did not settle")
}

// connect runs a handshake between a new client and server.
func connect(t *testing.T, ccfg, scfg *tlsengine.Config) (*tlsengine.Conn, *tlsengine.Conn, *wire) {
	t.Helper()
	c, s := tlsengine.Client(ccfg), tlsengine.Server(scfg)
	w := &wire{}
	hello, err := c.Start()
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	deliver(w, c, s, hello, nil)
	return c, s, w
}

// mustComplete checks that both ends finished the latest handshake.
func mustComplete(t *testing.T, c, s *tlsengine.Conn) {
	t.Helper()
	if c.Failed() != nil || s.Failed() != nil {
		t.Fatalf("failed: client %v, server %v", c.Failed(), s.Failed())
	}
	if !c.HandshakeComplete() || !s.HandshakeComplete() {
		t.Fatalf("not complete: client %+v, server %+v", c.Current(), s.Current())
	}
}

// exchangeData sends application data both ways and checks it arrives.
func exchangeData(t *testing.T, w *wire, c, s *tlsengine.Conn, tag string) {
	t.Helper()
	req := []byte("GET /" + tag + " HTTP/1.1\r\nHost: radius.lab.example\r\n\r\n")
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	deliver(w, c, s, c.WriteApplicationData(req), nil)
	if got := s.ReadApplicationData(); !bytes.Equal(got, req) {
		t.Fatalf("server read %q, want %q", got, req)
	}
	deliver(w, c, s, nil, s.WriteApplicationData(resp))
	if got := c.ReadApplicationData(); !bytes.Equal(got, resp) {
		t.Fatalf("client read %q, want %q", got, resp)
	}
}

// handshakeTypes lists the plaintext handshake messages in b (records
// before any ChangeCipherSpec).
func handshakeTypes(t *testing.T, b []byte) []tls.HandshakeType {
	t.Helper()
	var r tls.HandshakeReassembler
	var types []tls.HandshakeType
	for len(b) > 0 {
		rec, n, err := tls.ParseRecord(b, false)
		if err != nil {
			t.Fatalf("record: %v", err)
		}
		b = b[n:]
		if rec.Type == tls.ContentChangeCipherSpec {
			break
		}
		if rec.Type != tls.ContentHandshake {
			continue
		}
		if err := r.Write(rec.Fragment); err != nil {
			t.Fatal(err)
		}
		for {
			m, ok := r.Next()
			if !ok {
				break
			}
			types = append(types, m.Type)
		}
	}
	return types
}

func typesString(ts []tls.HandshakeType) string {
	var b bytes.Buffer
	for i, t := range ts {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprint(&b, t)
	}
	return b.String()
}
