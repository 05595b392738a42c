//go:debug tlsrsakex=1

package tlsengine_test

import (
	"bytes"
	gotls "crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// The tests in this file play the engine against Go's crypto/tls over
// net.Pipe. tlsrsakex=1 re-enables RSA key transport in crypto/tls.

// pipeConn runs a tlsengine.Conn over a net.Conn: a goroutine reads the
// peer's bytes so that the peer's writes never block.
type pipeConn struct {
	t     *testing.T
	nc    net.Conn
	tc    *tlsengine.Conn
	chunk chan []byte
	data  []byte // application data read
}

func newPipeConn(t *testing.T, nc net.Conn, tc *tlsengine.Conn) *pipeConn {
	p := &pipeConn{t: t, nc: nc, tc: tc, chunk: make(chan []byte, 1024)}
	go func() {
		defer close(p.chunk)
		for {
			b := make([]byte, 4096)
			n, err := nc.Read(b)
			if n > 0 {
				p.chunk <- b[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	return p
}

func (p *pipeConn) send(b []byte) {
	p.t.Helper()
	if len(b) == 0 {
		return
	}
	if _, err := p.nc.Write(b); err != nil {
		p.t.Fatalf("write: %v", err)
	}
}

// pumpUntil feeds the peer's bytes to the engine, sending its answers,
// until done reports true.
func (p *pipeConn) pumpUntil(done func() bool) error {
	p.t.Helper()
	timeout := time.After(10 * time.Second)
	for !done() {
		select {
		case b, ok := <-p.chunk:
			if !ok {
				return io.EOF
			}
			out, err := p.tc.Feed(b)
			p.send(out)
			p.data = append(p.data, p.tc.ReadApplicationData()...)
			if err != nil {
				return err
			}
		case <-timeout:
			return errors.New("timed out")
		}
	}
	return nil
}

func (p *pipeConn) handshake() error {
	p.t.Helper()
	hello, err := p.tc.Start()
	if err != nil {
		return err
	}
	p.send(hello)
	return p.pumpUntil(p.tc.HandshakeComplete)
}

func (p *pipeConn) write(s string) { p.send(p.tc.WriteApplicationData([]byte(s))) }

func (p *pipeConn) read(n int) (string, error) {
	err := p.pumpUntil(func() bool { return len(p.data) >= n })
	s := string(p.data)
	p.data = nil
	return s, err
}

var interopTime = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func goCertificate(c *tlsengine.Certificate) gotls.Certificate {
	return gotls.Certificate{Certificate: c.Chain, PrivateKey: c.Key}
}

// keyLogLine returns the master secret crypto/tls logged for a client
// random.
func keyLogLine(t *testing.T, log *bytes.Buffer, cr [32]byte) []byte {
	t.Helper()
	for _, line := range strings.Split(log.String(), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == "CLIENT_RANDOM" && f[1] == hex.EncodeToString(cr[:]) {
			ms, _ := hex.DecodeString(f[2])
			return ms
		}
	}
	t.Fatalf("client random %x not in crypto/tls key log:\n%s", cr, log)
	return nil
}

// goSide is what the crypto/tls end saw.
type goSide struct {
	state gotls.ConnectionState
	ekm   []byte
	err   error
}

// runGo runs f on the crypto/tls end in a goroutine.
func runGo(f func() goSide) chan goSide {
	ch := make(chan goSide, 1)
	go func() { ch <- f() }()
	return ch
}

// echo is the crypto/tls end's application: read a line, answer it.
func echo(c *gotls.Conn, withEKM bool) goSide {
	var g goSide
	if g.err = c.Handshake(); g.err != nil {
		return g
	}
	buf := make([]byte, 5)
	if _, g.err = io.ReadFull(c, buf); g.err != nil {
		return g
	}
	if _, g.err = c.Write([]byte("pong:" + string(buf))); g.err != nil {
		return g
	}
	g.state = c.ConnectionState()
	if withEKM {
		g.ekm, g.err = g.state.ExportKeyingMaterial("EXPORTER-sscope", nil, 32)
	}
	return g
}

func interopSuites() []uint16 {
	return []uint16{tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA}
}

// talk sends "ping!" from our end and expects the echo.
func talk(t *testing.T, p *pipeConn) {
	t.Helper()
	p.write("ping!")
	if got, err := p.read(10); err != nil || got != "pong:ping!" {
		t.Fatalf("read %q, %v", got, err)
	}
}

// checkAgreement compares our record with what crypto/tls logged and
// exported.
func checkAgreement(t *testing.T, r *tlsengine.HandshakeRecord, g goSide, log *bytes.Buffer, ours *tlsengine.Conn, ems bool) {
	t.Helper()
	if g.err != nil {
		t.Fatalf("crypto/tls: %v", g.err)
	}
	// crypto/tls logs only the secrets of full handshakes; a resumed one is
	// checked through the exported keys.
	if !g.state.DidResume {
		if ms := keyLogLine(t, log, r.ClientRandom); !bytes.Equal(ms, r.MasterSecret) {
			t.Errorf("master secret %x, crypto/tls %x", r.MasterSecret, ms)
		}
	}
	if g.state.CipherSuite != r.CipherSuite || g.state.Version != gotls.VersionTLS12 {
		t.Errorf("crypto/tls negotiated %x/%x, we %x", g.state.Version, g.state.CipherSuite, r.CipherSuite)
	}
	if ems {
		seed := append(r.ClientRandom[:], r.ServerRandom[:]...)
		if ekm := ours.ExportKeyingMaterial("EXPORTER-sscope", seed, 32); !bytes.Equal(ekm, g.ekm) {
			t.Errorf("exported keys differ: %x vs %x", ekm, g.ekm)
		}
	}
}

func TestClientAgainstCryptoTLS(t *testing.T) {
	for _, id := range interopSuites() {
		for _, ems := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/ems=%v", tls.CipherSuiteName(id), ems), func(t *testing.T) {
				var log bytes.Buffer
				scfg := &gotls.Config{Certificates: []gotls.Certificate{goCertificate(pki.Server())}, CipherSuites: []uint16{id},
					MaxVersion: gotls.VersionTLS12, KeyLogWriter: &log, Time: func() time.Time { return interopTime }}
				ccfg := clientConfig("vs-go-server", newClock(), id)
				ccfg.ExtendedMasterSecret, ccfg.RootCAs = ems, pki.CAPool()
				a, b := net.Pipe()
				defer a.Close()
				defer b.Close()
				res := runGo(func() goSide { return echo(gotls.Server(b, scfg), ems) })
				p := newPipeConn(t, a, tlsengine.Client(ccfg))
				if err := p.handshake(); err != nil {
					t.Fatalf("handshake: %v", err)
				}
				talk(t, p)
				g := <-res
				r := p.tc.Current()
				checkAgreement(t, r, g, &log, p.tc, ems)
				if r.Kind != tlsengine.KindFull || r.EMS != ems {
					t.Errorf("record %+v", r)
				}
			})
		}
	}
}

func TestServerAgainstCryptoTLS(t *testing.T) {
	for _, id := range interopSuites() {
		for _, ems := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/ems=%v", tls.CipherSuiteName(id), ems), func(t *testing.T) {
				var log bytes.Buffer
				ccfg := &gotls.Config{RootCAs: pki.CAPool(), ServerName: "radius.lab.example", CipherSuites: []uint16{id},
					MaxVersion: gotls.VersionTLS12, KeyLogWriter: &log, Time: func() time.Time { return interopTime }}
				scfg := serverConfig("vs-go-client", newClock(), id)
				scfg.ExtendedMasterSecret = ems
				a, b := net.Pipe()
				defer a.Close()
				defer b.Close()
				res := runGo(func() goSide { return goClientTalk(gotls.Client(b, ccfg), ems) })
				p := newPipeConn(t, a, tlsengine.Server(scfg))
				if err := p.handshake(); err != nil {
					t.Fatalf("handshake: %v", err)
				}
				serveEcho(t, p)
				g := <-res
				checkAgreement(t, p.tc.Current(), g, &log, p.tc, ems)
			})
		}
	}
}

