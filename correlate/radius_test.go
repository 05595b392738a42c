package correlate_test

import (
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
)

const (
	nas    = "10.1.1.2:40000"
	server = "10.1.1.10:1812"
)

func station(mac string) radius.Attribute {
	return radius.TextAttribute(radius.AttrCallingStationID, mac)
}

func TestPAPWithoutMessageAuthenticatorAndRetransmissions(t *testing.T) {
	f := newFixture(t)
	req := radiusPkt(t, radius.CodeAccessRequest, 7, 1,
		radius.TextAttribute(radius.AttrUserName, "alice"),
		radius.BytesAttribute(radius.AttrUserPassword, make([]byte, 16)),
		station("00-11-22-33-44-55"))
	f.udp(nas, server, req, 0)
	f.udp(nas, server, req, 3*time.Second) // retransmission: same id and authenticator
	f.udp(nas, server, req, 3*time.Second)
	f.udp(server, nas, radiusPkt(t, radius.CodeAccessAccept, 7, 9), 200*time.Millisecond)
	rep := f.analyze()
	ss := sessionsOf(rep, report.KindRADIUS)
	if len(ss) != 1 {
		t.Fatalf("%d radius sessions, want 1", len(ss))
	}
	s := ss[0]
	r := s.RADIUS
	if r.Requests != 1 || r.Retransmissions != 2 || str(r.FinalCode) != "Access-Accept" || str(r.AuthMethod) != "PAP" {
		t.Errorf("radius %+v", r)
	}
	if s.Outcome != report.OutcomeSuccess || s.Packets != 4 {
		t.Errorf("outcome %s packets %d", s.Outcome, s.Packets)
	}
	if r.MaxResponseMs == nil || *r.MaxResponseMs < 6000 {
		t.Errorf("response time %v, want over 6 s (from the first transmission)", r.MaxResponseMs)
	}
	ids := findingIDs(s)
	if ids["radius-no-message-authenticator"] != 1 || ids["radius-retransmission"] != 1 {
		t.Errorf("findings %v", ids)
	}
	if s.Client.MAC == nil || *s.Client.MAC != "00:11:22:33:44:55" {
		t.Errorf("client MAC %v", s.Client.MAC)
	}
}

func TestNoResponseAndIdentifierReuse(t *testing.T) {
	f := newFixture(t)
	a := radiusPkt(t, radius.CodeAccessRequest, 3, 1, radius.TextAttribute(radius.AttrUserName, "bob"),
		radius.BytesAttribute(radius.AttrCHAPPassword, make([]byte, 17)), radius.BytesAttribute(radius.AttrMessageAuthenticator, make([]byte, 16)))
	f.udp(nas, server, a, 0)
	f.udp(nas, server, a, 5*time.Second)
	// The same identifier with a new authenticator is a new request.
	b := radiusPkt(t, radius.CodeAccessRequest, 3, 50, radius.TextAttribute(radius.AttrUserName, "bob"),
		radius.BytesAttribute(radius.AttrCHAPPassword, make([]byte, 17)), radius.BytesAttribute(radius.AttrMessageAuthenticator, make([]byte, 16)))
	f.udp(nas, server, b, 40*time.Second)
	f.udp(server, nas, radiusPkt(t, radius.CodeAccessReject, 3, 9, radius.TextAttribute(radius.AttrReplyMessage, "denied")), 10*time.Millisecond)
	rep := f.analyze()
	ss := sessionsOf(rep, report.KindRADIUS)
	if len(ss) != 2 {
		t.Fatalf("%d radius sessions, want 2", len(ss))
	}
	first, second := ss[0], ss[1]
	if first.RADIUS.Unanswered != 1 || first.Outcome != report.OutcomeIncomplete || findingIDs(first)["radius-no-response"] != 1 {
		t.Errorf("first: %+v outcome %s findings %v", first.RADIUS, first.Outcome, findingIDs(first))
	}
	if str(second.RADIUS.FinalCode) != "Access-Reject" || str(second.RADIUS.AuthMethod) != "CHAP" || second.Outcome != report.OutcomeFailure {
		t.Errorf("second: %+v", second.RADIUS)
	}
	if findingIDs(second)["radius-access-reject"] != 1 {
		t.Errorf("second findings %v", findingIDs(second))
	}
}

