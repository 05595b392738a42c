package tlsengine_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

func TestFullHandshakeEverySuite(t *testing.T) {
	wantFlight := map[uint16]string{
		tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: "ServerHello,Certificate,ServerKeyExchange,ServerHelloDone",
		tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA:          "ServerHello,Certificate,ServerHelloDone",
		tlsengine.TLS_DHE_RSA_WITH_AES_128_CBC_SHA:      "ServerHello,Certificate,ServerKeyExchange,ServerHelloDone",
		tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA:      "ServerHello,ServerKeyExchange,ServerHelloDone",
	}
	for _, id := range allSuites {
		for _, ems := range []bool{false, true} {
			t.Run(tls.CipherSuiteName(id), func(t *testing.T) {
				clk := newClock()
				ccfg, scfg := clientConfig("full", clk, id), serverConfig("full", clk, id)
				ccfg.ExtendedMasterSecret, scfg.ExtendedMasterSecret = ems, ems
				var logged [][]byte
				ccfg.KeyLog = func(cr, ms []byte) { logged = append(logged, cr, ms) }
				c, s, w := connect(t, ccfg, scfg)
				mustComplete(t, c, s)
				if got := typesString(handshakeTypes(t, w.flights[1].data)); got != wantFlight[id] {
					t.Errorf("server flight %s, want %s", got, wantFlight[id])
				}
				cr, sr := c.Current(), s.Current()
				for _, r := range []*tlsengine.HandshakeRecord{cr, sr} {
					if r.Kind != tlsengine.KindFull || r.Resumption != "" || r.ResumptionRefused || r.CipherSuite != id ||
						r.Anonymous != (id == tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA) || r.EMS != ems || r.Renegotiation ||
						r.ClientCertificate != tlsengine.ClientCertNotRequested || r.Alert != nil || len(r.OfferedSessionID) != 0 {
						t.Errorf("record %+v", r)
					}
				}
				if !bytes.Equal(cr.MasterSecret, sr.MasterSecret) || cr.ClientRandom != sr.ClientRandom || cr.ServerRandom != sr.ServerRandom {
					t.Fatal("the two ends disagree on the session")
				}
				if len(logged) != 2 || !bytes.Equal(logged[0], cr.ClientRandom[:]) || !bytes.Equal(logged[1], cr.MasterSecret) {
					t.Errorf("key log %x", logged)
				}
				seed := append(cr.ClientRandom[:], cr.ServerRandom[:]...)
				if a, b := c.ExportKeyingMaterial("client EAP encryption", seed, 128), s.ExportKeyingMaterial("client EAP encryption", seed, 128); len(a) != 128 || !bytes.Equal(a, b) {
					t.Error("MSK differs")
				}
				if a, b := c.KeyBlockExtra(40), s.KeyBlockExtra(40); len(a) != 40 || !bytes.Equal(a, b) {
					t.Error("session_key_seed differs")
				}
				exchangeData(t, w, c, s, "every-suite")
				// A message larger than a record is split and joined.
				big := bytes.Repeat([]byte("0123456789abcdef"), 3000)
				recs := c.WriteApplicationData(big)
				if n := countRecords(t, recs); n != 3 {
					t.Errorf("%d bytes in %d records, want 3", len(big), n)
				}
				deliver(w, c, s, recs, nil)
				if got := s.ReadApplicationData(); !bytes.Equal(got, big) {
					t.Errorf("large write: got %d bytes", len(got))
				}
			})
		}
	}
}

func countRecords(t *testing.T, b []byte) int {
	t.Helper()
	n := 0
	for len(b) > 0 {
		_, k, err := tls.ParseRecord(b, false)
		if err != nil {
			t.Fatal(err)
		}
		b, n = b[k:], n+1
	}
	return n
}