// goClientTalk is the crypto/tls client's application: send "ping!", read
// the answer.
func goClientTalk(c *gotls.Conn, withEKM bool) goSide {
	var g goSide
	if g.err = c.Handshake(); g.err != nil {
		return g
	}
	if _, g.err = c.Write([]byte("ping!")); g.err != nil {
		return g
	}
	buf := make([]byte, 10)
	if _, g.err = io.ReadFull(c, buf); g.err != nil {
		return g
	}
	if string(buf) != "pong:ping!" {
		g.err = fmt.Errorf("read %q", buf)
		return g
	}
	g.state = c.ConnectionState()
	if withEKM {
		g.ekm, g.err = g.state.ExportKeyingMaterial("EXPORTER-sscope", nil, 32)
	}
	return g
}

// serveEcho is our server's application: read "ping!", answer.
func serveEcho(t *testing.T, p *pipeConn) {
	t.Helper()
	got, err := p.read(5)
	if err != nil || got != "ping!" {
		t.Fatalf("server read %q, %v", got, err)
	}
	p.write("pong:" + got)
}

// TestTicketsWithCryptoTLS: crypto/tls resumes with our tickets, and we
// resume with crypto/tls's.
func TestTicketsWithCryptoTLS(t *testing.T) {
	id := tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	t.Run("crypto/tls client", func(t *testing.T) {
		cache := gotls.NewLRUClientSessionCache(4)
		key, _ := tlsengine.NewTicketKey(detrand.New("interop ticket key"))
		for i := range 2 {
			var log bytes.Buffer
			ccfg := &gotls.Config{RootCAs: pki.CAPool(), ServerName: "radius.lab.example", CipherSuites: []uint16{id},
				MaxVersion: gotls.VersionTLS12, KeyLogWriter: &log, Time: func() time.Time { return interopTime }, ClientSessionCache: cache}
			scfg := serverConfig(fmt.Sprintf("go-ticket-%d", i), newClock(), id)
			scfg.TicketKey = key
			a, b := net.Pipe()
			res := runGo(func() goSide { return goClientTalk(gotls.Client(b, ccfg), true) })
			p := newPipeConn(t, a, tlsengine.Server(scfg))
			if err := p.handshake(); err != nil {
				t.Fatalf("handshake %d: %v", i, err)
			}
			serveEcho(t, p)
			g := <-res
			a.Close()
			b.Close()
			r := p.tc.Current()
			checkAgreement(t, r, g, &log, p.tc, true)
			if i == 0 && (r.Kind != tlsengine.KindFull || !r.TicketIssued || g.state.DidResume) {
				t.Errorf("first: %+v, resumed %v", r, g.state.DidResume)
			}
			if i == 1 && (r.Kind != tlsengine.KindAbbreviated || r.Resumption != tlsengine.ResumptionSessionTicket || !g.state.DidResume ||
				len(r.OfferedSessionID) == 0 || !bytes.Equal(r.OfferedSessionID, r.ServerSessionID)) {
				t.Errorf("second: %+v, resumed %v", r, g.state.DidResume)
			}
		}
	})
	t.Run("our client", func(t *testing.T) {
		scfg := &gotls.Config{Certificates: []gotls.Certificate{goCertificate(pki.Server())}, CipherSuites: []uint16{id},
			MaxVersion: gotls.VersionTLS12, Time: func() time.Time { return interopTime }}
		var sess *tlsengine.ClientSession
		for i := range 2 {
			var log bytes.Buffer
			scfg.KeyLogWriter = &log
			ccfg := clientConfig(fmt.Sprintf("go-server-ticket-%d", i), newClock(), id)
			ccfg.OfferTicket, ccfg.Session = true, sess
			a, b := net.Pipe()
			res := runGo(func() goSide { return echo(gotls.Server(b, scfg), true) })
			p := newPipeConn(t, a, tlsengine.Client(ccfg))
			if err := p.handshake(); err != nil {
				t.Fatalf("handshake %d: %v", i, err)
			}
			talk(t, p)
			g := <-res
			a.Close()
			b.Close()
			r := p.tc.Current()
			checkAgreement(t, r, g, &log, p.tc, true)
			if i == 1 && (r.Kind != tlsengine.KindAbbreviated || r.Resumption != tlsengine.ResumptionSessionTicket || !g.state.DidResume) {
				t.Errorf("second: %+v, resumed %v", r, g.state.DidResume)
			}
			sess = p.tc.Session()
			if len(sess.Ticket) == 0 {
				t.Fatalf("no ticket from crypto/tls after handshake %d", i)
			}
		}
	})
}

