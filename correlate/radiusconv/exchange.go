package radiusconv

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/timeline"
	"github.com/sessionscope/sscope/dissect/radius"
)

// exchange is a RADIUS exchange without EAP: one request/response (PAP,
// CHAP, MAB, CoA, Disconnect, Status-Server), or the Accounting-Requests of
// one accounting session (same NAS and Acct-Session-Id) from Start to Stop.
type exchange struct {
	base
	key         string
	reqCode     radius.Code
	method      string
	acctSession string
	acctStatus  string
	stopped     bool

	answered int
	final    radius.Code
	pending  int
}

// exchangeFor finds the accounting session a request belongs to, or starts
// an exchange.
func (t *Tracker) exchangeFor(client, server netip.AddrPort, p *radius.Packet, at flow.Ref) *exchange {
	key := ""
	if p.Code == radius.CodeAccountingRequest {
		if sid, ok := p.Text(radius.AttrAcctSessionID); ok && sid != "" {
			key = "acct|" + client.Addr().String() + "|" + sid
			if ex := t.exchanges[key]; ex != nil && !ex.closed {
				return ex
			}
		}
	}
	return t.newExchange(client, server, p, at, key)
}

func (t *Tracker) newExchange(client, server netip.AddrPort, p *radius.Packet, at flow.Ref, key string) *exchange {
	ex := &exchange{base: base{t: t, client: client, server: server, lastAt: at}, key: key}
	ex.b = timeline.New(report.KindRADIUS, t.opt.NewID(report.KindRADIUS))
	if key != "" {
		t.exchanges[key] = ex
	}
	t.openEx[ex] = struct{}{}
	return ex
}

// idle is how long the exchange may stay silent: accounting sessions send
// interim updates minutes apart.
func (ex *exchange) idle(base time.Duration) time.Duration {
	if ex.key != "" && !ex.stopped {
		return 20 * time.Minute
	}
	return base
}

func (ex *exchange) request(tx *transaction, p *radius.Packet, at flow.Ref) {
	ex.newRequest(tx)
	ex.touch(at)
	ex.requests++
	ex.pending++
	ex.id.fill(p)
	if ex.reqCode == 0 {
		ex.reqCode = p.Code
	}
	detail := fmt.Sprintf("id %d", p.Identifier)
	switch p.Code {
	case radius.CodeAccessRequest:
		ex.method = authMethod(p)
		detail += ", " + ex.method
		if !p.HasMessageAuthenticator() {
			ex.b.Evidence("radius.access-request-without-message-authenticator", at.Frame)
		}
	case radius.CodeAccountingRequest:
		if sid, ok := p.Text(radius.AttrAcctSessionID); ok {
			ex.acctSession = sid
		}
		if v, ok := p.Uint32(radius.AttrAcctStatusType); ok {
			if name, ok := radius.ValueName(0, radius.AttrAcctStatusType, v); ok {
				ex.acctStatus = name
				detail += ", " + name
				if v == 2 {
					ex.stopped = true
				}
			}
		}
	}
	if ex.requests == 1 {
		detail += describeAttrs(p, ex.t.opt.ShowSecrets)
	}
	ex.b.Event(flow.ClientToServer, at, "radius", p.Code.String(), detail)
}

// authMethod names how an Access-Request without EAP authenticates.
func authMethod(p *radius.Packet) string {
	switch {
	case p.Has(radius.AttrUserPassword):
		user, _ := p.Text(radius.AttrUserName)
		station, _ := p.Text(radius.AttrCallingStationID)
		if st, _ := p.Uint32(radius.AttrServiceType); st == 10 || sameMAC(user, station) {
			return "MAB"
		}
		return "PAP"
	case p.Has(radius.AttrCHAPPassword):
		user, _ := p.Text(radius.AttrUserName)
		station, _ := p.Text(radius.AttrCallingStationID)
		if sameMAC(user, station) {
			return "MAB"
		}
		return "CHAP"
	case len(p.Vendor(311, radius.MSCHAP2Response)) > 0:
		return "MS-CHAPv2"
	case len(p.Vendor(311, radius.MSCHAPResponse)) > 0:
		return "MS-CHAP"
	}
	if st, ok := p.Uint32(radius.AttrServiceType); ok {
		if st == 10 {
			return "MAB"
		}
		if st == 17 {
			return "Authorize-Only"
		}
	}
	return "no credentials"
}

func sameMAC(a, b string) bool {
	ma, ok1 := NormalizeMAC(a)
	mb, ok2 := NormalizeMAC(b)
	return ok1 && ok2 && ma == mb
}

func (ex *exchange) retransmission(tx *transaction, p *radius.Packet, at flow.Ref) {
	if ex.emitted {
		ex.late(at, p.Code.String()+" retransmission")
		return
	}
	ex.noteRetransmission(tx, p, at)
}

