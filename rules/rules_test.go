package rules

import (
	"testing"

	"github.com/sessionscope/sscope/correlate/report"
)

func hs(version, kind, offered, server string, resumption string, refused *bool) report.TLSHandshake {
	h := report.TLSHandshake{Version: version, Kind: kind, ClientSessionID: offered, ServerSessionID: server, ResumptionRefused: refused}
	h.Offered.SessionID = offered
	suite := "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
	h.CipherSuite = &suite
	if resumption != "" {
		h.Resumption = &resumption
	}
	return h
}

func tlsSession(id string, h report.TLSHandshake) *report.Session {
	return &report.Session{ID: id, Kind: report.KindTLS, ClientKey: "ip:10.0.0.2",
		Client: report.Endpoint{IP: "10.0.0.2", Port: 40000}, Server: report.Endpoint{IP: "10.0.0.1", Port: 443},
		Handshakes: []report.TLSHandshake{h}}
}

func judge(sessions ...*report.Session) (*Judge, []report.Finding) {
	j := New()
	for _, s := range sessions {
		j.Session(s)
	}
	return j, j.Finish()
}

func ids(fs []report.Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.ID]++
	}
	return m
}

var (
	yes = report.Bool(true)
	no  = report.Bool(false)
)

func TestIDsNeverAccepted(t *testing.T) {
	// T1: each server hello assigns a new ID, each later client hello
	// offers the previous one.
	t1 := func() []*report.Session {
		return []*report.Session{
			tlsSession("tls-1", hs("TLS 1.2", report.HandshakeFull, "", "aa", "", no)),
			tlsSession("tls-2", hs("TLS 1.2", report.HandshakeFull, "aa", "bb", "", yes)),
			tlsSession("tls-3", hs("TLS 1.2", report.HandshakeFull, "bb", "cc", "", yes)),
		}
	}
	ss := t1()
	_, cross := judge(ss...)
	if ids(cross)["tls-ids-never-accepted"] != 1 {
		t.Fatalf("cross findings %v", ids(cross))
	}
	f := cross[0]
	if f.Session != "tls-3" || f.Severity != report.SeverityWarning || f.Summary == "" || f.Hint == "" {
		t.Errorf("finding %+v", f)
	}
	// One accepted offer breaks the pattern.
	s4 := tlsSession("tls-4", hs("TLS 1.2", report.HandshakeAbbreviated, "cc", "cc", report.ResumeSessionID, no))
	_, cross = judge(append(t1(), s4)...)
	if ids(cross)["tls-ids-never-accepted"] != 0 || ids(cross)["tls-resumption-works"] != 1 {
		t.Errorf("with a resumption: %v", ids(cross))
	}
	// Per handshake, each refusal is a finding of its own.
	if got := ids(ss[1].Findings)["tls-resumption-refused"]; got != 1 {
		t.Errorf("tls-2 findings %v", ids(ss[1].Findings))
	}
}

func TestNoSessionCache(t *testing.T) {
	s1 := tlsSession("tls-1", hs("TLS 1.2", report.HandshakeFull, "", "", "", no))
	s2 := tlsSession("tls-2", hs("TLS 1.2", report.HandshakeFull, "", "", "", no))
	_, cross := judge(s1, s2)
	if ids(cross)["tls-no-session-cache"] != 1 {
		t.Fatalf("cross %v", ids(cross))
	}
	// A server that issues tickets has a way to resume.
	h := hs("TLS 1.2", report.HandshakeFull, "", "", "", no)
	h.TicketIssued = true
	_, cross = judge(tlsSession("tls-1", h))
	if ids(cross)["tls-no-session-cache"] != 0 {
		t.Errorf("ticket-issuing server flagged: %v", ids(cross))
	}
	// TLS 1.3 and SSL 2.0 have no session IDs to judge.
	_, cross = judge(tlsSession("tls-1", hs("TLS 1.3", report.HandshakeFull, "", "", "", no)), tlsSession("tls-2", hs("SSL 2.0", report.HandshakeFull, "", "", "", no)))
	if len(cross) != 0 {
		t.Errorf("TLS 1.3 / SSL 2.0: %v", ids(cross))
	}
}

func TestAlertFindings(t *testing.T) {
	h := hs("TLS 1.2", report.HandshakeFailed, "", "", "", no)
	h.Alert = &report.Alert{Level: "fatal", Description: "unknown_ca", Direction: report.C2S, Frame: 9}
	s := tlsSession("tls-1", h)
	judge(s)
	if len(s.Findings) == 0 {
		t.Fatal("no finding")
	}
	f := s.Findings[0]
	if f.ID != "tls-alert" || f.Severity != report.SeverityError || f.Frames[0] != 9 || f.Hint == "" || f.Summary == "" {
		t.Errorf("finding %+v", f)
	}
	// Every alert description the hints know gets a specific hint.
	for _, d := range []string{"handshake_failure", "unknown_ca", "certificate_expired", "protocol_version", "decrypt_error", "access_denied"} {
		if alertHint(d, "server") == alertHint("no-such-alert", "server") {
			t.Errorf("%s has only the generic hint", d)
		}
	}
}

func TestObsoleteVersion(t *testing.T) {
	s := tlsSession("tls-1", hs("TLS 1.0", report.HandshakeFull, "", "aa", "", no))
	judge(s)
	if ids(s.Findings)["tls-obsolete-version"] != 1 || s.Findings[0].Severity != report.SeverityInfo {
		t.Errorf("findings %+v", s.Findings)
	}
}
