package rules

import (
	"fmt"

	"github.com/sessionscope/sscope/correlate/report"
)

func resumptionRefused(s *report.Session) []report.Finding {
	var out []report.Finding
	for _, h := range s.Handshakes {
		if h.ResumptionRefused == nil || !*h.ResumptionRefused {
			continue
		}
		var what string
		switch {
		case h.Offered.PACOpaque:
			what = "presented a PAC-Opaque"
		case h.Offered.Ticket:
			what = "offered a session ticket"
		case h.Offered.PSK:
			what = "offered a TLS 1.3 PSK"
		default:
			what = "offered TLS session ID " + report.ShortHex(h.Offered.SessionID)
		}
		answer := "a full handshake"
		if h.ServerSessionID != "" && h.ServerSessionID != h.Offered.SessionID {
			answer = "a new session ID (" + report.ShortHex(h.ServerSessionID) + ") and a full handshake"
		}
		sum := fmt.Sprintf("%s %s to %s but got %s: resumption refused.", who(s), what, server(s), answer)
		hint := "The server no longer holds the session: check its TLS session cache and lifetime (7200 s by default on ISE), whether it restarted, and whether this connection reached another server node — session caches are per node and not replicated. Stateless resumption (session tickets / PACs with a shared key) or load-balancer persistence avoids this."
		if s.Kind == report.KindRADIUSEAP {
			hint = "The RADIUS server no longer holds the TLS session: check that session resumption is enabled and its lifetime (7200 s by default on ISE), whether the server restarted, and whether the re-authentication reached another RADIUS node (session caches are per node and not replicated)."
		}
		if h.Offered.Ticket || h.Offered.PACOpaque {
			hint = "The server could not use the ticket/PAC: it expired, the server's ticket (master) key changed, or another node with a different key answered. Share the ticket key across nodes or re-provision."
		}
		out = append(out, finding(report.SeverityWarning, sum, hint, h.FirstFrame, h.LastFrame))
	}
	return out
}

func tlsAlerts(s *report.Session) []report.Finding {
	var out []report.Finding
	for _, h := range s.Handshakes {
		a := h.Alert
		if a == nil || a.Encrypted {
			continue
		}
		from := "server"
		if a.Direction == report.C2S {
			from = "client"
		}
		sev := report.SeverityWarning
		if a.Level == "fatal" {
			sev = report.SeverityError
		}
		sum := fmt.Sprintf("The %s sent a %s TLS alert %s during the handshake with %s (%s).", from, a.Level, a.Description, server(s), who(s))
		out = append(out, finding(sev, sum, alertHint(a.Description, from), a.Frame))
	}
	return out
}

func handshakeFailed(s *report.Session) []report.Finding {
	var out []report.Finding
	for _, h := range s.Handshakes {
		if h.Kind != report.HandshakeFailed || (h.Alert != nil && !h.Alert.Encrypted) {
			continue
		}
		last := "the ClientHello"
		if len(h.Messages) > 0 {
			last = h.Messages[len(h.Messages)-1]
		}
		sum := fmt.Sprintf("The TLS handshake between %s and %s did not complete; the last handshake message seen was %s.", who(s), server(s), last)
		hint := "Without an alert the peer that stopped usually gave up silently: a supplicant that does not trust the server certificate often just stops answering; a server may drop a ClientHello it cannot serve. Check both ends' logs at this time."
		if h.Alert != nil && h.Alert.Encrypted {
			sum = fmt.Sprintf("The TLS handshake between %s and %s ended with an encrypted alert.", who(s), server(s))
			hint = "An encrypted alert in a TLS 1.3 handshake usually means the client rejected the server certificate (unknown CA, name mismatch) or the server rejected the client's; decrypt with a key log or check the peers' logs."
		}
		out = append(out, finding(report.SeverityError, sum, hint, h.FirstFrame, h.LastFrame))
	}
	return out
}

func tcpGaps(s *report.Session) []report.Finding {
	fr := s.Evidence["tcp.gap"]
	if len(fr) == 0 {
		return nil
	}
	sum := fmt.Sprintf("The capture lost data of the connection from %s to %s (%s); what follows a gap in that direction could not be decoded.", s.Client.IP, server(s), plural(len(fr), "gap", "gaps"))
	return []report.Finding{finding(report.SeverityInfo, sum, "Capture loss (span port oversubscription, snap length, capture buffer): capture closer to an endpoint or with a larger buffer.", fr...)}
}

// obsoleteVersion flags handshakes that negotiated a protocol version the
// IETF has deprecated: SSL 2.0 (RFC 6176), SSL 3.0 (RFC 7568), TLS 1.0 and
// 1.1 (RFC 8996).
func obsoleteVersion(s *report.Session) []report.Finding {
	var out []report.Finding
	for _, h := range s.Handshakes {
		var sev, rfc string
		switch h.Version {
		case "SSL 2.0":
			sev, rfc = report.SeverityWarning, "RFC 6176"
		case "SSL 3.0":
			sev, rfc = report.SeverityWarning, "RFC 7568"
		case "TLS 1.0", "TLS 1.1", "DTLS 1.0":
			sev, rfc = report.SeverityInfo, "RFC 8996"
		default:
			continue
		}
		if h.Kind != report.HandshakeFull && h.Kind != report.HandshakeAbbreviated {
			continue
		}
		sum := fmt.Sprintf("%s and %s negotiated %s, which is deprecated (%s).", who(s), server(s), h.Version, rfc)
		hint := "Raise the minimum protocol version on the server (and update the client if it can go no higher); RADIUS servers and supplicants commonly still allow TLS 1.0 for old Windows clients."
		out = append(out, finding(sev, sum, hint, h.FirstFrame))
	}
	return out
}
