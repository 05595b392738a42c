package correlate_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect/packet"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

const (
	cli = "192.0.2.10:51000"
	srv = "198.51.100.5:443"
)

// helloFlight returns a ClientHello record offering sessionID and a
// ServerHello+ServerHelloDone record assigning newID.
func helloFlight(t *testing.T, sessionID, newID []byte) (ch, sh []byte) {
	t.Helper()
	c := &tlsd.ClientHello{Version: tlsd.VersionTLS12, SessionID: sessionID, CipherSuites: []uint16{0xc02f, 0x002f}, CompressionMethods: []uint8{0}, ServerName: "vpn.example.test"}
	c.Random[0] = 1
	ch = tlsd.Record{Type: tlsd.ContentHandshake, Version: tlsd.VersionTLS12, Fragment: tlsd.MarshalHandshake(tlsd.HandshakeTypeClientHello, c.Marshal(false))}.Marshal(false)
	s := &tlsd.ServerHello{Version: tlsd.VersionTLS12, SessionID: newID, CipherSuite: 0xc02f}
	s.Random[0] = 2
	body := append(tlsd.MarshalHandshake(tlsd.HandshakeTypeServerHello, s.Marshal()), tlsd.MarshalHandshake(tlsd.HandshakeTypeServerHelloDone, nil)...)
	sh = tlsd.Record{Type: tlsd.ContentHandshake, Version: tlsd.VersionTLS12, Fragment: body}.Marshal(false)
	return ch, sh
}

const (
	syn = packet.TCPFlagSYN
	ack = packet.TCPFlagACK
	psh = packet.TCPFlagPSH | packet.TCPFlagACK
	fin = packet.TCPFlagFIN | packet.TCPFlagACK
)

func TestTCPOutOfOrderAndRetransmission(t *testing.T) {
	offer := make([]byte, 32)
	offer[0] = 0x11
	assigned := make([]byte, 32)
	assigned[0] = 0x22
	ch, sh := helloFlight(t, offer, assigned)
	f := newFixture(t)
	f.tcp(cli, srv, 1000, 0, syn, nil, 0)
	f.tcp(srv, cli, 5000, 1001, syn|ack, nil, time.Millisecond)
	f.tcp(cli, srv, 1001, 5001, ack, nil, time.Millisecond)
	// The ClientHello in three segments: the last arrives first, the
	// first is retransmitted.
	a, b, c := ch[:10], ch[10:30], ch[30:]
	f.tcp(cli, srv, 1001+30, 5001, psh, c, time.Millisecond)
	f.tcp(cli, srv, 1001, 5001, psh, a, time.Millisecond)
	f.tcp(cli, srv, 1001, 5001, psh, a, time.Millisecond)
	f.tcp(cli, srv, 1001+10, 5001, psh, b, time.Millisecond)
	f.tcp(srv, cli, 5001, 1001+uint32(len(ch)), psh, sh, time.Millisecond)
	f.tcp(cli, srv, 1001+uint32(len(ch)), 5001+uint32(len(sh)), fin, nil, time.Millisecond)
	f.tcp(srv, cli, 5001+uint32(len(sh)), 1002+uint32(len(ch)), fin, nil, time.Millisecond)
	rep := f.analyze()
	ss := sessionsOf(rep, report.KindTLS)
	if len(ss) != 1 {
		t.Fatalf("%d tls sessions", len(ss))
	}
	s := ss[0]
	if s.Packets != 10 || len(s.Handshakes) != 1 {
		t.Fatalf("packets %d handshakes %d", s.Packets, len(s.Handshakes))
	}
	h := s.Handshakes[0]
	if h.ClientSessionID != "11"+zeros(31) || h.ServerSessionID != "22"+zeros(31) {
		t.Errorf("session IDs %s / %s", h.ClientSessionID, h.ServerSessionID)
	}
	// The ClientHello completed in the segment that filled the hole (frame 7).
	if h.FirstFrame != 7 {
		t.Errorf("ClientHello frame %d, want 7", h.FirstFrame)
	}
	if h.Kind != report.HandshakeFailed || s.TLS.Closed != "fin" {
		t.Errorf("kind %s closed %s: the connection ended before the handshake", h.Kind, s.TLS.Closed)
	}
	// TLS 1.2-only client offering an ID: a resumption attempt, refused.
	if h.ResumptionRefused == nil || !*h.ResumptionRefused {
		t.Errorf("resumption_refused %v", h.ResumptionRefused)
	}
	if str(h.ServerName) != "vpn.example.test" {
		t.Errorf("SNI %v", h.ServerName)
	}
}

