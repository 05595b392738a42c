package radiusconv

import (
	"fmt"
	"strings"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/handshake"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/eap"
)

// innerLayer is the timeline layer of EAP packets inside a tunnel.
const innerLayer = "inner"

// maxInner caps the inner identities and methods kept per conversation.
const maxInner = 16

// innerConv is one EAP conversation inside a tunnel (PEAP phase 2, an
// EAP-Payload sequence of EAP-FAST, the EAP-Message AVPs of EAP-TTLS):
// the identity the peer gave, the method it agreed to, how it ended.
type innerConv struct {
	identity string
	proposed eap.Type
	method   eap.Type
	name     string
	// ran: the peer answered with the proposed method, which therefore
	// ran (a conversation that stops at the identity runs none).
	ran       bool
	succeeded bool
	failure   string // why the method failed, e.g. "E=691 (...)"
	mschap    string // the MSCHAPv2 Name, when no Identity was given

	// Inner EAP-TLS: its TLS data reassembled and observed, for the
	// handshake's randoms (the ISK of EAP-FAST cryptobinding).
	reasm [2]eap.Reassembler
	obs   *handshake.Observer
}

// innerPacket follows one EAP packet of an inner conversation.
func (c *conversation) innerPacket(dir flow.Dir, pkt []byte, at flow.Ref) {
	var e eap.Packet
	if err := e.DecodeFromBytes(pkt); err != nil {
		c.b.Event(dir, at, innerLayer, "malformed inner EAP", err.Error())
		if len(e.Raw) == 0 {
			return
		}
	}
	switch e.Code {
	case eap.CodeSuccess, eap.CodeFailure:
		if ic := c.inner; ic != nil && e.Code == eap.CodeSuccess && ic.ran {
			ic.succeeded = true
		}
		c.b.Event(dir, at, innerLayer, e.Code.String(), fmt.Sprintf("id %d", e.Identifier))
		c.commitInner()
		return
	case eap.CodeRequest, eap.CodeResponse:
	default:
		c.b.Event(dir, at, innerLayer, e.Code.String(), fmt.Sprintf("id %d", e.Identifier))
		return
	}
	name := c.t.names.of(&e)
	ic := c.inner
	switch e.Type {
	case eap.TypeIdentity:
		if e.Code == eap.CodeRequest {
			c.commitInner() // a new inner conversation starts
			c.inner = &innerConv{}
			c.b.Event(dir, at, innerLayer, name, fmt.Sprintf("id %d", e.Identifier))
			return
		}
		if ic == nil {
			ic = &innerConv{}
			c.inner = ic
		}
		ic.identity = eap.ParseIdentity(e.Data)
		c.b.Event(dir, at, innerLayer, name, fmt.Sprintf("id %d, %q", e.Identifier, ic.identity))
		return
	case eap.TypeNak:
		c.b.Event(dir, at, innerLayer, e.Code.String()+"/Nak", c.nakDetail(&e))
		return
	case eap.TypeNotification:
		c.b.Event(dir, at, innerLayer, name, fmt.Sprintf("id %d, %q", e.Identifier, eap.ParseIdentity(e.Data)))
		return
	}
	if ic == nil {
		ic = &innerConv{}
		c.inner = ic
	}
	if e.Code == eap.CodeRequest {
		ic.proposed = e.Type
	} else if !ic.ran && e.Type == ic.proposed {
		ic.ran, ic.method, ic.name = true, e.Type, e.MethodName()
		c.innerRan = true
	}
	switch {
	case e.Type == eap.TypeMSCHAPv2:
		c.innerMSCHAPv2(dir, &e, at)
	case eap.IsTLSBased(e.Type):
		c.innerTLS(dir, &e, at)
	case e.Type == eap.TypeGTC:
		d := fmt.Sprintf("id %d", e.Identifier)
		if e.Code == eap.CodeRequest {
			d += fmt.Sprintf(", prompt %q", eap.ParseGTC(e.Data).Text)
		} else {
			d += ", response " + c.secret(eap.ParseGTC(e.Data).Text)
		}
		c.b.Event(dir, at, innerLayer, name, d)
	default:
		c.b.Event(dir, at, innerLayer, name, fmt.Sprintf("id %d, %d bytes", e.Identifier, len(e.Data)))
	}
}