// TestClientCertificatesWithCryptoTLS covers CertificateRequest answered
// with a certificate and with an empty Certificate, both directions.
func TestClientCertificatesWithCryptoTLS(t *testing.T) {
	id := tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	for _, withCert := range []bool{true, false} {
		t.Run(fmt.Sprintf("our client, certificate=%v", withCert), func(t *testing.T) {
			var log bytes.Buffer
			scfg := &gotls.Config{Certificates: []gotls.Certificate{goCertificate(pki.Server())}, CipherSuites: []uint16{id},
				MaxVersion: gotls.VersionTLS12, KeyLogWriter: &log, Time: func() time.Time { return interopTime },
				ClientAuth: gotls.RequestClientCert}
			ccfg := clientConfig("go-client-auth", newClock(), id)
			want := tlsengine.ClientCertEmpty
			if withCert {
				scfg.ClientAuth, ccfg.Certificate, want = gotls.RequireAnyClientCert, pki.Client(), tlsengine.ClientCertSent
			}
			a, b := net.Pipe()
			defer a.Close()
			defer b.Close()
			res := runGo(func() goSide { return echo(gotls.Server(b, scfg), true) })
			p := newPipeConn(t, a, tlsengine.Client(ccfg))
			if err := p.handshake(); err != nil {
				t.Fatalf("handshake: %v", err)
			}
			talk(t, p)
			g := <-res
			checkAgreement(t, p.tc.Current(), g, &log, p.tc, true)
			if got := p.tc.Current().ClientCertificate; got != want {
				t.Errorf("ClientCertificate %q, want %q", got, want)
			}
			if withCert != (len(g.state.PeerCertificates) == 2 && g.state.PeerCertificates[0].Subject.CommonName == "host/laptop-01.lab.example") {
				t.Errorf("crypto/tls saw %d client certificates", len(g.state.PeerCertificates))
			}
		})
		t.Run(fmt.Sprintf("our server, certificate=%v", withCert), func(t *testing.T) {
			var log bytes.Buffer
			ccfg := &gotls.Config{RootCAs: pki.CAPool(), ServerName: "radius.lab.example", CipherSuites: []uint16{id},
				MaxVersion: gotls.VersionTLS12, KeyLogWriter: &log, Time: func() time.Time { return interopTime }}
			scfg := serverConfig("go-server-auth", newClock(), id)
			scfg.RequestClientCert = true
			want := tlsengine.ClientCertEmpty
			if withCert {
				ccfg.Certificates, want = []gotls.Certificate{goCertificate(pki.Client())}, tlsengine.ClientCertSent
			}
			a, b := net.Pipe()
			defer a.Close()
			defer b.Close()
			res := runGo(func() goSide { return goClientTalk(gotls.Client(b, ccfg), true) })
			p := newPipeConn(t, a, tlsengine.Server(scfg))
			if err := p.handshake(); err != nil {
				t.Fatalf("handshake: %v", err)
			}
			serveEcho(t, p)
			g := <-res
			checkAgreement(t, p.tc.Current(), g, &log, p.tc, true)
			if got := p.tc.Current().ClientCertificate; got != want {
				t.Errorf("ClientCertificate %q, want %q", got, want)
			}
		})
	}
}

