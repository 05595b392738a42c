package tlsengine_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// fuzzVariant builds the configurations a fuzz input's first byte picks.
// The same seeds make the recorded conversations of fuzzSeeds replay
// exactly, so the seed corpus reaches every state of the handshake.
func fuzzVariant(v byte) (ccfg, scfg *tlsengine.Config) {
	clk := newClock()
	ccfg, scfg = clientConfig("fuzz", clk, allSuites...), serverConfig("fuzz", clk, allSuites...)
	switch v % 5 {
	case 1:
		scfg.SessionCache = tlsengine.NewSessionCache(time.Hour)
		scfg.TicketKey, _ = tlsengine.NewTicketKey(detrand.New("fuzz ticket key"))
		ccfg.OfferTicket = true
	case 2:
		scfg.RequestClientCert = true
		ccfg.Certificate = pki.Client()
	case 3:
		key := []byte("fuzz PAC-Key fuzz PAC-Key fuzz P")
		scfg.PACResolver = func(o []byte) ([]byte, bool) { return key, bytes.Equal(o, []byte("opaque")) }
		ccfg.PACOpaque, ccfg.PACKey = []byte("opaque"), key
	case 4:
		ccfg.CipherSuites = []uint16{tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA}
		scfg.RequestClientCert = true
	}
	return ccfg, scfg
}

// fuzzSeeds plays each variant and returns, prefixed by the variant byte,
// what the client sent and what the server sent.
func fuzzSeeds(t testing.TB) (toServer, toClient [][]byte) {
	for v := range byte(5) {
		ccfg, scfg := fuzzVariant(v)
		c, s := tlsengine.Client(ccfg), tlsengine.Server(scfg)
		w := &wire{}
		hello, _ := c.Start()
		deliver(w, c, s, hello, nil)
		if r, err := s.Renegotiate(); err == nil {
			deliver(w, c, s, nil, r)
		}
		// Data last: a write draws CBC IVs from the writer's stream,
		// which would shift everything after it in a replay.
		deliver(w, c, s, c.WriteApplicationData([]byte("data")), nil)
		var cs, sc []byte
		for _, f := range w.flights {
			if f.fromClient {
				cs = append(cs, f.data...)
			} else {
				sc = append(sc, f.data...)
			}
		}
		toServer = append(toServer, append([]byte{v}, cs...), append([]byte{v}, hello...))
		toClient = append(toClient, append([]byte{v}, sc...))
	}
	return toServer, toClient
}

// checkConn holds what must be true of a Conn whatever it was fed.
func checkConn(t *testing.T, c *tlsengine.Conn, err error) {
	if (err != nil) != (c.Failed() != nil) {
		t.Fatalf("Feed error %v, Failed %v", err, c.Failed())
	}
	if c.Failed() != nil && c.HandshakeComplete() && c.Current().Alert == nil {
		t.Fatal("failed connection without an alert in its record")
	}
	for _, r := range c.Handshakes() {
		switch r.Kind {
		case tlsengine.KindFull, tlsengine.KindAbbreviated, tlsengine.KindFailed, tlsengine.KindIncomplete:
		default:
			t.Fatalf("kind %q", r.Kind)
		}
	}
	c.ReadApplicationData()
	c.WriteApplicationData([]byte("x"))
}

func FuzzServerFeed(f *testing.F) {
	toServer, _ := fuzzSeeds(f)
	for _, s := range toServer {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		_, scfg := fuzzVariant(data[0])
		s := tlsengine.Server(scfg)
		half := len(data) / 2
		_, err := s.Feed(data[1:max(1, half)])
		if err == nil {
			_, err = s.Feed(data[max(1, half):])
		}
		checkConn(t, s, err)
	})
}

func FuzzClientFeed(f *testing.F) {
	_, toClient := fuzzSeeds(f)
	for _, s := range toClient {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		ccfg, _ := fuzzVariant(data[0])
		c := tlsengine.Client(ccfg)
		if _, err := c.Start(); err != nil {
			t.Fatal(err)
		}
		_, err := c.Feed(data[1:])
		checkConn(t, c, err)
		if err == nil {
			_, err = c.Feed(data[1:])
			checkConn(t, c, err)
		}
	})
}

// TestFuzzSeedsReachTheEnd checks that the seed corpus is deep: replayed
// to fresh Conns, the recorded flights complete every variant's
// handshakes (for a replayed server, the first one: its HelloRequest is
// not replayed, and where it drew a CBC IV the renegotiation then
// diverges).
func TestFuzzSeedsReachTheEnd(t *testing.T) {
	toServer, toClient := fuzzSeeds(t)
	for i, in := range toClient {
		ccfg, _ := fuzzVariant(in[0])
		c := tlsengine.Client(ccfg)
		c.Start()
		if _, err := c.Feed(in[1:]); err != nil || !c.HandshakeComplete() {
			t.Errorf("variant %d: client replay %v, %+v", i, err, c.Current())
		}
	}
	for i := 0; i < len(toServer); i += 2 {
		in := toServer[i]
		_, scfg := fuzzVariant(in[0])
		s := tlsengine.Server(scfg)
		s.Feed(in[1:])
		if hs := s.Handshakes(); len(hs) == 0 || !hs[0].Complete() {
			t.Errorf("variant %d: server replay %v, %+v", i/2, s.Failed(), s.Current())
		}
	}
}