// eapRound writes one Access-Request/Access-Challenge round.
func eapRound(t *testing.T, f *fixture, id uint8, state []byte, resp, req *eap.Packet, withState bool) {
	attrs := []radius.Attribute{station("aa-bb-cc-dd-ee-ff"), radius.TextAttribute(radius.AttrUserName, "carol")}
	if state != nil {
		attrs = append(attrs, radius.BytesAttribute(radius.AttrState, state))
	}
	f.udp(nas, server, radiusPkt(t, radius.CodeAccessRequest, id, id, append(attrs, eapAttrs(t, resp, true)...)...), 20*time.Millisecond)
	var cattrs []radius.Attribute
	if withState {
		cattrs = append(cattrs, radius.BytesAttribute(radius.AttrState, []byte{0xab, id}))
	}
	f.udp(server, nas, radiusPkt(t, radius.CodeAccessChallenge, id, 100+id, append(cattrs, eapAttrs(t, req, true)...)...), 5*time.Millisecond)
}

func identity(id uint8, name string) *eap.Packet {
	return &eap.Packet{Code: eap.CodeResponse, Identifier: id, Type: eap.TypeIdentity, Data: eap.MarshalIdentity(name)}
}

func md5Request(id uint8) *eap.Packet {
	return &eap.Packet{Code: eap.CodeRequest, Identifier: id, Type: eap.TypeMD5, Data: eap.MD5Challenge{Value: make([]byte, 16)}.Marshal()}
}

func TestEAPRoundsLinkedWithoutState(t *testing.T) {
	// A server that sends no State: rounds are tied by station and EAP
	// identifier.
	f := newFixture(t)
	eapRound(t, f, 1, nil, identity(1, "carol"), md5Request(2), false)
	resp := &eap.Packet{Code: eap.CodeResponse, Identifier: 2, Type: eap.TypeMD5, Data: eap.MD5Challenge{Value: make([]byte, 16)}.Marshal()}
	f.udp(nas, server, radiusPkt(t, radius.CodeAccessRequest, 2, 2, append([]radius.Attribute{station("aa-bb-cc-dd-ee-ff")}, eapAttrs(t, resp, true)...)...), 20*time.Millisecond)
	f.udp(server, nas, radiusPkt(t, radius.CodeAccessAccept, 2, 7, eapAttrs(t, &eap.Packet{Code: eap.CodeSuccess, Identifier: 2}, true)...), 5*time.Millisecond)
	rep := f.analyze()
	ss := sessionsOf(rep, report.KindRADIUSEAP)
	if len(ss) != 1 {
		t.Fatalf("%d EAP sessions, want 1", len(ss))
	}
	e := ss[0].EAP
	if e.Method != "EAP-MD5" || e.Rounds != 2 || str(e.OuterIdentity) != "carol" || ss[0].Outcome != report.OutcomeSuccess {
		t.Errorf("eap %+v outcome %s", e, ss[0].Outcome)
	}
}

func TestEAPAbandonedAndCaptureEnd(t *testing.T) {
	f := newFixture(t)
	// First conversation: the client stops answering after the challenge.
	eapRound(t, f, 1, nil, identity(1, "carol"), md5Request(2), true)
	// Much later, a second conversation that the capture cuts short.
	f.udp(nas, server, radiusPkt(t, radius.CodeAccessRequest, 9, 9, append([]radius.Attribute{station("aa-bb-cc-dd-ee-ff")}, eapAttrs(t, identity(5, "carol"), true)...)...), 10*time.Minute)
	rep := f.analyze()
	ss := sessionsOf(rep, report.KindRADIUSEAP)
	if len(ss) != 2 {
		t.Fatalf("%d EAP sessions, want 2", len(ss))
	}
	var sev []string
	for _, s := range ss {
		if s.Outcome != report.OutcomeIncomplete {
			t.Errorf("%s outcome %s", s.ID, s.Outcome)
		}
		for _, fd := range s.Findings {
			if fd.ID == "eap-no-final-answer" {
				sev = append(sev, fd.Severity)
			}
		}
	}
	if len(sev) != 2 || sev[0] != report.SeverityError || sev[1] != report.SeverityInfo {
		t.Errorf("eap-no-final-answer severities %v, want [error info]", sev)
	}
	if len(rep.Clients) != 1 || len(rep.Clients[0].Sessions) != 2 {
		t.Errorf("clients %+v: both conversations belong to one client", rep.Clients)
	}
}

