package handshake

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/report"
)

// wire records what each side of a connection wrote, in order.
type wire struct {
	mu     sync.Mutex
	chunks []chunk
}

type chunk struct {
	dir  Dir
	data []byte
}

type recConn struct {
	net.Conn
	w   *wire
	dir Dir
}

func (c *recConn) Write(b []byte) (int, error) {
	c.w.mu.Lock()
	c.w.chunks = append(c.w.chunks, chunk{c.dir, append([]byte(nil), b...)})
	c.w.mu.Unlock()
	return c.Conn.Write(b)
}

func testCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject:      pkix.Name{CommonName: "radius.example.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		DNSNames:     []string{"radius.example.test"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// tcpPair returns the two ends of a loopback TCP connection (buffered,
// unlike net.Pipe, so TLS 1.3 servers can send tickets while the client
// writes).
func tcpPair(t *testing.T) (net.Conn, net.Conn) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	type res struct {
		c   net.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		c, err := l.Accept()
		ch <- res{c, err}
	}()
	a, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	return a, r.c
}

// handshakeOnce runs one crypto/tls connection and returns what crossed the
// wire and whether the client resumed.
func handshakeOnce(t *testing.T, ccfg, scfg *tls.Config) (*wire, bool) {
	t.Helper()
	a, b := tcpPair(t)
	w := &wire{}
	cc := tls.Client(&recConn{a, w, ClientToServer}, ccfg)
	sc := tls.Server(&recConn{b, w, ServerToClient}, scfg)
	errc := make(chan error, 1)
	go func() {
		if err := sc.Handshake(); err != nil {
			errc <- err
			return
		}
		buf := make([]byte, 5)
		_, err := io.ReadFull(sc, buf)
		if err == nil {
			_, err = sc.Write([]byte("world"))
		}
		errc <- err
	}()
	if err := cc.Handshake(); err != nil {
		t.Fatal(err)
	}
	if _, err := cc.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(cc, buf); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	resumed := cc.ConnectionState().DidResume
	cc.Close()
	sc.Close()
	return w, resumed
}

// feed replays the wire into an observer, cutting each write into pieces
// of at most seg bytes as TCP might.
func feed(o *Observer, w *wire, seg int) {
	frame := uint64(0)
	for _, c := range w.chunks {
		for off := 0; off < len(c.data); off += seg {
			end := off + seg
			if end > len(c.data) {
				end = len(c.data)
			}
			frame++
			ref := Ref{Frame: frame, Time: time.Unix(1700000000, int64(frame))}
			o.Feed(c.dir, c.data[off:end], func(int) Ref { return ref })
		}
	}
}

