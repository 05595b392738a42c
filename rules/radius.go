package rules

import (
	"fmt"

	"github.com/sessionscope/sscope/correlate/report"
)

func eapNoFinalAnswer(s *report.Session) []report.Finding {
	if s.Kind != report.KindRADIUSEAP || s.Outcome != report.OutcomeIncomplete {
		return nil
	}
	last := lastRADIUS(s)
	if fr := s.Evidence["eap.abandoned"]; len(fr) > 0 {
		sum := fmt.Sprintf("The EAP authentication of %s got no Access-Accept or Access-Reject: the conversation stopped after %s.", who(s), last.describe())
		hint := "The side that should have sent next gave up. If the last packet is an Access-Challenge the supplicant stopped answering: it commonly does so silently when it does not trust the server certificate, when its user cancelled, or after a NAS EAP timeout. If the last packet is an unanswered Access-Request, see the server."
		return []report.Finding{finding(report.SeverityError, sum, hint, last.frame)}
	}
	if len(s.Evidence["eap.capture-ended"]) > 0 {
		sum := fmt.Sprintf("The capture ended during the EAP authentication of %s (last: %s).", who(s), last.describe())
		return []report.Finding{finding(report.SeverityInfo, sum, "Capture longer to see how the authentication ends.", last.frame)}
	}
	return nil
}

type lastPacket struct {
	frame uint64
	event string
	dir   string
}

func (l lastPacket) describe() string {
	if l.event == "" {
		return "its last packet"
	}
	return fmt.Sprintf("an %s in frame %d", l.event, l.frame)
}

func lastRADIUS(s *report.Session) lastPacket {
	for i := len(s.Timeline) - 1; i >= 0; i-- {
		e := s.Timeline[i]
		if e.Layer == "radius" && (e.Event == "Access-Request" || e.Event == "Access-Challenge" || e.Event == "Access-Request retransmission") {
			return lastPacket{frame: e.Frame, event: e.Event, dir: e.Direction}
		}
	}
	return lastPacket{frame: s.LastFrame}
}

func accessReject(s *report.Session) []report.Finding {
	fr := s.Evidence["radius.access-reject"]
	if len(fr) == 0 {
		return nil
	}
	reply := ""
	var method string
	if s.EAP != nil {
		method = s.EAP.Method
		if s.EAP.RADIUS.ReplyMessage != nil {
			reply = fmt.Sprintf(" (Reply-Message %q)", *s.EAP.RADIUS.ReplyMessage)
		}
	}
	if s.RADIUS != nil {
		if s.RADIUS.AuthMethod != nil {
			method = *s.RADIUS.AuthMethod
		}
		if s.RADIUS.ReplyMessage != nil {
			reply = fmt.Sprintf(" (Reply-Message %q)", *s.RADIUS.ReplyMessage)
		}
	}
	sum := fmt.Sprintf("%s rejected %s%s.", server(s), who(s), reply)
	if method != "" && method != "unknown" {
		sum = fmt.Sprintf("%s rejected the %s authentication of %s%s.", server(s), method, who(s), reply)
	}
	hint := "The server's log for this session gives the reason (credentials, policy, unknown NAS or user)."
	tunnelUp := false
	for _, h := range s.Handshakes {
		if h.Kind == report.HandshakeFull || h.Kind == report.HandshakeAbbreviated {
			tunnelUp = true
		}
	}
	fast := s.EAP != nil && s.EAP.FAST != nil
	switch {
	case fast && s.EAP.FAST.Tunnel != nil && *s.EAP.FAST.Tunnel == "anonymous" && len(s.Evidence["eap.inner-failure"]) == 0:
		hint = "Anonymous PAC provisioning ends in Access-Reject by design: the client was given its PACs and authenticates again with them (the next conversation should be a PAC-based tunnel)."
	case len(s.Evidence["eap.mschapv2-failure"]) > 0:
		hint = "The inner EAP-MSCHAPv2 failed (see the E= error code in the timeline: 691 is a wrong user name or password, 648 an expired password, 647 a disabled account)."
		fr = append(fr, s.Evidence["eap.mschapv2-failure"]...)
	case tunnelUp && s.EAP != nil && s.EAP.Decrypted && (s.EAP.Method == "PEAP" || s.EAP.Method == "EAP-TTLS" || s.EAP.Method == "EAP-FAST" || s.EAP.Method == "TEAP"):
		hint = "The TLS tunnel was established and decrypted: the timeline shows the inner (phase 2) exchange; if the inner method succeeded, the reject comes from the server's authorization policy (see its log)."
	case tunnelUp && s.EAP != nil && (s.EAP.Method == "PEAP" || s.EAP.Method == "EAP-TTLS" || s.EAP.Method == "EAP-FAST" || s.EAP.Method == "TEAP"):
		hint = "The TLS tunnel was established, so the reject comes from the inner (phase 2) authentication or from policy: check the inner credentials and the authorization policy in the server's log; decrypting the tunnel (--keylog) shows the inner method."
	case tunnelUp && s.EAP != nil && s.EAP.Method == "EAP-TLS":
		hint = "The TLS handshake completed, so the certificate exchange succeeded: the reject comes from authorization policy or certificate checks done after it (revocation, identity mapping). Check the server's log."
	}
	return []report.Finding{finding(report.SeverityWarning, sum, hint, fr...)}
}

