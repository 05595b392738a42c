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

// Conn is one followed TCP connection; it implements tcpstream.Handler.
type Conn struct {
	env     *Env
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

// New starts following a connection from client to server.
func New(env *Env, client, server netip.AddrPort) *Conn {
	c := &Conn{env: env, client: client, server: server}
	c.b = timeline.New(report.KindTLS, "")
	c.obs = handshake.New(handshake.Options{Sink: c, Registry: env.Registry, Server: server.String()})
	return c
}

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
	if c.obs.NotTLS() || (!c.sawData && !c.syn[0]) {
		if c.env.NotTLS != nil {
			c.env.NotTLS()
		}
		return
	}
	c.obs.Close(reason == tcpstream.ClosedCaptureEnd, at)
	s := c.b.S
	s.ID = c.env.NewID(report.KindTLS)
	hs := c.obs.Handshakes()
	for _, h := range hs {
		s.Handshakes = append(s.Handshakes, h.Verdict(false))
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
	s.Filter = fmt.Sprintf("ip.addr==%s && tcp.port==%d && ip.addr==%s && tcp.port==%d",
		c.client.Addr(), c.client.Port(), c.server.Addr(), c.server.Port())
	s.Summary = summary(s)
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

func summary(s *report.Session) string {
	var b strings.Builder
	fmt.Fprintf(&b, "TLS from %s:%d to %s:%d", s.Client.IP, s.Client.Port, s.Server.IP, s.Server.Port)
	if s.TLS != nil && s.TLS.ServerName != nil {
		fmt.Fprintf(&b, " (SNI %s)", *s.TLS.ServerName)
	}
	if len(s.Handshakes) == 0 {
		b.WriteString(": no TLS handshake seen")
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