func TestCryptoTLS12FullThenTicketResumption(t *testing.T) {
	cert := testCert(t)
	scfg := &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS12}
	ccfg := &tls.Config{InsecureSkipVerify: true, ServerName: "radius.example.test", MaxVersion: tls.VersionTLS12, ClientSessionCache: tls.NewLRUClientSessionCache(4)}
	reg := NewRegistry()
	for i, seg := range []int{7, 1460} {
		w, resumed := handshakeOnce(t, ccfg, scfg)
		o := New(Options{Registry: reg, Server: "10.0.0.1:443"})
		feed(o, w, seg)
		o.Close(false, Ref{})
		hs := o.Handshakes()
		if len(hs) != 1 {
			t.Fatalf("connection %d: %d handshakes, want 1", i, len(hs))
		}
		v := hs[0].Verdict()
		if v.Version != "TLS 1.2" {
			t.Errorf("connection %d: version %q", i, v.Version)
		}
		if resumed != (v.Kind == report.HandshakeAbbreviated) {
			t.Errorf("connection %d: crypto/tls DidResume=%v, verdict kind %s", i, resumed, v.Kind)
		}
		if i == 0 {
			// crypto/tls puts a random 32-byte session ID in every
			// ClientHello, even when it cannot speak TLS 1.3 and has
			// nothing to resume. In TLS 1.2 a non-empty session ID asks
			// to resume (RFC 5246 §7.4.1.2), so by the rule a client that
			// cannot speak TLS 1.3 is taken at its word: refused.
			if v.Kind != report.HandshakeFull || v.ResumptionRefused == nil || !*v.ResumptionRefused {
				t.Errorf("first connection: kind %s refused %v", v.Kind, v.ResumptionRefused)
			}
			if !v.TicketIssued {
				t.Error("first connection: NewSessionTicket not seen")
			}
			if len(v.ServerCerts) != 1 || v.ServerCerts[0].Subject == "" {
				t.Errorf("server certificate not summarized: %+v %v", v.ServerCerts, *v.ServerCerts[0].ParseError)
			}
			if v.ClientCertificate != report.ClientCertNotRequested {
				t.Errorf("client certificate %q", v.ClientCertificate)
			}
		} else {
			if v.Resumption == nil || *v.Resumption != report.ResumeTicket {
				t.Errorf("resumed connection: resumption %v", v.Resumption)
			}
			if !v.Offered.Ticket {
				t.Error("resumed connection: ticket offer not seen")
			}
		}
		if b, _ := o.AppData(ClientToServer); b == 0 {
			t.Errorf("connection %d: no client application data counted", i)
		}
	}
}

func TestCryptoTLS13FullThenPSK(t *testing.T) {
	cert := testCert(t)
	scfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	ccfg := &tls.Config{InsecureSkipVerify: true, ServerName: "radius.example.test", ClientSessionCache: tls.NewLRUClientSessionCache(4)}
	for i := 0; i < 2; i++ {
		w, resumed := handshakeOnce(t, ccfg, scfg)
		o := New(Options{Registry: NewRegistry()})
		feed(o, w, 100)
		o.Close(false, Ref{})
		hs := o.Handshakes()
		if len(hs) != 1 {
			t.Fatalf("connection %d: %d handshakes", i, len(hs))
		}
		v := hs[0].Verdict()
		if v.Version != "TLS 1.3" {
			t.Fatalf("version %q", v.Version)
		}
		if resumed != (v.Kind == report.HandshakeAbbreviated) {
			t.Errorf("connection %d: DidResume=%v kind=%s", i, resumed, v.Kind)
		}
		if i == 0 {
			// A TLS 1.3 client's random legacy session ID is no resumption attempt.
			if v.Offered.SessionID == "" {
				t.Error("crypto/tls sends a compatibility session ID; none seen")
			}
			if v.ResumptionRefused != nil {
				t.Errorf("compatibility session ID judged: refused=%v", *v.ResumptionRefused)
			}
		} else if v.Resumption == nil || *v.Resumption != report.ResumePSK {
			t.Errorf("resumption %v, want psk", v.Resumption)
		}
	}
}

func TestFatalAlertFailsHandshake(t *testing.T) {
	cert := testCert(t)
	scfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13}
	ccfg := &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12}
	a, b := tcpPair(t)
	w := &wire{}
	cc := tls.Client(&recConn{a, w, ClientToServer}, ccfg)
	sc := tls.Server(&recConn{b, w, ServerToClient}, scfg)
	done := make(chan struct{})
	go func() { _ = sc.Handshake(); sc.Close(); close(done) }()
	if err := cc.Handshake(); err == nil {
		t.Fatal("handshake succeeded")
	}
	<-done
	o := New(Options{})
	feed(o, w, 1000)
	o.Close(false, Ref{})
	hs := o.Handshakes()
	if len(hs) != 1 {
		t.Fatalf("%d handshakes", len(hs))
	}
	v := hs[0].Verdict()
	if v.Kind != report.HandshakeFailed || v.Alert == nil || v.Alert.Description != "protocol_version" || v.Alert.Level != "fatal" {
		t.Fatalf("kind %s alert %+v", v.Kind, v.Alert)
	}
}