// nakDetail describes an inner Nak.
func (c *conversation) nakDetail(e *eap.Packet) string {
	n, err := eap.ParseNak(e)
	var wants []string
	for _, t := range n.Types {
		wants = append(wants, methodNameOf(t))
	}
	for _, x := range n.Expanded {
		wants = append(wants, x.String())
	}
	refused := "(nothing proposed)"
	if ic := c.inner; ic != nil && ic.proposed != 0 {
		refused = methodNameOf(ic.proposed)
	}
	d := fmt.Sprintf("id %d, refuses %s", e.Identifier, refused)
	if len(wants) > 0 {
		d += ", wants " + strings.Join(wants, ", ")
	}
	if err != nil {
		d += " (malformed: " + err.Error() + ")"
	}
	return d
}

// innerMSCHAPv2 follows an inner EAP-MSCHAPv2 packet: its steps, and its
// result with the error code of a failure.
func (c *conversation) innerMSCHAPv2(dir flow.Dir, e *eap.Packet, at flow.Ref) {
	ic := c.inner
	m, err := eap.ParseMSCHAPv2(e)
	name := e.Code.String() + "/EAP-MSCHAPv2"
	if err != nil && m.OpCode == 0 {
		c.b.Event(dir, at, innerLayer, name, "malformed: "+err.Error())
		return
	}
	d := fmt.Sprintf("id %d, %s", e.Identifier, m.OpCodeName())
	if m.Name != "" {
		d += fmt.Sprintf(", name %q", m.Name)
		if m.OpCode == eap.MSCHAPv2OpResponse {
			ic.mschap = m.Name
		}
	}
	switch {
	case m.OpCode == eap.MSCHAPv2OpResponse:
		d += ", NT-Response " + report.Redacted
	case m.OpCode == eap.MSCHAPv2OpSuccess && e.Code == eap.CodeRequest:
		ic.succeeded = true
		d += ", the server accepts the password"
	case m.Failure != nil:
		f := m.Failure
		ic.failure = fmt.Sprintf("E=%d (%s)", f.Error, f.ErrorName())
		if f.Message != "" {
			ic.failure += fmt.Sprintf(", %q", f.Message)
		}
		d += ", " + f.String()
		c.b.Evidence("eap.mschapv2-failure", at.Frame)
		c.b.Evidence("eap.inner-failure", at.Frame)
	}
	if err != nil {
		d += " (malformed: " + err.Error() + ")"
	}
	c.b.Event(dir, at, innerLayer, name, d)
}

// innerTLS follows an inner TLS-based method (EAP-TLS inside EAP-FAST or
// PEAP): its handshake goes on the timeline, and its randoms give the
// method's key.
func (c *conversation) innerTLS(dir flow.Dir, e *eap.Packet, at flow.Ref) {
	ic := c.inner
	name := c.t.names.of(e)
	f, err := eap.ParseTLSFragment(e)
	if err != nil {
		c.b.Event(dir, at, innerLayer, name, "malformed: "+err.Error())
		return
	}
	d := fmt.Sprintf("id %d", e.Identifier)
	switch {
	case f.IsStart():
		d += ", Start"
	case f.IsAck():
		d += ", ACK"
	default:
		d += fmt.Sprintf(", TLS data %d bytes", len(f.Data))
	}
	c.b.Event(dir, at, innerLayer, name, d)
	if ic.obs == nil || f.IsStart() {
		ic.obs = handshake.New(handshake.Options{Layer: "inner-tls", Sink: c})
		ic.reasm = [2]eap.Reassembler{}
	}
	data, complete, err := ic.reasm[dir].Add(e.Identifier, f)
	if err != nil {
		c.b.Event(dir, at, innerLayer, "TLS reassembly problem", err.Error())
		if dissect.KindOf(err) == dissect.CapExceeded {
			return
		}
	}
	if complete && len(data) > 0 {
		ic.obs.Feed(dir, data, func(int) flow.Ref { return at })
	}
}

// commitInner ends the current inner conversation: its identity and
// method join the report if a method ran.
func (c *conversation) commitInner() {
	ic := c.inner
	c.inner = nil
	if ic == nil || !ic.ran {
		return
	}
	id := ic.identity
	if id == "" {
		id = ic.mschap
	}
	if id != "" && len(c.innerIDs) < maxInner {
		c.innerIDs = append(c.innerIDs, id)
	}
	if len(c.innerMethods) < maxInner {
		c.innerMethods = append(c.innerMethods, ic.name)
	}
	if ic.failure != "" {
		c.innerFail = ic.name + " " + ic.failure
	}
}
