package rules

import (
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate/report"
)

func fastSession(f *report.FAST, hs ...report.TLSHandshake) *report.Session {
	id := "anonymous"
	return &report.Session{ID: "eap-1", Kind: report.KindRADIUSEAP, ClientKey: "mac:02",
		Client:     report.Endpoint{IP: "10.0.0.2", Port: 1812, Identity: &id},
		Server:     report.Endpoint{IP: "10.0.0.1", Port: 1812},
		EAP:        &report.EAP{Method: "EAP-FAST", FAST: f, Decrypted: true},
		Handshakes: hs, Evidence: map[string][]uint64{}}
}

func findingsOf(s *report.Session) map[string]report.Finding {
	j := New()
	j.Session(s)
	out := map[string]report.Finding{}
	for _, f := range s.Findings {
		out[f.ID] = f
	}
	return out
}

func TestFASTFindings(t *testing.T) {
	anon := report.Str("anonymous")
	pac := report.Str("pac")

	s := fastSession(&report.FAST{Tunnel: anon, Chaining: "both-succeeded", PACsProvisioned: []string{"tunnel", "machine"}})
	s.Evidence["fast.authz-pac-refused"] = []uint64{30}
	s.Evidence["fast.anonymous-provisioning"] = []uint64{6}
	got := findingsOf(s)
	if f, ok := got["fast-anonymous-provisioning"]; !ok || f.Severity != report.SeverityInfo || !strings.Contains(f.Summary, "tunnel, machine") {
		t.Errorf("anonymous provisioning: %+v", got)
	}
	if f, ok := got["fast-authorization-pac-refused"]; !ok || f.Frames[0] != 30 {
		t.Errorf("authorization refused: %+v", got)
	}

	s = fastSession(&report.FAST{Tunnel: pac, Chaining: "user-failed-machine-succeeded", Cryptobinding: report.Str("verified")})
	s.Evidence["fast.intermediate-failure"] = []uint64{31}
	got = findingsOf(s)
	if f, ok := got["fast-chaining-partial"]; !ok || !strings.Contains(f.Summary, "the user authentication failed") {
		t.Errorf("partial chaining: %+v", got)
	}
	if _, ok := got["fast-cryptobinding-failed"]; ok {
		t.Error("cryptobinding failure on a verified binding")
	}

	s = fastSession(&report.FAST{Tunnel: pac, Chaining: "both-failed", Cryptobinding: report.Str("failed"), CryptobindingBasis: report.Str("compound-mac")})
	if f, ok := findingsOf(s)["fast-cryptobinding-failed"]; !ok || f.Severity != report.SeverityError || !strings.Contains(f.Summary, "Compound MAC") {
		t.Errorf("cryptobinding failed: %+v", f)
	}

	// F8: no PAC, no anonymous suite, handshake_failure before any
	// ServerHello. With an anonymous suite offered it is another story.
	refused := report.TLSHandshake{Kind: report.HandshakeFailed, FirstFrame: 3,
		Alert: &report.Alert{Level: "fatal", Description: "handshake_failure", Direction: report.S2C, Frame: 4}}
	if _, ok := findingsOf(fastSession(&report.FAST{Chaining: "none"}, refused))["fast-no-anonymous-cipher"]; !ok {
		t.Error("no fast-no-anonymous-cipher")
	}
	refused.Offered.AnonymousSuite = true
	if _, ok := findingsOf(fastSession(&report.FAST{Chaining: "none"}, refused))["fast-no-anonymous-cipher"]; ok {
		t.Error("fast-no-anonymous-cipher although an anonymous suite was offered")
	}

	// A PAC refused in the ClientHello, and Authorization PACs not
	// accepted inside the tunnel.
	h := report.TLSHandshake{Kind: report.HandshakeFull, ResumptionRefused: report.Bool(true), FirstFrame: 3, ServerHelloFrame: 4}
	h.Offered.PACOpaque = true
	s = fastSession(&report.FAST{Chaining: "none"}, h)
	s.Evidence["fast.authz-pac-not-accepted"] = []uint64{12}
	n := 0
	findingsOf(s)
	for _, f := range s.Findings {
		if f.ID == "fast-pac-expired" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d fast-pac-expired findings, want 2", n)
	}

	// The inner method's failure with its reason.
	s = fastSession(&report.FAST{Chaining: "none"})
	s.EAP.Method = "PEAP"
	s.EAP.FAST = nil
	s.EAP.InnerFailure = report.Str("EAP-MSCHAPv2 E=691 (authentication failure)")
	s.Evidence["eap.inner-failure"] = []uint64{14}
	if f, ok := findingsOf(s)["eap-inner-method-failed"]; !ok || !strings.Contains(f.Summary, "E=691") {
		t.Errorf("inner failure: %+v", f)
	}
	s.EAP.Decrypted = false
	s.Findings = nil
	if _, ok := findingsOf(s)["eap-inner-method-failed"]; ok {
		t.Error("inner failure claimed without decryption")
	}
}

// TestNoSessionCacheNotForEAPFAST: EAP-FAST servers resume by PAC and
// assign no session IDs by design.
func TestNoSessionCacheNotForEAPFAST(t *testing.T) {
	suite := "TLS_DH_anon_WITH_AES_128_CBC_SHA"
	h := report.TLSHandshake{Version: "TLS 1.2", Kind: report.HandshakeFull, CipherSuite: &suite, ResumptionRefused: report.Bool(false)}
	s := fastSession(&report.FAST{Chaining: "none"}, h)
	_, cross := judge(s)
	if ids(cross)["tls-no-session-cache"] != 0 {
		t.Error("tls-no-session-cache for EAP-FAST")
	}
	s.EAP.Method, s.EAP.FAST = "PEAP", nil
	s.Findings = nil
	if _, cross = judge(s); ids(cross)["tls-no-session-cache"] != 1 {
		t.Error("tls-no-session-cache lost for PEAP")
	}
}
