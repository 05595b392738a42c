package scenario

import (
	"fmt"
	"time"

	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/expect"
	"github.com/sessionscope/sscope/samples/refimpl/capture"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// farm is a round-robin load balancer in front of TLS backends: the
// capture is taken between the client and the virtual address, so every
// connection shows the same server, whichever backend answered.
type farm struct {
	backends []*tlsengine.Config
	next     int
}

func (f *farm) pick() *tlsengine.Config {
	b := f.backends[f.next%len(f.backends)]
	f.next++
	return b
}

// farmPolicy is how the backends resume sessions.
type farmPolicy int

const (
	perNodeCache    farmPolicy = iota // T1: each backend its own session cache
	sharedTicketKey                   // T2: caches per node, one ticket key for all
	noSessionCache                    // T3: no cache, no tickets
)

func newFarm(w *World, policy farmPolicy, n int) *farm {
	f := &farm{}
	var key *tlsengine.TicketKey
	if policy == sharedTicketKey {
		key = &tlsengine.TicketKey{}
		r := w.Rand("ticket-key")
		r.Read(key.Name[:])
		r.Read(key.AESKey[:])
		r.Read(key.HMACKey[:])
	}
	for i := 0; i < n; i++ {
		cfg := &tlsengine.Config{
			Rand:                 w.Rand(fmt.Sprintf("backend-%d", i+1)),
			Time:                 w.Clock.Now,
			CipherSuites:         []uint16{tlsECDHERSAAES128GCM, tlsRSAAES128CBC},
			Certificate:          pki.Server(),
			ExtendedMasterSecret: true,
			SecureRenegotiation:  true,
			TicketKey:            key,
		}
		if policy != noSessionCache {
			cfg.SessionCache = tlsengine.NewSessionCache(7200 * time.Second)
		}
		f.backends = append(f.backends, cfg)
	}
	return f
}

// Suites the scenarios use.
const (
	tlsECDHERSAAES128GCM uint16 = 0xc02f // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
	tlsRSAAES128CBC      uint16 = 0x002f // TLS_RSA_WITH_AES_128_CBC_SHA
	tlsDHERSAAES128CBC   uint16 = 0x0033 // TLS_DHE_RSA_WITH_AES_128_CBC_SHA
	tlsDHAnonAES128CBC   uint16 = 0x0034 // TLS_DH_anon_WITH_AES_128_CBC_SHA
)

// runFarm plays connections from one client through the balancer. The
// client keeps what it learnt (session ID, ticket) for the next one, like
// a browser or an HTTP client library.
func runFarm(w *World, policy farmPolicy, connections int, tickets bool) error {
	client := host("client", "10.30.0.21")
	vip := host("vip", "10.30.1.10")
	f := newFarm(w, policy, 2)
	var session *tlsengine.ClientSession
	crand := w.Rand("client")
	for i := 0; i < connections; i++ {
		ccfg := &tlsengine.Config{
			Rand:                 crand,
			Time:                 w.Clock.Now,
			CipherSuites:         []uint16{tlsECDHERSAAES128GCM, tlsRSAAES128CBC},
			ExtendedMasterSecret: true,
			SecureRenegotiation:  true,
			ServerName:           "portal.lab.example",
			Session:              session,
			OfferTicket:          tickets,
			KeyLog:               w.LogKeys,
		}
		scfg := *f.pick()
		scfg.KeyLog = nil
		c, err := dialTLS(w, capture.Endpoint{Host: client, Port: uint16(50100 + i)}, capture.Endpoint{Host: vip, Port: 443}, ccfg, &scfg)
		if err != nil {
			return fmt.Errorf("connection %d: %w", i+1, err)
		}
		if err := c.request("GET /status HTTP/1.1\r\nHost: portal.lab.example\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"); err != nil {
			return fmt.Errorf("connection %d: %w", i+1, err)
		}
		c.close()
		if err := sameHandshakes(c.client, c.server); err != nil {
			return fmt.Errorf("connection %d: %w", i+1, err)
		}
		h := c.client.Current()
		sess := expect.Session{
			Kind:       "tls",
			Outcome:    "success",
			ClientIP:   client.IP.String(),
			ServerIP:   vip.IP.String(),
			Handshakes: []expect.Handshake{expectedHandshake(h, c.helloFrames[0])},
			Findings:   []string{},
		}
		if h.ResumptionRefused {
			sess.Findings = append(sess.Findings, "tls-resumption-refused")
		}
		w.Expected.Sessions = append(w.Expected.Sessions, sess)
		session = c.client.Session()
		w.Clock.Advance(5 * time.Second)
	}
	return nil
}

// sameHandshakes checks that both ends recorded the same verdicts: the
// expected report is only as good as the agreement of the endpoints.
func sameHandshakes(client, server *tlsengine.Conn) error {
	ch, sh := client.Handshakes(), server.Handshakes()
	if len(ch) != len(sh) {
		return fmt.Errorf("client saw %d handshakes, server %d", len(ch), len(sh))
	}
	for i := range ch {
		c, s := &ch[i], &sh[i]
		if c.Kind != s.Kind || c.Resumption != s.Resumption || string(c.ServerSessionID) != string(s.ServerSessionID) || c.CipherSuite != s.CipherSuite {
			return fmt.Errorf("handshake %d: client saw %s/%s/%x/%s, server %s/%s/%x/%s", i+1,
				c.Kind, c.Resumption, c.ServerSessionID, tls.CipherSuiteName(c.CipherSuite),
				s.Kind, s.Resumption, s.ServerSessionID, tls.CipherSuiteName(s.CipherSuite))
		}
	}
	return nil
}

func runT1(w *World) error {
	if err := runFarm(w, perNodeCache, 5, false); err != nil {
		return err
	}
	w.Expected.Findings = []string{"tls-ids-never-accepted", "tls-resumption-refused"}
	w.Expected.Absent = []string{"tls-resumption-works", "tls-no-session-cache"}
	return nil
}

func runT2(w *World) error {
	if err := runFarm(w, sharedTicketKey, 5, true); err != nil {
		return err
	}
	w.Expected.Findings = []string{"tls-resumption-works"}
	w.Expected.Absent = []string{"tls-ids-never-accepted", "tls-resumption-refused", "tls-no-session-cache"}
	return nil
}

func runT3(w *World) error {
	if err := runFarm(w, noSessionCache, 4, false); err != nil {
		return err
	}
	w.Expected.Findings = []string{"tls-no-session-cache"}
	w.Expected.Absent = []string{"tls-ids-never-accepted", "tls-resumption-refused"}
	return nil
}