// TestFirstClientHello checks the wire form of the first ClientHello:
// record version 0x0301, hello version 0x0303, the extensions the suites
// need.
func TestFirstClientHello(t *testing.T) {
	c := tlsengine.Client(clientConfig("hello", newClock(), allSuites...))
	b, err := c.Start()
	if err != nil {
		t.Fatal(err)
	}
	rec, n, err := tls.ParseRecord(b, false)
	if err != nil || n != len(b) || rec.Version != tls.VersionTLS10 {
		t.Fatalf("record %+v %v", rec, err)
	}
	msg, _, err := tls.ParseHandshakeFragment(rec.Fragment, false)
	if err != nil || msg.Type != tls.HandshakeTypeClientHello {
		t.Fatal(err)
	}
	var ch tls.ClientHello
	if err := ch.Unmarshal(msg.Body, false); err != nil {
		t.Fatal(err)
	}
	if ch.Version != tls.VersionTLS12 || len(ch.SessionID) != 0 || ch.ServerName != "radius.lab.example" ||
		!bytes.Equal(ch.ECPointFormats, []byte{0}) || len(ch.SupportedGroups) != 1 || ch.SupportedGroups[0] != 23 ||
		!ch.ExtendedMasterSecret || !ch.SecureRenegotiationSupported || len(ch.SecureRenegotiation) != 0 ||
		ch.TicketSupported || len(ch.CipherSuites) != 4 || ch.SignatureAlgorithms[0] != tls.SchemeRSAPKCS1SHA256 {
		t.Errorf("ClientHello %+v", ch)
	}
}

func TestSessionIDResumption(t *testing.T) {
	clk := newClock()
	cache := tlsengine.NewSessionCache(7200 * time.Second)
	scfg := serverConfig("sid", clk, allSuites...)
	scfg.SessionCache = cache
	c, s, w := connect(t, clientConfig("sid-1", clk, allSuites...), scfg)
	mustComplete(t, c, s)
	first := s.Current()
	if len(first.ServerSessionID) != 32 || cache.Len() != 1 {
		t.Fatalf("no session ID assigned: %x, cache %d", first.ServerSessionID, cache.Len())
	}
	sess := c.Session()
	if !bytes.Equal(sess.ID, first.ServerSessionID) || sess.CipherSuite != first.CipherSuite || !sess.EMS {
		t.Fatalf("client session %+v", sess)
	}

	clk.advance(7199 * time.Second)
	ccfg := clientConfig("sid-2", clk, allSuites...)
	ccfg.Session = sess
	scfg.Rand = detrand.New("server sid-2")
	c2, s2, w2 := connect(t, ccfg, scfg)
	mustComplete(t, c2, s2)
	for _, r := range []*tlsengine.HandshakeRecord{c2.Current(), s2.Current()} {
		if r.Kind != tlsengine.KindAbbreviated || r.Resumption != tlsengine.ResumptionSessionID || r.ResumptionRefused ||
			!bytes.Equal(r.OfferedSessionID, sess.ID) || !bytes.Equal(r.ServerSessionID, sess.ID) ||
			!bytes.Equal(r.MasterSecret, sess.MasterSecret) || r.ClientRandom == first.ClientRandom {
			t.Errorf("resumed record %+v", r)
		}
	}
	if got := typesString(handshakeTypes(t, w2.flights[1].data)); got != "ServerHello" {
		t.Errorf("abbreviated server flight %s", got)
	}
	exchangeData(t, w2, c2, s2, "resumed")
	_ = w
}

func TestSessionCacheExpiry(t *testing.T) {
	clk := newClock()
	scfg := serverConfig("expiry", clk, allSuites...)
	scfg.SessionCache = tlsengine.NewSessionCache(7200 * time.Second)
	c, s, _ := connect(t, clientConfig("expiry-1", clk, allSuites...), scfg)
	mustComplete(t, c, s)
	old := c.Session()

	clk.advance(7200 * time.Second)
	ccfg := clientConfig("expiry-2", clk, allSuites...)
	ccfg.Session = old
	c2, s2, _ := connect(t, ccfg, scfg)
	mustComplete(t, c2, s2)
	for _, r := range []*tlsengine.HandshakeRecord{c2.Current(), s2.Current()} {
		if r.Kind != tlsengine.KindFull || !r.ResumptionRefused || !bytes.Equal(r.OfferedSessionID, old.ID) ||
			len(r.ServerSessionID) != 32 || bytes.Equal(r.ServerSessionID, old.ID) {
			t.Errorf("expired session record %+v", r)
		}
	}
}

// TestSeparateCaches is scenario P3/T1: the second node does not know the
// first node's session and assigns a new ID.
func TestSeparateCaches(t *testing.T) {
	clk := newClock()
	node1, node2 := serverConfig("node1", clk, allSuites...), serverConfig("node2", clk, allSuites...)
	node1.SessionCache, node2.SessionCache = tlsengine.NewSessionCache(time.Hour), tlsengine.NewSessionCache(time.Hour)
	c, s, _ := connect(t, clientConfig("lb-1", clk, allSuites...), node1)
	mustComplete(t, c, s)
	ccfg := clientConfig("lb-2", clk, allSuites...)
	ccfg.Session = c.Session()
	c2, s2, _ := connect(t, ccfg, node2)
	mustComplete(t, c2, s2)
	r := c2.Current()
	if r.Kind != tlsengine.KindFull || !r.ResumptionRefused || bytes.Equal(r.ServerSessionID, ccfg.Session.ID) || len(r.ServerSessionID) != 32 {
		t.Errorf("other node record %+v", r)
	}
	if !s2.Current().ResumptionRefused {
		t.Error("server did not record the refusal")
	}
}

