package radiusconv

import (
	"fmt"
	"strings"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/radius"
)

// close ends the conversation: no new round joins it. After a final
// answer it lingers a few seconds, so that a retransmitted last request (the
// NAS did not get the answer) and the server's repeated answer still land in
// its timeline; then, or at once for any other end, its session is emitted.
func (c *conversation) close(reason string) {
	if c.closed {
		return
	}
	c.closed = true
	c.closeReason = reason
	t := c.t
	delete(t.open, c)
	for _, k := range c.states {
		if t.byState[k] == c {
			delete(t.byState, k)
		}
	}
	if t.byStation[c.stationKey] == c {
		delete(t.byStation, c.stationKey)
	}
	c.closeTLS(reason == closeCaptureEnd)
	if reason == closeFinal {
		t.linger(c)
		return
	}
	c.emit()
}

// closeTLS judges the handshakes and lets go of the TLS state: nothing of
// the tunnel changes after the conversation's end, and a lingering
// conversation should cost no more than its timeline.
func (c *conversation) closeTLS(captureEnded bool) {
	if c.obs == nil {
		return
	}
	c.obs.Close(captureEnded, c.lastAt)
	for _, h := range c.obs.Handshakes() {
		v := h.Verdict()
		if c.tun != nil {
			v.Decryption = c.tun.decryption(v.ClientRandom)
		}
		c.handshakes = append(c.handshakes, v)
	}
	c.commitInner()
	c.fastFinish()
	c.obs, c.reasm, c.tun = nil, [2]eap.Reassembler{}, nil
}

// emit builds the session, hands it on and lets go of everything else.
func (c *conversation) emit() {
	if c.emitted {
		return
	}
	c.emitted = true
	t := c.t
	reason := c.closeReason
	s := c.b.S
	s.Handshakes = append(s.Handshakes, c.handshakes...)
	switch {
	case c.final == radius.CodeAccessAccept:
		s.Outcome = report.OutcomeSuccess
	case c.final == radius.CodeAccessReject:
		s.Outcome = report.OutcomeFailure
	case reason == closeCaptureEnd || reason == closeIdle:
		s.Outcome = report.OutcomeIncomplete
		if reason == closeIdle {
			c.b.Evidence("eap.abandoned", c.lastAt.Frame)
			c.b.Event(flow.ClientToServer, c.lastAt, "radius", "conversation abandoned",
				fmt.Sprintf("no packet for %s and no Access-Accept or Access-Reject", t.opt.Idle))
		} else {
			c.b.Evidence("eap.capture-ended", c.lastAt.Frame)
		}
	}
	if c.startedEarly {
		c.b.Evidence("eap.started-before-capture", s.FirstFrame)
	}
	c.endpoints(s, c.identity(), c.nasName())
	s.EAP = c.eapReport()
	s.Summary = c.summary(s)
	t.opt.Emit(c.b.Done())
	c.b, c.handshakes = nil, nil
	c.forget()
}

func (c *conversation) identity() string {
	if c.outer != "" {
		return c.outer
	}
	return c.id.user
}

