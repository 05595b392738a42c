package tlsconn

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/handshake"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/tcpstream"
	"github.com/sessionscope/sscope/correlate/timeline"
	"github.com/sessionscope/sscope/dissect/packet"
)

// Env is what every connection shares with the analysis.
type Env struct {
	NewID    func(kind string) string
	Emit     func(*report.Session)
	Registry *handshake.Registry
	// NotTLS is told about connections that turned out not to carry TLS.
	NotTLS func()
}

// Conn is one followed TCP connection (it implements tcpstream.Handler)
// or UDP flow carrying DTLS (fed by Datagram).
type Conn struct {
	env     *Env
	dtls    bool
	last    flow.Ref
	b       *timeline.Builder
	obs     *handshake.Observer
	client  netip.AddrPort
	server  netip.AddrPort
	syn     [2]bool
	fin     [2]bool
	rst     bool
	gaps    int
	closed  bool
	sawData bool
}

// New starts following a TCP connection from client to server.
func New(env *Env, client, server netip.AddrPort) *Conn {
	c := &Conn{env: env, client: client, server: server}
	c.b = timeline.New(report.KindTLS, "")
	c.obs = handshake.New(handshake.Options{Sink: c, Registry: env.Registry, Server: server.String()})
	return c
}

// NewDTLS starts following a UDP flow carrying DTLS from client to server.
func NewDTLS(env *Env, client, server netip.AddrPort) *Conn {
	c := &Conn{env: env, client: client, server: server, dtls: true}
	c.b = timeline.New(report.KindDTLS, "")
	c.obs = handshake.New(handshake.Options{DTLS: true, Sink: c, Registry: env.Registry, Server: server.String()})
	return c
}

// Datagram hands over one UDP payload of a DTLS flow.
func (c *Conn) Datagram(dir flow.Dir, payload []byte, at flow.Ref) {
	c.b.Packet(at)
	c.last = at
	c.sawData = true
	c.obs.Feed(dir, payload, func(int) flow.Ref { return at })
}

// Other counts a datagram of the flow that is not DTLS (STUN or RTP
// multiplexed on the same ports).
func (c *Conn) Other(at flow.Ref) {
	c.b.Packet(at)
	c.last = at
}

// Last is where the flow was last seen.
func (c *Conn) Last() flow.Ref { return c.last }

var _ tcpstream.Handler = (*Conn)(nil)

// Event implements handshake.EventSink.
func (c *Conn) Event(dir flow.Dir, at flow.Ref, layer, event, detail string) {
	c.b.Event(dir, at, layer, event, detail)
}

// Segment counts a packet and notes connection set-up and tear-down.
func (c *Conn) Segment(dir flow.Dir, f *packet.Frame, at flow.Ref) {
	c.b.Packet(at)
	fl := f.TCP.Flags
	switch {
	case fl&packet.TCPFlagSYN != 0 && fl&packet.TCPFlagACK == 0 && !c.syn[0]:
		c.syn[0] = true
		c.b.Event(dir, at, "tcp", "SYN", "")
	case fl&packet.TCPFlagSYN != 0 && fl&packet.TCPFlagACK != 0 && !c.syn[1]:
		c.syn[1] = true
		c.b.Event(dir, at, "tcp", "SYN/ACK", "")
	}
	if fl&packet.TCPFlagFIN != 0 && !c.fin[dir] {
		c.fin[dir] = true
		c.b.Event(dir, at, "tcp", "FIN", "")
	}
	if fl&packet.TCPFlagRST != 0 && !c.rst {
		c.rst = true
		c.b.Event(dir, at, "tcp", "RST", "")
		c.b.Evidence("tcp.rst", at.Frame)
	}
}

// Data hands ordered bytes to the TLS observer.
func (c *Conn) Data(dir flow.Dir, data []byte, at func(end int) flow.Ref) {
	c.sawData = true
	c.obs.Feed(dir, data, at)
}

// Gap notes bytes the capture lost.
func (c *Conn) Gap(dir flow.Dir, n int, at flow.Ref) {
	c.gaps++
	c.b.Evidence("tcp.gap", at.Frame)
	c.b.Event(dir, at, "tcp", "gap", fmt.Sprintf("%d bytes missing from the capture", n))
	c.obs.Gap(dir, n, at)
}

