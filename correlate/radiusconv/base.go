package radiusconv

import (
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/timeline"
	"github.com/sessionscope/sscope/dissect/radius"
)

// base is what every RADIUS session keeps, with EAP or without: its
// endpoints, the client's identifying attributes, request counters and
// response times.
type base struct {
	t      *Tracker
	b      *timeline.Builder
	client netip.AddrPort // RADIUS client (NAS)
	server netip.AddrPort
	id     attrs

	requests, retrans, noAnswer int
	maxResp                     time.Duration
	hasResp                     bool
	replyMsg                    string
	framedIP                    string // Framed-IP-Address of the Access-Accept
	lastAt                      flow.Ref
	// lastTx is the session's latest request: a NAS retransmits only
	// its outstanding request, so earlier ones are forgotten as soon as a
	// new one comes, which bounds the transactions kept by the sessions
	// in progress.
	lastTx *transaction
	// closed: no new request joins; emitted: the session was handed on
	// and packets of its transactions that still arrive are only counted.
	closed, emitted bool
	closeReason     string
}

// lingerer is a session kept a little after its final answer.
type lingerer interface {
	emit()
	last() flow.Ref
	first() position
}

func (x *base) last() flow.Ref { return x.lastAt }

// position orders sessions by where they started.
type position struct {
	input int
	frame uint64
}

func (p position) Before(q position) bool {
	return p.input < q.input || p.input == q.input && p.frame < q.frame
}

func (x *base) first() position { return position{x.b.S.Input, x.b.S.FirstFrame} }

// late notes a packet of a session already emitted: it came after the
// session's linger time.
func (x *base) late(at flow.Ref, what string) {
	if x.t.opt.Problem != nil {
		x.t.opt.Problem(at, "radius", "late", what+" after its session was closed and reported")
	}
}

// newRequest makes tx the session's latest request and forgets the one
// before it.
func (x *base) newRequest(tx *transaction) {
	if old := x.lastTx; old != nil && old != tx && x.t.txs[old.key] == old {
		delete(x.t.txs, old.key)
	}
	x.lastTx = tx
}

// forget drops the session's transactions when it is emitted.
func (x *base) forget() {
	if old := x.lastTx; old != nil && x.t.txs[old.key] == old {
		delete(x.t.txs, old.key)
	}
	x.lastTx = nil
}

func (x *base) touch(at flow.Ref) {
	x.b.Packet(at)
	if at.Time.After(x.lastAt.Time) || x.lastAt.Time.IsZero() {
		x.lastAt = at
	}
}

// noteRetransmission records a retransmitted request.
func (x *base) noteRetransmission(tx *transaction, p *radius.Packet, at flow.Ref) {
	x.touch(at)
	x.retrans++
	x.b.Evidence("radius.retransmission", at.Frame)
	x.b.Event(flow.ClientToServer, at, "radius", p.Code.String()+" retransmission",
		fmt.Sprintf("id %d, transmission %d, %.3f s after the first", p.Identifier, tx.requests, at.Time.Sub(tx.first.Time).Seconds()))
}

// noteUnanswered records a request that got no response in time.
func (x *base) noteUnanswered(tx *transaction) {
	x.noAnswer++
	x.b.Evidence("radius.no-response", tx.first.Frame)
	x.b.Event(flow.ClientToServer, tx.last, "radius", "no response",
		fmt.Sprintf("id %d: %d transmission(s), no answer within %s", tx.key.id, tx.requests, x.t.opt.ResponseTimeout))
}

// noteResponse records the response time and Reply-Message of a response
// and returns the timeline detail that says so.
func (x *base) noteResponse(tx *transaction, p *radius.Packet) string {
	d := x.t.det.reset(p.Identifier)
	if tx.code != 0 {
		rt := tx.responseTime()
		if !x.hasResp || rt > x.maxResp {
			x.maxResp, x.hasResp = rt, true
		}
		d.s(", after ").ms(rt.Microseconds())
	}
	if m, ok := p.Text(radius.AttrReplyMessage); ok && m != "" {
		x.replyMsg = m
		d.s(", Reply-Message ").s(strconv.Quote(m))
	}
	if p.Code == radius.CodeAccessAccept {
		if ip, ok := p.Addr(radius.AttrFramedIPAddress); ok {
			x.framedIP = ip.String()
			d.s(", Framed-IP-Address ").s(x.framedIP)
		}
	}
	return d.String()
}

// maxResponseMs is the slowest answer in milliseconds, or nil.
func (x *base) maxResponseMs() *float64 {
	if !x.hasResp {
		return nil
	}
	ms := float64(x.maxResp.Microseconds()) / 1000
	return &ms
}

// endpoints fills the session's client and server, the client with the
// station and identity the requests named, and its client key.
func (x *base) endpoints(s *report.Session, identity, nas string) {
	s.Client = report.Endpoint{IP: x.client.Addr().String(), Port: int(x.client.Port())}
	s.Server = report.Endpoint{IP: x.server.Addr().String(), Port: int(x.server.Port())}
	if x.id.station != "" {
		st := x.id.station
		s.Client.CallingStationID = &st
		if mac, ok := NormalizeMAC(st); ok {
			s.Client.MAC = &mac
		}
	}
	if identity != "" {
		s.Client.Identity = &identity
	}
	s.ClientKey, s.ClientLabel = ClientKey(x.id.station, x.id.audit, identity, nas)
	s.Filter = fmt.Sprintf("radius && ip.addr==%s && udp.port==%d && frame.number>=%d && frame.number<=%d",
		x.client.Addr(), x.client.Port(), s.FirstFrame, s.LastFrame)
}

// nasName names the NAS: NAS-IP-Address, NAS-Identifier, or the source
// address of its requests.
func (x *base) nasName() string {
	switch {
	case x.id.nasIP != "":
		return x.id.nasIP
	case x.id.nasID != "":
		return x.id.nasID
	}
	return x.client.Addr().String()
}