func (c *conversation) eapReport() *report.EAP {
	e := &report.EAP{
		OuterIdentity:   report.Str(c.outer),
		InnerIdentities: []string{},
		Method:          "unknown",
		MethodsOffered:  append([]string{}, c.proposed...),
		Naks:            append([]string{}, c.naks...),
		InnerMethods:    []string{},
		Rounds:          c.rounds,
		Decrypted:       c.decrypted,
		InnerFailure:    report.Str(c.innerFail),
	}
	e.InnerIdentities = append(e.InnerIdentities, c.innerIDs...)
	e.InnerMethods = append(e.InnerMethods, c.innerMethods...)
	if c.methodName != "" {
		e.Method = c.methodName
	} else if len(c.proposed) > 0 {
		e.Method = c.proposed[len(c.proposed)-1]
	}
	r := &e.RADIUS
	r.NASIP = report.Str(c.id.nasIP)
	r.NASIdentifier = report.Str(c.id.nasID)
	r.CallingStationID = report.Str(c.id.station)
	r.CalledStationID = report.Str(c.id.called)
	r.AuditSessionID = report.Str(c.id.audit)
	r.Requests = c.requests
	r.Retransmissions = c.retrans
	r.Unanswered = c.noAnswer
	r.ReplyMessage = report.Str(c.replyMsg)
	r.FramedIP = report.Str(c.framedIP)
	if c.final != 0 {
		r.FinalCode = report.Str(c.final.String())
	}
	r.MaxResponseMs = c.maxResponseMs()
	switch {
	case c.withoutMA == 0:
		r.MessageAuthenticator = "all"
	case c.withMA == 0:
		r.MessageAuthenticator = "none"
	default:
		r.MessageAuthenticator = "some"
	}
	switch c.method {
	case eap.TypePEAP:
		p := &report.PEAP{}
		if c.hasPeapVer {
			v := c.peapVer
			p.Version = &v
		}
		p.FastReconnect = c.fastReconnect()
		p.ResultTLV = report.Str(c.peapResult)
		e.PEAP = p
	case eap.TypeFAST:
		e.FAST = c.fastReport()
	case eap.TypeTTLS:
		if c.decrypted {
			e.TTLS = &report.TTLS{AVPs: append([]string{}, c.ttlsAVPs...)}
		}
	}
	return e
}

// fastReconnect judges from the encrypted phase 2 alone whether the inner
// method was skipped: after a resumed handshake, a server that skips it
// sends one message (the Result TLV) before Access-Accept; an inner method
// such as EAP-MSCHAPv2 takes at least three (identity, challenge, success)
// before the Result TLV. Anything in between stays unknown.
func (c *conversation) fastReconnect() *bool {
	hs := c.handshakes
	if len(hs) == 0 {
		return nil
	}
	v := hs[len(hs)-1]
	if c.decrypted {
		// The decrypted phase 2 shows whether an inner method ran.
		switch {
		case c.innerRan:
			return report.Bool(false)
		case v.Kind == report.HandshakeAbbreviated && c.peapResult == resultSuccess:
			return report.Bool(true)
		case c.peapResult != "" || v.Kind == report.HandshakeFull:
			return report.Bool(false)
		}
		return nil
	}
	server := c.tunnelMsgs[flow.ServerToClient]
	switch {
	case server >= 3:
		return report.Bool(false)
	case v.Kind == report.HandshakeAbbreviated && server == 1 && c.final == radius.CodeAccessAccept:
		return report.Bool(true)
	}
	return nil
}