// TestRenegotiationWithCryptoTLS: our server sends HelloRequest and the
// crypto/tls client renegotiates (RenegotiateOnceAsClient) inside the
// connection, with RFC 5746 and a second CertificateRequest.
func TestRenegotiationWithCryptoTLS(t *testing.T) {
	for _, id := range interopSuites() {
		t.Run(tls.CipherSuiteName(id), func(t *testing.T) {
			var log bytes.Buffer
			ccfg := &gotls.Config{RootCAs: pki.CAPool(), ServerName: "radius.lab.example", CipherSuites: []uint16{id},
				MaxVersion: gotls.VersionTLS12, KeyLogWriter: &log, Time: func() time.Time { return interopTime },
				Renegotiation: gotls.RenegotiateOnceAsClient}
			scfg := serverConfig("go-reneg", newClock(), id)
			scfg.RequestClientCert = true
			a, b := net.Pipe()
			defer a.Close()
			defer b.Close()
			res := runGo(func() goSide { return goClientTalk(gotls.Client(b, ccfg), false) })
			p := newPipeConn(t, a, tlsengine.Server(scfg))
			if err := p.handshake(); err != nil {
				t.Fatalf("handshake: %v", err)
			}
			got, err := p.read(5)
			if err != nil || got != "ping!" {
				t.Fatalf("server read %q, %v", got, err)
			}
			hello, err := p.tc.Renegotiate()
			if err != nil {
				t.Fatal(err)
			}
			// The client handles HelloRequest when it next reads, so the
			// answer is sent once the renegotiation is over.
			p.send(hello)
			if err := p.pumpUntil(func() bool { return len(p.tc.Handshakes()) == 2 && p.tc.HandshakeComplete() }); err != nil {
				t.Fatalf("renegotiation: %v", err)
			}
			p.write("pong:ping!")
			g := <-res
			if g.err != nil {
				t.Fatal(g.err)
			}
			hs := p.tc.Handshakes()
			for i, r := range hs {
				if ms := keyLogLine(t, &log, r.ClientRandom); !bytes.Equal(ms, r.MasterSecret) {
					t.Errorf("handshake %d: master secret differs from crypto/tls", i)
				}
				if r.Kind != tlsengine.KindFull || r.Renegotiation != (i == 1) || r.ClientCertificate != tlsengine.ClientCertEmpty {
					t.Errorf("handshake %d: %+v", i, r)
				}
			}
		})
	}
}
