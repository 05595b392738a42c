package rules

import (
	"github.com/sessionscope/sscope/correlate/report"
)

// rule judges one session.
type rule struct {
	id    string
	check func(s *report.Session) []report.Finding
}

// Judge applies the built-in rules. It implements correlate.Judge.
type Judge struct {
	rules []rule
	cross *crossTracker
}

// New returns a Judge with the built-in rules.
func New() *Judge {
	return &Judge{rules: builtin(), cross: newCrossTracker()}
}

func builtin() []rule {
	return []rule{
		{"tls-resumption-refused", resumptionRefused},
		{"tls-alert", tlsAlerts},
		{"tls-handshake-failed", handshakeFailed},
		{"tls-obsolete-version", obsoleteVersion},
		{"eap-no-final-answer", eapNoFinalAnswer},
		{"radius-access-reject", accessReject},
		{"radius-retransmission", retransmissions},
		{"radius-no-response", noResponse},
		{"radius-eap-without-message-authenticator", eapWithoutMessageAuthenticator},
		{"radius-no-message-authenticator", noMessageAuthenticator},
		{"tcp-gap", tcpGaps},
		{"fast-anonymous-provisioning", fastAnonymousProvisioning},
		{"fast-authorization-pac-refused", fastAuthorizationPACRefused},
		{"fast-no-anonymous-cipher", fastNoAnonymousCipher},
		{"fast-chaining-partial", fastChainingPartial},
		{"fast-pac-expired", fastPACExpired},
		{"fast-cryptobinding-failed", fastCryptobindingFailed},
		{"eap-inner-method-failed", innerMethodFailed},
	}
}

// Session adds the findings of the per-session rules to s.
func (j *Judge) Session(s *report.Session) {
	for _, r := range j.rules {
		for _, f := range r.check(s) {
			f.ID = r.id
			f.Session = s.ID
			if f.Frames == nil {
				f.Frames = []uint64{}
			}
			s.Findings = append(s.Findings, f)
		}
	}
	j.cross.observe(s)
}

// Finish returns the findings that span sessions.
func (j *Judge) Finish() []report.Finding {
	return j.cross.findings()
}

func finding(sev, summary, hint string, frames ...uint64) report.Finding {
	return report.Finding{Severity: sev, Summary: summary, Hint: hint, Frames: dedupe(frames)}
}

func dedupe(frames []uint64) []uint64 {
	out := make([]uint64, 0, len(frames))
	seen := make(map[uint64]bool, len(frames))
	for _, f := range frames {
		if f != 0 && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}