// Close ends the connection and hands its session on.
func (c *Conn) Close(reason string, at flow.Ref) {
	if c.closed {
		return
	}
	c.closed = true
	noRecords := c.obs.Records(flow.ClientToServer)+c.obs.Records(flow.ServerToClient) == 0
	if c.obs.NotTLS() || (!c.sawData && !c.syn[0]) || (c.dtls && noRecords) {
		if c.env.NotTLS != nil {
			c.env.NotTLS()
		}
		return
	}
	c.obs.Close(reason == tcpstream.ClosedCaptureEnd, at)
	s := c.b.S
	s.ID = c.env.NewID(s.Kind)
	hs := c.obs.Handshakes()
	for _, h := range hs {
		s.Handshakes = append(s.Handshakes, h.Verdict())
	}
	s.Client = report.Endpoint{IP: c.client.Addr().String(), Port: int(c.client.Port())}
	s.Server = report.Endpoint{IP: c.server.Addr().String(), Port: int(c.server.Port())}
	s.ClientKey = "ip:" + c.client.Addr().String()
	s.ClientLabel = c.client.Addr().String()
	t := &report.TLSConn{Closed: reason, Gaps: c.gaps}
	if c.rst {
		t.Closed = tcpstream.ClosedRST
	}
	t.ClientAppBytes, t.ClientAppRecords = c.obs.AppData(flow.ClientToServer)
	t.ServerAppBytes, t.ServerAppRecords = c.obs.AppData(flow.ServerToClient)
	for _, h := range s.Handshakes {
		if h.ServerName != nil {
			t.ServerName = h.ServerName
			break
		}
	}
	if a := handshake.AlertReport(c.obs.CloseAlert()); a != nil {
		c.b.Evidence("tls.close-alert", a.Frame)
	}
	s.TLS = t
	if t.ClientAppRecords+t.ServerAppRecords > 0 {
		c.b.Event(flow.ClientToServer, at, "tls", "application data",
			fmt.Sprintf("%d record(s), %d bytes client→server; %d record(s), %d bytes server→client",
				t.ClientAppRecords, t.ClientAppBytes, t.ServerAppRecords, t.ServerAppBytes))
	}
	s.Outcome = outcome(s, reason, c)
	proto := "tcp"
	if c.dtls {
		proto = "udp"
	}
	s.Filter = fmt.Sprintf("ip.addr==%s && %s.port==%d && ip.addr==%s && %s.port==%d",
		c.client.Addr(), proto, c.client.Port(), c.server.Addr(), proto, c.server.Port())
	s.Summary = summary(s, c.dtls)
	c.env.Emit(c.b.Done())
}

func outcome(s *report.Session, reason string, c *Conn) string {
	if len(s.Handshakes) == 0 {
		if c.syn[0] && !c.syn[1] {
			return report.OutcomeFailure
		}
		if reason == tcpstream.ClosedCaptureEnd {
			return report.OutcomeIncomplete
		}
		return report.OutcomeUnknown
	}
	h := s.Handshakes[0]
	for _, x := range s.Handshakes {
		if x.Kind == report.HandshakeFailed {
			h = x
		}
	}
	switch h.Kind {
	case report.HandshakeFull, report.HandshakeAbbreviated:
		return report.OutcomeSuccess
	case report.HandshakeFailed:
		return report.OutcomeFailure
	}
	return report.OutcomeIncomplete
}

func summary(s *report.Session, dtls bool) string {
	var b strings.Builder
	proto := "TLS"
	if dtls {
		proto = "DTLS"
	}
	fmt.Fprintf(&b, "%s from %s:%d to %s:%d", proto, s.Client.IP, s.Client.Port, s.Server.IP, s.Server.Port)
	if s.TLS != nil && s.TLS.ServerName != nil {
		fmt.Fprintf(&b, " (SNI %s)", *s.TLS.ServerName)
	}
	if len(s.Handshakes) == 0 {
		b.WriteString(": no handshake seen")
		return b.String()
	}
	for i, h := range s.Handshakes {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if h.Renegotiation {
			b.WriteString("renegotiation, ")
		}
		fmt.Fprintf(&b, "%s %s handshake", h.Version, h.Kind)
		if h.Resumption != nil {
			fmt.Fprintf(&b, " (resumed by %s)", *h.Resumption)
		}
		if h.ResumptionRefused != nil && *h.ResumptionRefused {
			b.WriteString(", resumption refused")
		}
		if h.Alert != nil {
			fmt.Fprintf(&b, ", alert %s", h.Alert.Description)
		}
	}
	return b.String()
}