func zeros(n int) string {
	b := make([]byte, 2*n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

func TestTCPGapIsReported(t *testing.T) {
	ch, sh := helloFlight(t, nil, make([]byte, 32))
	f := newFixture(t)
	f.tcp(cli, srv, 1000, 0, syn, nil, 0)
	f.tcp(srv, cli, 5000, 1001, syn|ack, nil, time.Millisecond)
	f.tcp(cli, srv, 1001, 5001, psh, ch, time.Millisecond)
	// The server's first 100 bytes are never captured.
	f.tcp(srv, cli, 5001+100, 1001+uint32(len(ch)), psh, append(sh[100%len(sh):], make([]byte, 200)...), time.Millisecond)
	f.tcp(cli, srv, 1001+uint32(len(ch)), 5001, ack, nil, 30*time.Second)
	rep := f.analyze()
	s := sessionsOf(rep, report.KindTLS)[0]
	if s.TLS.Gaps != 1 || findingIDs(s)["tcp-gap"] != 1 || rep.Stats.TCPGaps != 1 || rep.Stats.TCPGapBytes != 100 {
		t.Errorf("gaps %d findings %v stats %+v", s.TLS.Gaps, findingIDs(s), rep.Stats)
	}
	if len(s.Handshakes) != 1 || s.Handshakes[0].ServerHelloFrame != 0 {
		t.Errorf("a ServerHello was decoded from bytes after a gap")
	}
}

func TestTLSOnOtherPortBySignature(t *testing.T) {
	ch, sh := helloFlight(t, nil, nil)
	f := newFixture(t)
	// No SYN captured, port 8443: found by the ClientHello's signature.
	f.tcp("192.0.2.10:51001", "198.51.100.5:8443", 1, 1, psh, ch, 0)
	f.tcp("198.51.100.5:8443", "192.0.2.10:51001", 1, 1+uint32(len(ch)), psh, sh, time.Millisecond)
	rep := f.analyze()
	ss := sessionsOf(rep, report.KindTLS)
	if len(ss) != 1 || ss[0].Server.Port != 8443 || len(ss[0].Handshakes) != 1 || ss[0].Handshakes[0].ServerHelloFrame != 2 {
		t.Fatalf("sessions %+v", ss)
	}
	if h := ss[0].Handshakes[0]; h.Kind != report.HandshakeIncomplete || h.ServerSessionID != "" {
		t.Errorf("kind %s server ID %q", h.Kind, h.ServerSessionID)
	}
}

// TestIPFragmentsTimeOut: a datagram whose last fragment never comes is
// dropped after the timeout, counted, and does not hold memory.
func TestIPFragmentsTimeOut(t *testing.T) {
	f := newFixture(t)
	payload := make([]byte, 3000)
	fr := packet.Frame{IPVersion: 4, Src: mustAddr("10.1.1.2"), Dst: mustAddr("10.1.1.10"), Proto: packet.ProtoUDP, TTL: 64,
		IPID: 77, Fragment: true, MoreFragments: true, FragOffset: 0, IPPayload: payload[:1480]}
	f.frame(&fr, 0)
	// Unrelated traffic a minute later moves capture time on.
	for i := 0; i < 3; i++ {
		f.udp("10.9.9.9:5000", "10.9.9.8:5001", []byte("x"), 40*time.Second)
		f.frame(&packet.Frame{IPVersion: 4, Src: mustAddr("10.1.1.3"), Dst: mustAddr("10.1.1.10"), Proto: packet.ProtoUDP, TTL: 64,
			IPID: uint32(100 + i), Fragment: true, MoreFragments: true, IPPayload: payload[:8]}, time.Millisecond)
	}
	rep := f.analyze()
	if rep.Stats.IPFragmentsTimedOut < 1 {
		t.Errorf("timed out %d, want the first datagram dropped", rep.Stats.IPFragmentsTimedOut)
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