// TestNoSessionCache is scenario T3: no cache, empty session IDs.
func TestNoSessionCache(t *testing.T) {
	clk := newClock()
	c, s, _ := connect(t, clientConfig("nocache", clk, allSuites...), serverConfig("nocache", clk, allSuites...))
	mustComplete(t, c, s)
	if r := c.Current(); r.ServerSessionID == nil || len(r.ServerSessionID) != 0 || len(c.Session().ID) != 0 {
		t.Errorf("record %+v", r)
	}
	ccfg := clientConfig("nocache-2", clk, allSuites...)
	ccfg.Session = c.Session()
	c2, s2, _ := connect(t, ccfg, serverConfig("nocache-2", clk, allSuites...))
	mustComplete(t, c2, s2)
	if r := c2.Current(); r.Kind != tlsengine.KindFull || r.ResumptionRefused {
		t.Errorf("nothing offered, record %+v", r)
	}
}

// TestSharedTicketKey is scenario T2: servers sharing a ticket key resume
// each other's sessions; a server with another key refuses.
func TestSharedTicketKey(t *testing.T) {
	clk := newClock()
	key, err := tlsengine.NewTicketKey(detrand.New("ticket key"))
	if err != nil {
		t.Fatal(err)
	}
	node := func(name string) *tlsengine.Config {
		cfg := serverConfig(name, clk, allSuites...)
		cfg.TicketKey = key
		return cfg
	}
	ccfg := clientConfig("ticket-1", clk, allSuites...)
	ccfg.OfferTicket = true
	c, s, w := connect(t, ccfg, node("a"))
	mustComplete(t, c, s)
	if got := typesString(handshakeTypes(t, w.flights[3].data)); got != "NewSessionTicket" {
		t.Errorf("server's last flight %s", got)
	}
	if !s.Current().TicketIssued || !c.Current().TicketIssued {
		t.Error("ticket not recorded")
	}
	sess := c.Session()
	if len(sess.Ticket) == 0 || len(sess.ID) != 0 {
		t.Fatalf("client session %+v", sess)
	}
	for i, name := range []string{"b", "a"} {
		clk.advance(time.Minute)
		ccfg := clientConfig("ticket-next-"+name, clk, allSuites...)
		ccfg.Session, ccfg.OfferTicket = sess, true
		c2, s2, _ := connect(t, ccfg, node(name+"-again"))
		mustComplete(t, c2, s2)
		for _, r := range []*tlsengine.HandshakeRecord{c2.Current(), s2.Current()} {
			if r.Kind != tlsengine.KindAbbreviated || r.Resumption != tlsengine.ResumptionSessionTicket || !r.OfferedTicket ||
				len(r.OfferedSessionID) != 32 || !bytes.Equal(r.ServerSessionID, r.OfferedSessionID) || r.TicketIssued {
				t.Errorf("resumption %d record %+v", i, r)
			}
		}
		if !bytes.Equal(c2.Session().Ticket, sess.Ticket) {
			t.Error("client forgot its ticket")
		}
	}
	// Another key: refused, full handshake, a new ticket.
	other := serverConfig("other", clk, allSuites...)
	other.TicketKey, _ = tlsengine.NewTicketKey(detrand.New("other key"))
	ccfg = clientConfig("ticket-other", clk, allSuites...)
	ccfg.Session, ccfg.OfferTicket = sess, true
	c3, s3, _ := connect(t, ccfg, other)
	mustComplete(t, c3, s3)
	if r := s3.Current(); r.Kind != tlsengine.KindFull || !r.ResumptionRefused || !r.OfferedTicket || !r.TicketIssued {
		t.Errorf("foreign ticket record %+v", r)
	}
	// Expired ticket: refused.
	clk.advance(tlsengine.DefaultTicketLifetime)
	ccfg = clientConfig("ticket-late", clk, allSuites...)
	ccfg.Session, ccfg.OfferTicket = sess, true
	c4, s4, _ := connect(t, ccfg, node("late"))
	mustComplete(t, c4, s4)
	if r := c4.Current(); r.Kind != tlsengine.KindFull || !r.ResumptionRefused {
		t.Errorf("expired ticket record %+v", r)
	}
}

