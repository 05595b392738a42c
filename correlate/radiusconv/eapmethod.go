package radiusconv

import (
	"fmt"
	"strings"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
)

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
		c.fastOuterResult(e.Code, at)
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
