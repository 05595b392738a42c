package radiusconv

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/handshake"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/timeline"
	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
)

// conversation is one EAP authentication carried over RADIUS.
type conversation struct {
	base

	stationKey string
	states     []string

	outer      string
	innerIDs   []string
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
}

// attrs are the identifying attributes of the client, from the first
// request that carried them.
type attrs struct {
	station, called, nasIP, nasID, audit, user, nasPort, nasPortType string
}

func (a *attrs) fill(p *radius.Packet) {
	set := func(dst *string, t uint8) {
		if *dst == "" {
			if v, ok := p.Text(t); ok {
				*dst = v
			}
		}
	}
	set(&a.station, radius.AttrCallingStationID)
	set(&a.called, radius.AttrCalledStationID)
	set(&a.nasID, radius.AttrNASIdentifier)
	set(&a.user, radius.AttrUserName)
	set(&a.nasPort, radius.AttrNASPortID)
	if a.nasIP == "" {
		if ip, ok := p.Addr(radius.AttrNASIPAddress); ok {
			a.nasIP = ip.String()
		} else if ip, ok := p.Addr(radius.AttrNASIPv6Address); ok {
			a.nasIP = ip.String()
		}
	}
	if a.audit == "" {
		if v, ok := p.AuditSessionID(); ok {
			a.audit = v
		}
	}
	if a.nasPortType == "" {
		if v, ok := p.Uint32(radius.AttrNASPortType); ok {
			if name, ok := radius.ValueName(0, radius.AttrNASPortType, v); ok {
				a.nasPortType = name
			}
		}
	}
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

// eapMessage decodes the EAP packet of a RADIUS packet and follows it.
func (c *conversation) eapMessage(dir flow.Dir, p *radius.Packet, at flow.Ref) {
	msg, ok := c.t.eapOf(p)
	if !ok {
		return
	}
	var e eap.Packet
	if err := e.DecodeFromBytes(msg); err != nil {
		c.t.problem(at, "eap", err)
		c.b.Event(dir, at, "eap", "malformed EAP", err.Error())
		if len(e.Raw) == 0 {
			return
		}
	}
	c.t.stats.EAP++
	switch e.Code {
	case eap.CodeSuccess, eap.CodeFailure:
		c.eapResult = e.Code
		c.b.Event(dir, at, "eap", e.Code.String(), "")
		if e.Code == eap.CodeFailure {
			c.b.Evidence("eap.failure", at.Frame)
		}
		return
	case eap.CodeRequest:
		c.lastReqID, c.haveReqID = e.Identifier, true
	case eap.CodeResponse:
	default:
		c.b.Event(dir, at, "eap", e.Code.String(), fmt.Sprintf("id %d", e.Identifier))
		return
	}
	name := c.t.names.of(&e)
	switch e.Type {
	case eap.TypeIdentity:
		id := eap.ParseIdentity(e.Data)
		if e.Code == eap.CodeResponse && c.outer == "" {
			c.outer = id
		}
		if e.Code == eap.CodeResponse {
			c.b.Event(dir, at, "eap", name, fmt.Sprintf("id %d, %q", e.Identifier, id))
		} else {
			c.b.Event(dir, at, "eap", name, fmt.Sprintf("id %d", e.Identifier))
		}
		return
	case eap.TypeNotification:
		c.b.Event(dir, at, "eap", name, fmt.Sprintf("id %d, %q", e.Identifier, eap.ParseIdentity(e.Data)))
		return
	case eap.TypeNak:
		c.nak(dir, &e, at)
		return
	case eap.TypeExpanded:
		if e.IsExpandedNak() {
			c.nak(dir, &e, at)
			return
		}
	}
	if e.Code == eap.CodeRequest {
		c.propose(e.MethodName())
	} else if c.method == 0 || c.method != e.Type {
		// The peer answered with this method: it is the agreed one.
		if c.lastProposed() == e.MethodName() {
			c.method = e.Type
			c.methodName = e.MethodName()
		}
	}
	if eap.IsTLSBased(e.Type) {
		c.tlsMethod(dir, &e, at)
		return
	}
	switch e.Type {
	case eap.TypeMSCHAPv2:
		c.mschapv2(dir, &e, at)
	case eap.TypeMD5:
		m, err := eap.ParseMD5(e.Data)
		d := fmt.Sprintf("id %d", e.Identifier)
		if err == nil && m.Name != "" {
			d += fmt.Sprintf(", name %q", m.Name)
		}
		c.b.Event(dir, at, "eap", name, d)
	case eap.TypeGTC:
		d := fmt.Sprintf("id %d", e.Identifier)
		if e.Code == eap.CodeRequest {
			d += fmt.Sprintf(", prompt %q", eap.ParseGTC(e.Data).Text)
		} else {
			d += ", response " + c.secret(eap.ParseGTC(e.Data).Text)
		}
		c.b.Event(dir, at, "eap", name, d)
	default:
		c.b.Event(dir, at, "eap", name, fmt.Sprintf("id %d, %d bytes", e.Identifier, len(e.Data)))
	}
}

func (c *conversation) secret(s string) string {
	if c.t.opt.ShowSecrets {
		return fmt.Sprintf("%q", s)
	}
	return report.Redacted
}

func (c *conversation) propose(m string) {
	if len(c.proposed) == 0 || c.proposed[len(c.proposed)-1] != m {
		if len(c.proposed) < 16 {
			c.proposed = append(c.proposed, m)
		}
	}
}

func (c *conversation) lastProposed() string {
	if len(c.proposed) == 0 {
		return ""
	}
	return c.proposed[len(c.proposed)-1]
}

func (c *conversation) nak(dir flow.Dir, e *eap.Packet, at flow.Ref) {
	n, err := eap.ParseNak(e)
	var wants []string
	for _, t := range n.Types {
		wants = append(wants, methodNameOf(t))
	}
	for _, x := range n.Expanded {
		wants = append(wants, x.String())
	}
	d := fmt.Sprintf("id %d, refuses %s", e.Identifier, orNone(c.lastProposed()))
	if len(wants) > 0 {
		d += ", wants " + strings.Join(wants, ", ")
	}
	if err != nil {
		d += " (malformed: " + err.Error() + ")"
	}
	if len(c.naks) < 16 {
		c.naks = append(c.naks, fmt.Sprintf("%s → %s", orNone(c.lastProposed()), strings.Join(wants, ", ")))
	}
	c.b.Event(dir, at, "eap", e.Code.String()+"/Nak", d)
}

func orNone(s string) string {
	if s == "" {
		return "(nothing proposed)"
	}
	return s
}

// methodNameOf names a method type as the report does.
func methodNameOf(t eap.Type) string {
	p := eap.Packet{Code: eap.CodeRequest, Type: t}
	return p.MethodName()
}

func (c *conversation) mschapv2(dir flow.Dir, e *eap.Packet, at flow.Ref) {
	m, err := eap.ParseMSCHAPv2(e)
	name := e.Code.String() + "/EAP-MSCHAPv2"
	if err != nil {
		c.b.Event(dir, at, "eap", name, "malformed: "+err.Error())
		return
	}
	d := fmt.Sprintf("id %d, %s", e.Identifier, m.OpCodeName())
	if m.Name != "" {
		d += fmt.Sprintf(", name %q", m.Name)
	}
	if m.OpCode == eap.MSCHAPv2OpResponse {
		d += ", NT-Response " + report.Redacted
	}
	if m.Failure != nil {
		d += ", " + m.Failure.String()
		c.innerFailure = m.Failure.String()
		c.b.Evidence("eap.mschapv2-failure", at.Frame)
	}
	c.b.Event(dir, at, "eap", name, d)
}

// tlsMethod follows one packet of a TLS-based method.
func (c *conversation) tlsMethod(dir flow.Dir, e *eap.Packet, at flow.Ref) {
	f, err := eap.ParseTLSFragment(e)
	name := c.t.names.of(e)
	if err != nil {
		c.t.problem(at, "eap", err)
		c.b.Event(dir, at, "eap", name, "malformed: "+err.Error())
		return
	}
	if e.Type == eap.TypePEAP || e.Type == eap.TypeFAST || e.Type == eap.TypeTTLS || e.Type == eap.TypeTEAP {
		if dir == flow.ServerToClient && f.IsStart() {
			c.peapVer, c.hasPeapVer = int(f.Version), true
		}
	}
	d := c.t.det.reset(e.Identifier)
	switch {
	case f.IsStart():
		d.s(", Start")
		if e.Type != eap.TypeTLS {
			d.s(", version ").n(int(f.Version))
		}
		if len(f.AuthorityID) > 0 {
			c.fastAID = append([]byte(nil), f.AuthorityID...)
			d.s(", Authority-ID ").s(hexString(f.AuthorityID))
		}
		if c.obs == nil || c.obsMethod != e.Type {
			c.newObserver(e.Type)
		}
	case f.IsAck():
		d.s(", ACK")
	default:
		d.s(", TLS data ").n(len(f.Data)).s(" bytes")
		if f.HasLength {
			d.s(" of ").n(int(f.MessageLength))
		}
		if f.MoreFragments() {
			d.s(", more fragments follow")
		}
	}
	if c.obs == nil || c.obsMethod != e.Type {
		c.newObserver(e.Type)
	}
	tunnel := c.obs.Established() && len(f.Data) > 0
	if tunnel {
		d.s(" (tunnel data, phase 2)")
	}
	c.b.Event(dir, at, "eap", name, d.String())
	data, complete, err := c.reasm[dir].Add(e.Identifier, f)
	if err != nil {
		c.t.problem(at, "eap", err)
		c.b.Event(dir, at, "eap", "TLS reassembly problem", err.Error())
		if dissect.KindOf(err) == dissect.CapExceeded {
			return
		}
	}
	if complete && len(data) > 0 {
		if tunnel {
			c.tunnelMsgs[dir]++
		}
		c.obs.Feed(dir, data, func(int) flow.Ref { return at })
	}
}

func (c *conversation) newObserver(t eap.Type) {
	c.obsMethod = t
	c.obs = handshake.New(handshake.Options{
		PACInTicket: t == eap.TypeFAST,
		Sink:        c,
		Registry:    c.t.opt.Registry,
		Server:      c.server.String(),
	})
	c.reasm = [2]eap.Reassembler{}
}

func hexString(b []byte) string { return hex.EncodeToString(b) }

func shortState(st []byte) string {
	h := hexString(st)
	if isPrintable(st) && len(st) <= 48 {
		return fmt.Sprintf("%q", string(st))
	}
	return handshake.ShortHex(h)
}

func isPrintable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return len(b) > 0
}

// describeAttrs lists the identifying attributes of a first request.
func describeAttrs(p *radius.Packet, show bool) string {
	var parts []string
	for _, want := range []uint8{radius.AttrUserName, radius.AttrCallingStationID, radius.AttrCalledStationID, radius.AttrNASIPAddress, radius.AttrNASIdentifier, radius.AttrNASPortType, radius.AttrServiceType} {
		for _, a := range p.Attributes {
			if a.Type == want && a.Vendor == 0 {
				f := radius.FormatAttribute(a, show)
				parts = append(parts, f.Name+"="+f.Value)
				break
			}
		}
	}
	if v, ok := p.AuditSessionID(); ok {
		parts = append(parts, "audit-session-id="+v)
	}
	if !p.HasMessageAuthenticator() {
		parts = append(parts, "no Message-Authenticator")
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

func kindOf(err error) string {
	if k := dissect.KindOf(err); k != 0 {
		return k.String()
	}
	return "malformed"
}