// TestPACResumption plays the EAP-FAST PAC-based tunnel (F1/F2) and its
// refusal (F5: full handshake instead).
func TestPACResumption(t *testing.T) {
	clk := newClock()
	pacKey := detrand.Bytes(detrand.New("pac key"), 32)
	opaque := []byte("PAC-Opaque: sealed PAC-Key and identity")
	resolver := func(o []byte) ([]byte, bool) {
		if bytes.Equal(o, opaque) {
			return pacKey, true
		}
		return nil, false
	}
	suites := []uint16{tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA, tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA}
	ccfg := clientConfig("pac", clk, suites...)
	ccfg.PACOpaque, ccfg.PACKey = opaque, pacKey
	scfg := serverConfig("pac", clk, suites...)
	scfg.PACResolver = resolver
	c, s, w := connect(t, ccfg, scfg)
	mustComplete(t, c, s)
	if got := typesString(handshakeTypes(t, w.flights[1].data)); got != "ServerHello" {
		t.Errorf("PAC server flight %s", got)
	}
	cr := c.Current()
	want := eapfast.MasterSecretFromPACKey(pacKey, cr.ServerRandom, cr.ClientRandom)
	for _, r := range []*tlsengine.HandshakeRecord{cr, s.Current()} {
		if r.Kind != tlsengine.KindAbbreviated || r.Resumption != tlsengine.ResumptionPAC || !r.OfferedPACOpaque || r.OfferedTicket ||
			len(r.OfferedSessionID) != 32 || !bytes.Equal(r.ServerSessionID, r.OfferedSessionID) ||
			!bytes.Equal(r.MasterSecret, want) || r.CipherSuite != tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA {
			t.Errorf("PAC record %+v", r)
		}
	}
	if a, b := c.KeyBlockExtra(40), s.KeyBlockExtra(40); !bytes.Equal(a, b) {
		t.Error("session_key_seed differs")
	}
	exchangeData(t, w, c, s, "pac")

	// Unknown PAC-Opaque: full handshake with the certificate.
	ccfg = clientConfig("pac-bad", clk, suites...)
	ccfg.PACOpaque, ccfg.PACKey = []byte("stale PAC-Opaque"), pacKey
	c2, s2, _ := connect(t, ccfg, scfg)
	mustComplete(t, c2, s2)
	for _, r := range []*tlsengine.HandshakeRecord{c2.Current(), s2.Current()} {
		if r.Kind != tlsengine.KindFull || !r.ResumptionRefused || !r.OfferedPACOpaque || r.TicketIssued {
			t.Errorf("refused PAC record %+v", r)
		}
	}

	// A client holding the wrong PAC-Key fails at Finished.
	ccfg = clientConfig("pac-wrong-key", clk, suites...)
	ccfg.PACOpaque, ccfg.PACKey = opaque, []byte("not the key")
	c3, s3, _ := connect(t, ccfg, scfg)
	var ae *tlsengine.AlertError
	if !errors.As(c3.Failed(), &ae) || !ae.Sent || ae.Alert.Description != 20 {
		t.Fatalf("client error %v", c3.Failed())
	}
	if r := s3.Current(); r.Kind != tlsengine.KindFailed || r.Alert == nil || r.Alert.Description != 20 || r.AlertSentByUs {
		t.Errorf("server record %+v", r)
	}
}

// TestNoCommonSuite is scenario F8: the server has no suite the client
// offers and sends handshake_failure.
func TestNoCommonSuite(t *testing.T) {
	clk := newClock()
	scfg := serverConfig("anon-only", clk, tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA)
	scfg.Certificate = nil
	c, s, w := connect(t, clientConfig("cert-only", clk, tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA, tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), scfg)
	if !bytes.Equal(w.flights[1].data, []byte{21, 3, 3, 0, 2, 2, 40}) {
		t.Errorf("server sent %x", w.flights[1].data)
	}
	for i, conn := range []*tlsengine.Conn{c, s} {
		var ae *tlsengine.AlertError
		if !errors.As(conn.Failed(), &ae) || ae.Alert.Description != tls.AlertHandshakeFailure || ae.Sent != (i == 1) {
			t.Errorf("conn %d error %v", i, conn.Failed())
		}
		r := conn.Current()
		if r.Kind != tlsengine.KindFailed || r.Alert == nil || r.Alert.Description != 40 || r.Alert.Level != 2 || r.AlertSentByUs != (i == 1) {
			t.Errorf("conn %d record %+v", i, r)
		}
		if conn.HandshakeComplete() {
			t.Error("complete after an alert")
		}
		if out, err := conn.Feed([]byte{22, 3, 3}); out != nil || err == nil {
			t.Error("Feed after failure did something")
		}
	}
}

