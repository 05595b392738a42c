package radiusconv

import (
	"fmt"
	"net/netip"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/handshake"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/timeline"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
)

// conversation is one EAP authentication carried over RADIUS.
type conversation struct {
	base

	stationKey string
	states     []string

	outer      string
	method     eap.Type
	methodName string
	proposed   []string
	naks       []string

	lastReqID  uint8
	haveReqID  bool
	reasm      [2]eap.Reassembler
	obs        *handshake.Observer
	handshakes []report.TLSHandshake // judged when the conversation closed
	obsMethod  eap.Type
	peapVer    int
	hasPeapVer bool
	// tunnelMsgs counts TLS messages per direction sent inside the
	// established tunnel (phase 2), encrypted.
	tunnelMsgs [2]int
	fastAID    []byte

	withMA, withoutMA int
	final             radius.Code
	eapResult         eap.Code
	rounds            int
	startedEarly      bool
	mppeKeys          bool
	innerFailure      string

	// The decrypted tunnel (nil without keys) and what phase 2 showed.
	tun          *tunnel
	decrypted    bool
	inner        *innerConv
	innerIDs     []string
	innerMethods []string
	innerFail    string
	innerRan     bool
	peapResult   string
	fast         *fastState
	ttlsAVPs     []string
	ttlsUser     string
	ttlsMethod   string
	ttlsResult   string
}

// conversationFor finds the conversation an Access-Request with EAP belongs
// to, or starts one.
func (t *Tracker) conversationFor(client, server netip.AddrPort, p *radius.Packet, at flow.Ref) *conversation {
	st, hasState := p.State()
	if hasState {
		if c := t.byState[string(st)]; c != nil && !c.closed {
			return c
		}
	}
	var e eap.Packet
	msg, _ := t.eapOf(p)
	_ = e.DecodeFromBytes(msg)
	isIdentity := e.Code == eap.CodeResponse && e.Type == eap.TypeIdentity
	if !hasState && !isIdentity {
		if c := t.byStation[stationKey(client.Addr(), p)]; c != nil && !c.closed && c.haveReqID && c.lastReqID == e.Identifier {
			return c
		}
	}
	c := t.newConversation(client, server, p, at)
	if hasState && !isIdentity {
		c.startedEarly = true
	}
	return c
}

func stationKey(nas netip.Addr, p *radius.Packet) string {
	if v, ok := p.Text(radius.AttrCallingStationID); ok && v != "" {
		return nas.String() + "|" + v
	}
	if v, ok := p.Text(radius.AttrUserName); ok {
		return nas.String() + "|user:" + v
	}
	return nas.String()
}

func (t *Tracker) newConversation(client, server netip.AddrPort, p *radius.Packet, at flow.Ref) *conversation {
	c := &conversation{base: base{t: t, client: client, server: server}}
	c.b = timeline.New(report.KindRADIUSEAP, t.opt.NewID(report.KindRADIUSEAP))
	c.stationKey = stationKey(client.Addr(), p)
	c.lastAt = at
	t.open[c] = struct{}{}
	t.byStation[c.stationKey] = c
	return c
}

// Event implements handshake.EventSink: TLS events go on the timeline.
func (c *conversation) Event(dir flow.Dir, at flow.Ref, layer, event, detail string) {
	c.b.Event(dir, at, layer, event, detail)
}

func (c *conversation) request(tx *transaction, p *radius.Packet, at flow.Ref) {
	c.newRequest(tx)
	c.touch(at)
	c.requests++
	c.rounds++
	c.id.fill(p)
	if p.HasMessageAuthenticator() {
		c.withMA++
	} else {
		c.withoutMA++
		c.b.Evidence("radius.eap-without-message-authenticator", at.Frame)
	}
	d := c.t.det.reset(p.Identifier)
	if c.requests == 1 {
		d.s(describeAttrs(p, c.t.opt.ShowSecrets))
	} else if st, ok := p.State(); ok {
		d.s(", State ").s(shortState(st))
	}
	c.b.Event(flow.ClientToServer, at, "radius", "Access-Request", d.String())
	c.eapMessage(flow.ClientToServer, p, at)
}

func (c *conversation) retransmission(tx *transaction, p *radius.Packet, at flow.Ref) {
	if c.emitted {
		c.late(at, p.Code.String()+" retransmission")
		return
	}
	c.noteRetransmission(tx, p, at)
}

func (c *conversation) unanswered(tx *transaction) {
	if !c.emitted {
		c.noteUnanswered(tx)
	}
}

func (c *conversation) orphanResponse(tx *transaction, p *radius.Packet, at flow.Ref) {
	c.b.Evidence("radius.response-without-request", at.Frame)
	c.response(tx, p, at, false)
}

func (c *conversation) response(tx *transaction, p *radius.Packet, at flow.Ref, dup bool) {
	if c.emitted {
		c.late(at, p.Code.String())
		return
	}
	c.touch(at)
	if dup {
		c.b.Event(flow.ServerToClient, at, "radius", p.Code.String()+" (duplicate)", fmt.Sprintf("id %d, answer to a retransmitted request", p.Identifier))
		return
	}
	detail := c.noteResponse(tx, p)
	if st, ok := p.State(); ok && p.Code == radius.CodeAccessChallenge {
		k := string(st)
		if c.t.byState[k] != c {
			c.t.byState[k] = c
			c.states = append(c.states, k)
		}
		detail += ", State " + shortState(st)
	}
	if p.Code == radius.CodeAccessAccept {
		if len(p.Vendor(311, radius.MSMPPERecvKey)) > 0 || len(p.Vendor(311, radius.MSMPPESendKey)) > 0 {
			c.mppeKeys = true
			detail += ", MS-MPPE keys " + report.Redacted
		}
		if v, ok := p.Text(radius.AttrUserName); ok {
			detail += fmt.Sprintf(", User-Name %q", v)
		}
	}
	c.b.Event(flow.ServerToClient, at, "radius", p.Code.String(), detail)
	c.eapMessage(flow.ServerToClient, p, at)
	switch p.Code {
	case radius.CodeAccessAccept, radius.CodeAccessReject:
		c.final = p.Code
		if p.Code == radius.CodeAccessReject {
			c.b.Evidence("radius.access-reject", at.Frame)
		}
		c.close(closeFinal)
	}
}