func retransmissions(s *report.Session) []report.Finding {
	fr := s.Evidence["radius.retransmission"]
	if len(fr) == 0 {
		return nil
	}
	slow := ""
	if s.EAP != nil && s.EAP.RADIUS.MaxResponseMs != nil {
		slow = fmt.Sprintf("; the slowest answer took %.0f ms", *s.EAP.RADIUS.MaxResponseMs)
	} else if s.RADIUS != nil && s.RADIUS.MaxResponseMs != nil {
		slow = fmt.Sprintf("; the slowest answer took %.0f ms", *s.RADIUS.MaxResponseMs)
	}
	sum := fmt.Sprintf("The NAS retransmitted %s for %s to %s%s.", plural(len(fr), "RADIUS request", "RADIUS requests"), who(s), server(s), slow)
	hint := "The server answered later than the NAS timeout, or answers were lost: check the RADIUS server's load and latency (and that of its back-end such as AD/LDAP), the path, and the NAS RADIUS timeout/retransmit settings."
	return []report.Finding{finding(report.SeverityWarning, sum, hint, fr...)}
}

func noResponse(s *report.Session) []report.Finding {
	fr := s.Evidence["radius.no-response"]
	if len(fr) == 0 {
		return nil
	}
	sum := fmt.Sprintf("%s never answered %s from %s.", server(s), plural(len(fr), "request", "requests"), who(s))
	hint := "A RADIUS server silently drops requests from unknown clients and requests with a wrong shared secret (bad Message-Authenticator): check the NAS is configured as a client with the right secret, that the server is up, and the path (firewall, routing)."
	return []report.Finding{finding(report.SeverityError, sum, hint, fr...)}
}

func eapWithoutMessageAuthenticator(s *report.Session) []report.Finding {
	fr := s.Evidence["radius.eap-without-message-authenticator"]
	if len(fr) == 0 {
		return nil
	}
	sum := fmt.Sprintf("%s from NAS %s carried EAP-Message without Message-Authenticator.", plural(len(fr), "Access-Request", "Access-Requests"), s.Client.IP)
	hint := "RFC 3579 requires Message-Authenticator with EAP-Message and servers must silently discard requests without it; it is also the BlastRADIUS (CVE-2024-3596) protection. Fix or update the NAS."
	return []report.Finding{finding(report.SeverityError, sum, hint, fr...)}
}

func noMessageAuthenticator(s *report.Session) []report.Finding {
	fr := s.Evidence["radius.access-request-without-message-authenticator"]
	if len(fr) == 0 {
		return nil
	}
	sum := fmt.Sprintf("%s from NAS %s had no Message-Authenticator.", plural(len(fr), "Access-Request", "Access-Requests"), s.Client.IP)
	hint := "Without Message-Authenticator an Access-Request/response pair can be forged (BlastRADIUS, CVE-2024-3596). Make the NAS send it and the server require it (e.g. FreeRADIUS require_message_authenticator = yes, limit_proxy_state = yes)."
	return []report.Finding{finding(report.SeverityWarning, sum, hint, fr...)}
}