// TestRenegotiationWithEmptyClientCertificate is scenario F3: a
// certificate request answered by an empty Certificate, then a server
// initiated renegotiation inside the tunnel asking again.
func TestRenegotiationWithEmptyClientCertificate(t *testing.T) {
	clk := newClock()
	scfg := serverConfig("reneg", clk, allSuites...)
	scfg.RequestClientCert = true
	c, s, w := connect(t, clientConfig("reneg", clk, allSuites...), scfg)
	mustComplete(t, c, s)
	if got := typesString(handshakeTypes(t, w.flights[1].data)); got != "ServerHello,Certificate,ServerKeyExchange,CertificateRequest,ServerHelloDone" {
		t.Errorf("server flight %s", got)
	}
	hello, err := s.Renegotiate()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Renegotiate(); err == nil {
		t.Error("second Renegotiate while one is pending")
	}
	deliver(w, c, s, nil, hello)
	mustComplete(t, c, s)
	exchangeData(t, w, c, s, "after-renegotiation")

	// The client renegotiates too.
	again, err := c.Renegotiate()
	if err != nil {
		t.Fatal(err)
	}
	deliver(w, c, s, again, nil)
	mustComplete(t, c, s)
	exchangeData(t, w, c, s, "after-second-renegotiation")

	for _, conn := range []*tlsengine.Conn{c, s} {
		hs := conn.Handshakes()
		if len(hs) != 3 {
			t.Fatalf("%d handshakes", len(hs))
		}
		for i, r := range hs {
			if r.Kind != tlsengine.KindFull || r.Renegotiation != (i > 0) || r.ClientCertificate != tlsengine.ClientCertEmpty {
				t.Errorf("handshake %d: %+v", i, r)
			}
		}
		if bytes.Equal(hs[0].MasterSecret, hs[1].MasterSecret) {
			t.Error("renegotiation kept the master secret")
		}
	}
}

// TestClientCertificateSent checks CertificateRequest answered with a
// certificate and a CertificateVerify the server verifies.
func TestClientCertificateSent(t *testing.T) {
	for _, id := range allSuites[:3] {
		clk := newClock()
		scfg := serverConfig("mutual", clk, id)
		scfg.RequestClientCert = true
		ccfg := clientConfig("mutual", clk, id)
		ccfg.Certificate = pki.Client()
		c, s, w := connect(t, ccfg, scfg)
		mustComplete(t, c, s)
		if got := typesString(handshakeTypes(t, w.flights[2].data)); got != "Certificate,ClientKeyExchange,CertificateVerify" {
			t.Errorf("client flight %s", got)
		}
		if c.Current().ClientCertificate != tlsengine.ClientCertSent || s.Current().ClientCertificate != tlsengine.ClientCertSent {
			t.Errorf("records %+v %+v", c.Current(), s.Current())
		}
	}
}

// TestRenegotiationNeedsRFC5746 checks that renegotiation is refused
// without secure renegotiation: Renegotiate fails, and a client's
// unsolicited ClientHello gets a no_renegotiation warning.
func TestRenegotiationNeedsRFC5746(t *testing.T) {
	clk := newClock()
	ccfg, scfg := clientConfig("insecure", clk, allSuites...), serverConfig("insecure", clk, allSuites...)
	ccfg.SecureRenegotiation = false
	c, s, _ := connect(t, ccfg, scfg)
	mustComplete(t, c, s)
	if _, err := s.Renegotiate(); !errors.Is(err, tlsengine.ErrNotReady) {
		t.Errorf("server Renegotiate: %v", err)
	}
	if _, err := c.Renegotiate(); !errors.Is(err, tlsengine.ErrNotReady) {
		t.Errorf("client Renegotiate: %v", err)
	}
}

