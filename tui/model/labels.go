package model

import (
	"strconv"
	"strings"

	"github.com/sessionscope/sscope/correlate/report"
)

// KindLabel names a session's kind for a list row: the EAP method for a
// RADIUS/EAP conversation ("PEAP", "EAP-FAST"), else the protocol.
func KindLabel(s *report.Session) string {
	switch s.Kind {
	case report.KindRADIUSEAP:
		if s.EAP != nil && s.EAP.Method != "" {
			return s.EAP.Method
		}
		return "EAP"
	case report.KindRADIUS:
		if s.RADIUS != nil && s.RADIUS.AuthMethod != nil && *s.RADIUS.AuthMethod != "" {
			return *s.RADIUS.AuthMethod
		}
		return "RADIUS"
	case report.KindTLS:
		return "TLS"
	case report.KindDTLS:
		return "DTLS"
	case report.KindAnyConnect:
		return "AnyConnect"
	case report.KindIKEv2:
		return "IKEv2"
	}
	return s.Kind
}

// Identity names who authenticated, or what was connected to: the inner
// EAP identity when the tunnel was decrypted (the user behind an
// anonymous outer identity), else the EAP or RADIUS user name, the TLS
// server name (SNI), else the server address.
func Identity(s *report.Session) string {
	if e := s.EAP; e != nil && len(e.InnerIdentities) > 0 && e.InnerIdentities[0] != "" {
		return e.InnerIdentities[0]
	}
	if s.Client.Identity != nil && *s.Client.Identity != "" {
		return *s.Client.Identity
	}
	if e := s.EAP; e != nil && e.OuterIdentity != nil && *e.OuterIdentity != "" {
		return *e.OuterIdentity
	}
	if r := s.RADIUS; r != nil && r.UserName != nil && *r.UserName != "" {
		return *r.UserName
	}
	if s.TLS != nil && s.TLS.ServerName != nil && *s.TLS.ServerName != "" {
		return *s.TLS.ServerName
	}
	for _, h := range s.Handshakes {
		if h.ServerName != nil && *h.ServerName != "" {
			return *h.ServerName
		}
	}
	if s.Server.IP != "" {
		return s.Server.IP + ":" + strconv.Itoa(s.Server.Port)
	}
	return s.Client.IP
}

// Handshake verdict labels, one per TLS handshake.
const (
	VerdictFull        = "full"
	VerdictResumed     = "resumed"
	VerdictRefused     = "refused"
	VerdictFailed      = "failed"
	VerdictIncomplete  = "incomplete"
	VerdictReneg       = "reneg"
	VerdictNoHandshake = "-"
)

// HandshakeVerdict names one handshake's verdict: a full handshake after a
// refused resumption attempt is "refused", an abbreviated one "resumed", a
// renegotiation "reneg"; else the handshake's kind.
func HandshakeVerdict(h *report.TLSHandshake) string {
	switch {
	case h.ResumptionRefused != nil && *h.ResumptionRefused:
		return VerdictRefused
	case h.Kind == report.HandshakeAbbreviated:
		return VerdictResumed
	case h.Renegotiation && h.Kind == report.HandshakeFull:
		return VerdictReneg
	}
	return h.Kind
}

// maxVerdicts is how many handshake verdicts a row names before "…".
const maxVerdicts = 3

// Verdict names a session's handshake verdicts in order, joined by "+"
// ("full", "full+reneg", "refused"); "-" when it had no TLS handshake.
func Verdict(s *report.Session) string {
	if len(s.Handshakes) == 0 {
		return VerdictNoHandshake
	}
	var parts []string
	for i := range s.Handshakes {
		v := HandshakeVerdict(&s.Handshakes[i])
		if len(parts) > 0 && parts[len(parts)-1] == v {
			continue
		}
		if len(parts) == maxVerdicts {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, "+")
}

var severityRank = map[string]int{report.SeverityError: 3, report.SeverityWarning: 2, report.SeverityInfo: 1}

// SeverityRank orders severities: error 3, warning 2, info 1, else 0.
func SeverityRank(sev string) int { return severityRank[sev] }

// WorstFinding returns the index of the most severe finding (the first of
// equals), or -1 when there is none.
func WorstFinding(fs []report.Finding) int {
	best := -1
	for i := range fs {
		if best < 0 || SeverityRank(fs[i].Severity) > SeverityRank(fs[best].Severity) {
			best = i
		}
	}
	return best
}

// CallingStation returns the Calling-Station-Id the session carries, if
// any.
func CallingStation(s *report.Session) string {
	switch {
	case s.Client.CallingStationID != nil:
		return *s.Client.CallingStationID
	case s.EAP != nil && s.EAP.RADIUS.CallingStationID != nil:
		return *s.EAP.RADIUS.CallingStationID
	case s.RADIUS != nil && s.RADIUS.CallingStationID != nil:
		return *s.RADIUS.CallingStationID
	}
	return ""
}