// fastReport says what the wire shows of EAP-FAST: without keys the
// tunnel's kind, the PAC-Opaque of the ClientHello and the size of phase
// 2; with them the PACs, chaining and cryptobinding.
func (c *conversation) fastReport() *report.FAST {
	f := &report.FAST{PACsPresented: []string{}, PACsProvisioned: []string{}, Chaining: "unknown", PACs: []report.PACSeen{}}
	f.Phase2Messages = report.Phase2Count{ClientToServer: c.tunnelMsgs[flow.ClientToServer], ServerToClient: c.tunnelMsgs[flow.ServerToClient]}
	if len(c.fastAID) > 0 {
		f.AuthorityID = report.Str(hexString(c.fastAID))
	}
	st := c.fast
	if st != nil {
		f.PACs = append(f.PACs, st.pacs...)
	}
	hs := c.handshakes
	if len(hs) == 0 {
		return f
	}
	v := hs[0]
	switch {
	case v.Kind != report.HandshakeFull && v.Kind != report.HandshakeAbbreviated:
		// No tunnel was built (the handshake failed or the capture
		// ended first).
		if v.Kind == report.HandshakeFailed {
			f.Chaining = "none"
		}
	case v.Anonymous:
		f.Tunnel = report.Str("anonymous")
		prov := "anonymous"
		f.Provisioning = &prov
	case v.Resumption != nil && *v.Resumption == report.ResumePAC:
		f.Tunnel = report.Str("pac")
	default:
		f.Tunnel = report.Str("certificate")
	}
	if v.Offered.PACOpaque {
		pac := "unknown"
		if st != nil && (st.helloPAC == "tunnel" || st.helloPAC == "machine") {
			pac = st.helloPAC
		}
		f.PACInClientHello = &pac
		if st != nil && st.helloPAC != "" {
			f.PACsPresented = append(f.PACsPresented, st.helloPAC)
		} else {
			f.PACsPresented = append(f.PACsPresented, "unknown")
		}
	}
	if st == nil || !c.decrypted {
		return f
	}
	f.PACsPresented = append(f.PACsPresented, st.presented...)
	f.PACsProvisioned = append(f.PACsProvisioned, st.acked...)
	if f.Tunnel != nil && *f.Tunnel == "certificate" && st.delivered > 0 {
		prov := "authenticated"
		f.Provisioning = &prov
	}
	f.Chaining = st.chainingResult()
	switch {
	case st.failed > 0:
		f.Cryptobinding = report.Str("failed")
	case st.verified > 0:
		f.Cryptobinding = report.Str("verified")
	case st.bindings > 0:
		f.Cryptobinding = report.Str("present")
	}
	switch {
	case st.byReaction:
		f.CryptobindingBasis = report.Str("server-reaction")
	case st.byMAC:
		f.CryptobindingBasis = report.Str("compound-mac")
	}
	return f
}

// chainingResult judges EAP chaining from the decrypted phase 2: each
// identity passed or failed by its Intermediate-Result, or, with no result
// of its own, by the authorization PAC it presented when phase 2 ended in
// success.
func (f *fastState) chainingResult() string {
	if !f.chaining {
		return "none"
	}
	if f.final == eapfast.StatusFailure || f.failed > 0 {
		return "both-failed"
	}
	user, machine := f.slots[eapfast.IdentityUser], f.slots[eapfast.IdentityMachine]
	unknownPACs := f.presentedUnknown
	resolve := func(s *slotState, id eapfast.Identity) {
		if *s != slotUnknown || f.final != eapfast.StatusSuccess {
			return
		}
		switch {
		case f.presentedAuthz[id]:
			*s = slotPassed
		case unknownPACs > 0:
			unknownPACs--
			*s = slotPassed
		}
	}
	resolve(&user, eapfast.IdentityUser)
	resolve(&machine, eapfast.IdentityMachine)
	switch {
	case user == slotPassed && machine == slotPassed:
		return "both-succeeded"
	case user == slotFailed && machine == slotPassed:
		return "user-failed-machine-succeeded"
	case user == slotPassed && machine == slotFailed:
		return "machine-failed-user-succeeded"
	case user == slotFailed && machine == slotFailed:
		return "both-failed"
	}
	return "unknown"
}

func (c *conversation) summary(s *report.Session) string {
	who := c.identity()
	if who == "" {
		who = "an unnamed client"
	} else {
		who = fmt.Sprintf("%q", who)
	}
	from := ""
	if c.id.station != "" {
		from = " from " + c.id.station
	}
	method := "EAP"
	if s.EAP != nil && s.EAP.Method != "unknown" {
		method = s.EAP.Method
	}
	var end string
	switch {
	case c.final != 0:
		end = c.final.String()
	case s.Outcome == report.OutcomeIncomplete:
		end = "no final answer"
	default:
		end = "unknown end"
	}
	parts := []string{fmt.Sprintf("%s authentication of %s%s via NAS %s: %s after %d round(s)", method, who, from, c.nasName(), end, c.rounds)}
	for _, h := range s.Handshakes {
		parts = append(parts, fmt.Sprintf("%s %s handshake", h.Version, h.Kind))
	}
	return strings.Join(parts, "; ")
}