func TestEAPWithoutMessageAuthenticator(t *testing.T) {
	f := newFixture(t)
	f.udp(nas, server, radiusPkt(t, radius.CodeAccessRequest, 1, 1, append([]radius.Attribute{station("aa-bb-cc-dd-ee-ff")}, eapAttrs(t, identity(1, "dave"), false)...)...), 0)
	f.udp(server, nas, radiusPkt(t, radius.CodeAccessReject, 1, 2, eapAttrs(t, &eap.Packet{Code: eap.CodeFailure, Identifier: 1}, true)...), time.Millisecond)
	rep := f.analyze()
	s := sessionsOf(rep, report.KindRADIUSEAP)[0]
	ids := findingIDs(s)
	if ids["radius-eap-without-message-authenticator"] != 1 || ids["radius-access-reject"] != 1 || s.EAP.RADIUS.MessageAuthenticator != "none" {
		t.Errorf("findings %v, message_authenticator %q", ids, s.EAP.RADIUS.MessageAuthenticator)
	}
	for _, fd := range s.Findings {
		if fd.ID == "radius-eap-without-message-authenticator" && fd.Severity != report.SeverityError {
			t.Errorf("severity %s", fd.Severity)
		}
	}
}

func TestAccountingSessionGrouped(t *testing.T) {
	f := newFixture(t)
	acct := func(id uint8, status uint32) []byte {
		return radiusPkt(t, radius.CodeAccountingRequest, id, id,
			radius.TextAttribute(radius.AttrAcctSessionID, "S-0001"),
			radius.Uint32Attribute(radius.AttrAcctStatusType, status),
			radius.TextAttribute(radius.AttrUserName, "erin"),
			station("aa-bb-cc-dd-ee-01"))
	}
	acctServer := "10.1.1.10:1813"
	for i, st := range []uint32{1, 3, 2} { // Start, Interim-Update, Stop
		f.udp(nas, acctServer, acct(uint8(i), st), time.Minute)
		f.udp(acctServer, nas, radiusPkt(t, radius.CodeAccountingResponse, uint8(i), 80), time.Millisecond)
	}
	rep := f.analyze()
	ss := sessionsOf(rep, report.KindRADIUS)
	if len(ss) != 1 {
		t.Fatalf("%d radius sessions, want 1 accounting session", len(ss))
	}
	r := ss[0].RADIUS
	if r.Requests != 3 || str(r.AcctStatusType) != "Stop" || str(r.AcctSessionID) != "S-0001" || ss[0].Outcome != report.OutcomeSuccess {
		t.Errorf("accounting %+v outcome %s", r, ss[0].Outcome)
	}
}

func TestCoANak(t *testing.T) {
	f := newFixture(t)
	coaServer := "10.1.1.2:3799"
	f.udp("10.1.1.10:50000", coaServer, radiusPkt(t, radius.CodeCoARequest, 1, 1, radius.TextAttribute(radius.AttrUserName, "frank")), 0)
	f.udp(coaServer, "10.1.1.10:50000", radiusPkt(t, radius.CodeCoANAK, 1, 2, radius.Uint32Attribute(radius.AttrErrorCause, 503)), time.Millisecond)
	rep := f.analyze()
	ss := sessionsOf(rep, report.KindRADIUS)
	if len(ss) != 1 || ss[0].Outcome != report.OutcomeFailure || str(ss[0].RADIUS.FinalCode) != "CoA-NAK" {
		t.Fatalf("sessions %+v", ss)
	}
}