func (ex *exchange) unanswered(tx *transaction) {
	if ex.emitted {
		return
	}
	ex.noteUnanswered(tx)
	ex.pending--
	if ex.key == "" && ex.pending <= 0 {
		ex.close(closeFinal)
	}
}

func (ex *exchange) orphanResponse(tx *transaction, p *radius.Packet, at flow.Ref) {
	ex.b.Evidence("radius.response-without-request", at.Frame)
	ex.pending++
	ex.response(tx, p, at, false)
}

func (ex *exchange) response(tx *transaction, p *radius.Packet, at flow.Ref, dup bool) {
	if ex.emitted {
		ex.late(at, p.Code.String())
		return
	}
	ex.touch(at)
	if dup {
		ex.b.Event(flow.ServerToClient, at, "radius", p.Code.String()+" (duplicate)", fmt.Sprintf("id %d", p.Identifier))
		return
	}
	ex.answered++
	ex.pending--
	ex.final = p.Code
	detail := ex.noteResponse(tx, p)
	if v, ok := p.Uint32(radius.AttrErrorCause); ok {
		if name, ok := radius.ValueName(0, radius.AttrErrorCause, v); ok {
			detail += ", Error-Cause " + name
		}
	}
	switch p.Code {
	case radius.CodeAccessReject:
		ex.b.Evidence("radius.access-reject", at.Frame)
	case radius.CodeCoANAK, radius.CodeDisconnectNAK:
		ex.b.Evidence("radius.nak", at.Frame)
	}
	ex.b.Event(flow.ServerToClient, at, "radius", p.Code.String(), detail)
	if ex.key == "" || ex.stopped {
		if ex.pending <= 0 {
			ex.close(closeFinal)
		}
	}
}

// close ends the exchange; after a final answer it lingers like a
// conversation (see conversation.close).
func (ex *exchange) close(reason string) {
	if ex.closed {
		return
	}
	ex.closed = true
	ex.closeReason = reason
	t := ex.t
	delete(t.openEx, ex)
	if ex.key != "" && t.exchanges[ex.key] == ex {
		delete(t.exchanges, ex.key)
	}
	if reason == closeFinal {
		t.linger(ex)
		return
	}
	ex.emit()
}

func (ex *exchange) emit() {
	if ex.emitted {
		return
	}
	ex.emitted = true
	t := ex.t
	s := ex.b.S
	nas := ex.nasName()
	ex.endpoints(s, ex.id.user, nas)
	r := &report.RADIUSOnly{
		RequestCode:      ex.reqCode.String(),
		UserName:         report.Str(ex.id.user),
		AuthMethod:       report.Str(ex.method),
		NASIP:            report.Str(ex.id.nasIP),
		NASIdentifier:    report.Str(ex.id.nasID),
		CallingStationID: report.Str(ex.id.station),
		CalledStationID:  report.Str(ex.id.called),
		AuditSessionID:   report.Str(ex.id.audit),
		AcctStatusType:   report.Str(ex.acctStatus),
		AcctSessionID:    report.Str(ex.acctSession),
		Requests:         ex.requests,
		Retransmissions:  ex.retrans,
		Unanswered:       ex.noAnswer,
		ReplyMessage:     report.Str(ex.replyMsg),
		FramedIP:         report.Str(ex.framedIP),
	}
	if ex.reqCode == 0 {
		r.RequestCode = "unknown (request not captured)"
	}
	if ex.final != 0 {
		r.FinalCode = report.Str(ex.final.String())
	}
	r.MaxResponseMs = ex.maxResponseMs()
	s.RADIUS = r
	switch ex.final {
	case radius.CodeAccessAccept, radius.CodeAccountingResponse, radius.CodeCoAACK, radius.CodeDisconnectACK:
		s.Outcome = report.OutcomeSuccess
	case radius.CodeAccessReject, radius.CodeCoANAK, radius.CodeDisconnectNAK:
		s.Outcome = report.OutcomeFailure
	case 0:
		s.Outcome = report.OutcomeIncomplete
	}
	if ex.noAnswer > 0 && ex.answered == 0 {
		s.Outcome = report.OutcomeIncomplete
	}
	what := r.RequestCode
	if ex.method != "" {
		what = ex.method + " " + what
	}
	if ex.acctSession != "" {
		what = fmt.Sprintf("accounting session %q", ex.acctSession)
	}
	end := "no response"
	if ex.final != 0 {
		end = ex.final.String()
	}
	who := ""
	if ex.id.user != "" {
		who = fmt.Sprintf(" for %q", ex.id.user)
	}
	s.Summary = fmt.Sprintf("%s%s via NAS %s: %s (%d request(s), %d retransmission(s))", what, who, nas, end, ex.requests, ex.retrans)
	t.opt.Emit(ex.b.Done())
	ex.b = nil
	ex.forget()
}