// TestTamperedRecords checks the alerts for damaged and misplaced input.
func TestTamperedRecords(t *testing.T) {
	clk := newClock()
	for _, id := range []uint16{tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA} {
		c, s, _ := connect(t, clientConfig("tamper", clk, id), serverConfig("tamper", clk, id))
		mustComplete(t, c, s)
		rec := c.WriteApplicationData([]byte("hello"))
		rec[len(rec)-1] ^= 1
		out, err := s.Feed(rec)
		var ae *tlsengine.AlertError
		if !errors.As(err, &ae) || ae.Alert.Description != 20 || len(out) == 0 || out[0] != 21 {
			t.Errorf("%s: tampered record gave %x, %v", tls.CipherSuiteName(id), out, err)
		}
		if r := s.Current(); r.Kind != tlsengine.KindFull || r.Alert == nil || !r.AlertSentByUs {
			t.Errorf("record after the handshake %+v", r)
		}
		// The alert is encrypted and the client reads it.
		if _, err := c.Feed(out); !errors.As(err, &ae) || ae.Sent || ae.Alert.Description != 20 {
			t.Errorf("client read %v", err)
		}
	}
	// A ClientKeyExchange before any ClientHello.
	s := tlsengine.Server(serverConfig("order", clk, allSuites...))
	out, err := s.Feed([]byte{22, 3, 3, 0, 6, 16, 0, 0, 2, 0, 0})
	if !bytes.Equal(out, []byte{21, 3, 3, 0, 2, 2, 10}) || err == nil {
		t.Errorf("out of order: %x %v", out, err)
	}
	if r := s.Current(); r == nil || r.Kind != tlsengine.KindFailed {
		t.Errorf("record %+v", r)
	}
	// Not TLS at all.
	s = tlsengine.Server(serverConfig("garbage", clk, allSuites...))
	if out, _ := s.Feed([]byte("GET / HTTP/1.1\r\n")); !bytes.Equal(out, []byte{21, 3, 3, 0, 2, 2, 10}) {
		t.Errorf("garbage: %x", out)
	}
}

// TestByteAtATime feeds every flight one byte at a time, as a stream or
// small EAP fragments may deliver it.
func TestByteAtATime(t *testing.T) {
	clk := newClock()
	c := tlsengine.Client(clientConfig("trickle", clk, tlsengine.TLS_DHE_RSA_WITH_AES_128_CBC_SHA))
	s := tlsengine.Server(serverConfig("trickle", clk, tlsengine.TLS_DHE_RSA_WITH_AES_128_CBC_SHA))
	toServer, _ := c.Start()
	var toClient []byte
	for range 10 {
		var next []byte
		for i := range toServer {
			out, err := s.Feed(toServer[i : i+1])
			if err != nil {
				t.Fatal(err)
			}
			toClient = append(toClient, out...)
		}
		for i := range toClient {
			out, err := c.Feed(toClient[i : i+1])
			if err != nil {
				t.Fatal(err)
			}
			next = append(next, out...)
		}
		toServer, toClient = next, nil
	}
	mustComplete(t, c, s)
}

// TestDeterminism runs the same conversations twice and compares every
// byte.
func TestDeterminism(t *testing.T) {
	run := func() []byte {
		clk := newClock()
		var all []byte
		scfg := serverConfig("det", clk, allSuites...)
		scfg.SessionCache = tlsengine.NewSessionCache(time.Hour)
		scfg.TicketKey, _ = tlsengine.NewTicketKey(detrand.New("det key"))
		scfg.RequestClientCert = true
		for i, id := range allSuites {
			ccfg := clientConfig("det", clk, id)
			ccfg.OfferTicket = i%2 == 0
			ccfg.Certificate = pki.Client()
			c, s, w := connect(t, ccfg, scfg)
			mustComplete(t, c, s)
			exchangeData(t, w, c, s, "det")
			hello, _ := s.Renegotiate()
			deliver(w, c, s, nil, hello)
			ccfg2 := clientConfig("det-2", clk, id)
			ccfg2.Session = c.Session()
			c2, s2, w2 := connect(t, ccfg2, scfg)
			mustComplete(t, c2, s2)
			all = append(append(all, w.bytes()...), w2.bytes()...)
		}
		return all
	}
	a, b := run(), run()
	if len(a) < 10000 || !bytes.Equal(a, b) {
		t.Fatalf("runs differ (%d and %d bytes)", len(a), len(b))
	}
}

func TestMissingConfig(t *testing.T) {
	c := tlsengine.Client(&tlsengine.Config{CipherSuites: allSuites})
	if _, err := c.Start(); err == nil {
		t.Error("Start without Rand and Time")
	}
	s := tlsengine.Server(&tlsengine.Config{})
	if _, err := s.Feed([]byte{22}); err == nil {
		t.Error("Feed without Rand and Time")
	}
}
