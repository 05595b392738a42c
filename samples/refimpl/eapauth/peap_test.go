package eapauth

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"

	"github.com/sessionscope/sscope/dissect/radius"
)

func TestPEAPFullHandshake(t *testing.T) {
	c := newClock()
	n := newNode("peap full server", c, Policy{EnableSessionResume: true, EnableFastReconnect: true}, users)
	p := newPEAPSupplicant("peap full peer", c, "alice", "Passw0rd!", nil)
	r := authenticate(t, "peap full", n, p)
	if r.err != nil {
		t.Fatalf("%v", r)
	}
	if r.result.Code != radius.CodeAccessAccept {
		t.Fatalf("final code %s: %v", r.result.Code, r)
	}
	for name, o := range map[string]*Outcome{"server": r.server, "peer": r.peer} {
		if o == nil {
			t.Fatalf("%s kept no outcome", name)
		}
		if !o.Success || o.EAPResult != ResultSuccess || o.Method != "PEAP" || o.OuterIdentity != "anonymous" {
			t.Errorf("%s outcome %+v", name, o)
		}
		if len(o.InnerIdentities) != 1 || o.InnerIdentities[0] != "alice" || len(o.InnerMethods) != 1 || o.InnerMethods[0] != "EAP-MSCHAPv2" {
			t.Errorf("%s inner: %q %q", name, o.InnerIdentities, o.InnerMethods)
		}
		if o.FastReconnect == nil || *o.FastReconnect || o.PEAPVersion == nil || *o.PEAPVersion != 0 {
			t.Errorf("%s fast reconnect %v version %v", name, o.FastReconnect, o.PEAPVersion)
		}
		if len(o.Handshakes) != 1 || o.Handshakes[0].Kind != "full" || len(o.Handshakes[0].ServerSessionID) != 32 {
			t.Errorf("%s handshakes %+v", name, o.Handshakes)
		}
	}
	if !bytes.Equal(r.server.MSK, r.peer.MSK) || len(r.server.MSK) != 64 {
		t.Fatalf("MSKs differ: %x / %x", r.server.MSK, r.peer.MSK)
	}
	if !bytes.Equal(r.result.RecvKey, r.peer.MSK[:32]) || !bytes.Equal(r.result.SendKey, r.peer.MSK[32:]) {
		t.Errorf("MPPE keys at the NAS do not match the peer's MSK")
	}
	t.Logf("%d datagrams: %v", len(r.wire), radiusCodes(t, r.wire))
}

func TestPEAPFullHandshakeOnTheWire(t *testing.T) {
	c := newClock()
	n := newNode("peap wire server", c, Policy{EnableSessionResume: true}, users)
	p := newPEAPSupplicant("peap wire peer", c, "alice", "Passw0rd!", nil)
	r := authenticate(t, "peap wire", n, p)
	if r.err != nil || r.result.Code != radius.CodeAccessAccept {
		t.Fatalf("%v", r)
	}
	v := inspect(t, r)
	t.Logf("peer: %v", v.messages[0])
	t.Logf("server: %v", v.messages[1])
	t.Logf("eap: %v", v.eapTypes)
}

func TestPEAPTsharkDecrypts(t *testing.T) {
	c := newClock()
	var keys keyLog
	n := newNode("peap tshark server", c, Policy{EnableSessionResume: true}, users)
	p := newPEAPSupplicant("peap tshark peer", c, "alice", "Passw0rd!", func(cfg *PeerConfig) { cfg.KeyLog = keys.add })
	r := authenticate(t, "peap tshark", n, p)
	if r.err != nil || r.result.Code != radius.CodeAccessAccept {
		t.Fatalf("%v", r)
	}
	v := tsharkRead(t, r, keys.buf.Bytes())
	if len(v.problems) > 0 {
		t.Errorf("tshark found problems: %q", v.problems)
	}
	if v.invalidAuth > 0 || v.validAuth != len(r.wire)/2 {
		t.Errorf("tshark: %d valid and %d invalid Response Authenticators, want %d valid", v.validAuth, v.invalidAuth, len(r.wire)/2)
	}
	if strings.Join(v.identities, ",") != "anonymous,alice" {
		t.Errorf("identities %q: want the outer one and, decrypted, the inner one", v.identities)
	}
	if strings.Join(v.mschapOps, ",") != "1,2,3,3" {
		t.Errorf("MSCHAPv2 op-codes %q, want Challenge, Response, Success, Success ack", v.mschapOps)
	}
	if len(v.mschapMsgs) != 1 || !strings.HasPrefix(v.mschapMsgs[0], "S=") {
		t.Errorf("MSCHAPv2 messages %q", v.mschapMsgs)
	}
	if strings.Join(v.tlvStatus, ",") != "1,1" {
		t.Errorf("Result TLV status %q, want success both ways", v.tlvStatus)
	}
}

// twoRuns authenticates the same peer twice against n1 then n2 (the same
// node when n2 is nil), with the clock moved by gap in between.
func twoRuns(t *testing.T, seed string, c *clock, n1, n2 *node, p *Peer, gap time.Duration) (*run, *run) {
	t.Helper()
	first := authenticate(t, seed+" 1", n1, p)
	if first.err != nil || first.result.Code != radius.CodeAccessAccept {
		t.Fatalf("first authentication: %v", first)
	}
	c.advance(gap)
	if n2 == nil {
		n2 = n1
	}
	second := authenticate(t, seed+" 2", n2, p)
	if second.err != nil {
		t.Fatalf("second authentication: %v", second)
	}
	return first, second
}

func TestPEAPResumedWithFastReconnect(t *testing.T) {
	c := newClock()
	n := newNode("peap fr server", c, Policy{EnableSessionResume: true, EnableFastReconnect: true}, users)
	p := newPEAPSupplicant("peap fr peer", c, "alice", "Passw0rd!", nil)
	first, second := twoRuns(t, "peap fr", c, n, nil, p, time.Hour)
	if second.result.Code != radius.CodeAccessAccept {
		t.Fatalf("resumed authentication rejected: %v", second)
	}
	v1, v2 := inspect(t, first), inspect(t, second)
	if len(v1.serverHelloIDs) != 1 || len(v1.serverHelloIDs[0]) != 32 || len(v1.clientHelloIDs[0]) != 0 {
		t.Fatalf("first handshake IDs: client %x server %x", v1.clientHelloIDs, v1.serverHelloIDs)
	}
	if !bytes.Equal(v2.clientHelloIDs[0], v1.serverHelloIDs[0]) || !bytes.Equal(v2.serverHelloIDs[0], v1.serverHelloIDs[0]) {
		t.Errorf("second handshake: offered %x, answered %x, want both %x", v2.clientHelloIDs[0], v2.serverHelloIDs[0], v1.serverHelloIDs[0])
	}
	if got := strings.Join(v2.messages[1], ","); got != "ServerHello,ChangeCipherSpec,EncryptedHandshake" {
		t.Errorf("server's resumed flight %s", got)
	}
	// Phase 2 of a fast reconnect: the Result TLV and its answer only.
	if v2.appRecords != [2]int{1, 1} {
		t.Errorf("application records in phase 2: %v, want one each way", v2.appRecords)
	}
	for name, o := range map[string]*Outcome{"server": second.server, "peer": second.peer} {
		h := o.Handshakes
		if !o.Success || len(h) != 1 || h[0].Kind != "abbreviated" || h[0].Resumption != "session-id" || h[0].ResumptionRefused {
			t.Errorf("%s: success %v handshakes %+v", name, o.Success, h)
		}
		if o.FastReconnect == nil || !*o.FastReconnect || len(o.InnerMethods) != 0 || len(o.InnerIdentities) != 0 {
			t.Errorf("%s: fast reconnect %v, inner %q %q", name, o.FastReconnect, o.InnerIdentities, o.InnerMethods)
		}
	}
	if bytes.Equal(first.peer.MSK, second.peer.MSK) || !bytes.Equal(second.peer.MSK, second.server.MSK) {
		t.Error("resumed MSK must be new and agreed")
	}
}

func TestPEAPResumedFastReconnectOffOnServer(t *testing.T) {
	c := newClock()
	n := newNode("peap nofr server", c, Policy{EnableSessionResume: true, EnableFastReconnect: false}, users)
	p := newPEAPSupplicant("peap nofr peer", c, "alice", "Passw0rd!", nil)
	_, second := twoRuns(t, "peap nofr", c, n, nil, p, time.Minute)
	if second.result.Code != radius.CodeAccessAccept {
		t.Fatalf("%v", second)
	}
	for name, o := range map[string]*Outcome{"server": second.server, "peer": second.peer} {
		if o.Handshakes[0].Kind != "abbreviated" || o.FastReconnect == nil || *o.FastReconnect {
			t.Errorf("%s: %s handshake, fast reconnect %v; want abbreviated and false", name, o.Handshakes[0].Kind, o.FastReconnect)
		}
		if len(o.InnerMethods) != 1 || o.InnerMethods[0] != "EAP-MSCHAPv2" || o.InnerIdentities[0] != "alice" {
			t.Errorf("%s: inner %q %q, want alice with EAP-MSCHAPv2", name, o.InnerIdentities, o.InnerMethods)
		}
	}
}

func TestPEAPFastReconnectOffOnPeer(t *testing.T) {
	c := newClock()
	n := newNode("peap peer nofr server", c, Policy{EnableSessionResume: true, EnableFastReconnect: true}, users)
	p := newPEAPSupplicant("peap peer nofr peer", c, "alice", "Passw0rd!", func(cfg *PeerConfig) { cfg.FastReconnect = false })
	_, second := twoRuns(t, "peap peer nofr", c, n, nil, p, time.Minute)
	if second.result.Code != radius.CodeAccessReject || second.peer.Success || second.server.Success {
		t.Fatalf("a peer without fast reconnect accepted a skipped inner method: %v", second)
	}
	if !strings.Contains(second.peer.FailureReason, "fast reconnect is off") {
		t.Errorf("peer's reason: %q", second.peer.FailureReason)
	}
	if p.Session(eap.TypePEAP) != nil {
		t.Error("the peer kept the TLS session of a failed authentication")
	}
}

func TestPEAPResumptionRefusedBySecondNode(t *testing.T) {
	c := newClock()
	pol := Policy{EnableSessionResume: true, EnableFastReconnect: true}
	n1 := newNode("peap node 1", c, pol, users)
	n2 := newNode("peap node 2", c, pol, users)
	p := newPEAPSupplicant("peap two nodes peer", c, "alice", "Passw0rd!", nil)
	first, second := twoRuns(t, "peap two nodes", c, n1, n2, p, time.Minute)
	if second.result.Code != radius.CodeAccessAccept {
		t.Fatalf("%v", second)
	}
	v1, v2 := inspect(t, first), inspect(t, second)
	if !bytes.Equal(v2.clientHelloIDs[0], v1.serverHelloIDs[0]) {
		t.Fatalf("the peer did not offer its session")
	}
	if len(v2.serverHelloIDs[0]) != 32 || bytes.Equal(v2.serverHelloIDs[0], v1.serverHelloIDs[0]) {
		t.Errorf("second node answered ID %x, want a new one", v2.serverHelloIDs[0])
	}
	for name, o := range map[string]*Outcome{"server": second.server, "peer": second.peer} {
		h := o.Handshakes[0]
		if h.Kind != "full" || !h.ResumptionRefused || *o.FastReconnect {
			t.Errorf("%s: %+v fast reconnect %v", name, h, *o.FastReconnect)
		}
	}
}

func TestPEAPCacheLifetimeExpiry(t *testing.T) {
	c := newClock()
	n := newNode("peap expiry server", c, Policy{EnableSessionResume: true, EnableFastReconnect: true}, users)
	p := newPEAPSupplicant("peap expiry peer", c, "alice", "Passw0rd!", nil)
	// Within the default lifetime (7200 s) the session resumes...
	_, within := twoRuns(t, "peap expiry a", c, n, nil, p, DefaultSessionTimeout-time.Minute)
	if within.server.Handshakes[0].Kind != "abbreviated" {
		t.Fatalf("resumption refused within the cache lifetime: %+v", within.server.Handshakes[0])
	}
	// ...past it, it does not, and a new ID is assigned.
	c.advance(DefaultSessionTimeout + time.Second)
	late := authenticate(t, "peap expiry b", n, p)
	if late.err != nil || late.result.Code != radius.CodeAccessAccept {
		t.Fatalf("%v", late)
	}
	h := late.server.Handshakes[0]
	if h.Kind != "full" || !h.ResumptionRefused || bytes.Equal(h.ServerSessionID, h.OfferedSessionID) {
		t.Errorf("after expiry: %+v", h)
	}
	if *late.server.FastReconnect || len(late.server.InnerMethods) != 1 {
		t.Errorf("after expiry the inner method must run: %+v", late.server)
	}
}

func TestPEAPSessionResumeDisabled(t *testing.T) {
	c := newClock()
	n := newNode("peap nocache server", c, Policy{EnableSessionResume: false, EnableFastReconnect: true}, users)
	p := newPEAPSupplicant("peap nocache peer", c, "alice", "Passw0rd!", nil)
	first, second := twoRuns(t, "peap nocache", c, n, nil, p, time.Minute)
	v1, v2 := inspect(t, first), inspect(t, second)
	if len(v1.serverHelloIDs[0]) != 0 || len(v2.serverHelloIDs[0]) != 0 || len(v2.clientHelloIDs[0]) != 0 {
		t.Errorf("with the cache off: IDs %x then %x offered %x; want all empty", v1.serverHelloIDs[0], v2.serverHelloIDs[0], v2.clientHelloIDs[0])
	}
	if second.server.Handshakes[0].Kind != "full" || second.server.Handshakes[0].ResumptionRefused {
		t.Errorf("second handshake %+v", second.server.Handshakes[0])
	}
}

func TestPEAPWrongPassword(t *testing.T) {
	c := newClock()
	var keys keyLog
	n := newNode("peap wrong server", c, Policy{EnableSessionResume: true}, users)
	p := newPEAPSupplicant("peap wrong peer", c, "alice", "not-the-password", func(cfg *PeerConfig) { cfg.KeyLog = keys.add })
	r := authenticate(t, "peap wrong", n, p)
	if r.err != nil || r.result.Code != radius.CodeAccessReject || r.result.RecvKey != nil {
		t.Fatalf("want Access-Reject without keys: %v", r)
	}
	for name, o := range map[string]*Outcome{"server": r.server, "peer": r.peer} {
		if o.Success || o.EAPResult != ResultFailure || !strings.Contains(o.FailureReason, "E=691") {
			t.Errorf("%s: %+v", name, o)
		}
		if len(o.InnerMethods) != 1 || o.InnerIdentities[0] != "alice" {
			t.Errorf("%s inner %q %q", name, o.InnerIdentities, o.InnerMethods)
		}
	}
	if p.Session(eap.TypePEAP) != nil {
		t.Error("session kept after failure")
	}
	if codes := radiusCodes(t, r.wire); codes[len(codes)-1] != "Access-Reject" {
		t.Errorf("codes %v", codes)
	}
	v := tsharkRead(t, r, keys.buf.Bytes())
	if strings.Join(v.mschapOps, ",") != "1,2,4,4" || len(v.mschapMsgs) != 1 || !strings.HasPrefix(v.mschapMsgs[0], "E=691 R=0 C=") {
		t.Errorf("tshark: op-codes %q messages %q", v.mschapOps, v.mschapMsgs)
	}
	if strings.Join(v.tlvStatus, ",") != "2,2" || len(v.problems) > 0 {
		t.Errorf("tshark: Result TLV %q, problems %q", v.tlvStatus, v.problems)
	}
}

func TestPEAPUnknownUser(t *testing.T) {
	c := newClock()
	n := newNode("peap unknown server", c, Policy{}, users)
	r := authenticate(t, "peap unknown", n, newPEAPSupplicant("peap unknown peer", c, "mallory", "x", nil))
	if r.result == nil || r.result.Code != radius.CodeAccessReject || !strings.Contains(r.server.FailureReason, "E=691") {
		t.Fatalf("%v", r)
	}
}

// TestPEAPTicketResumptionAcrossNodes: two nodes sharing a ticket key
// resume each other's sessions (RFC 5077), where session IDs could not.
func TestPEAPTicketResumptionAcrossNodes(t *testing.T) {
	c := newClock()
	key := &tlsengine.TicketKey{Name: [16]byte{1}, AESKey: [16]byte{2}, HMACKey: [32]byte{3}}
	withKey := func(cfg *ServerConfig) { cfg.TicketKey = key }
	pol := Policy{EnableSessionResume: true, EnableFastReconnect: true}
	n1 := newNodeWith("ticket node 1", c, pol, users, withKey)
	n2 := newNodeWith("ticket node 2", c, pol, users, withKey)
	p := newPEAPSupplicant("ticket peer", c, "alice", "Passw0rd!", func(cfg *PeerConfig) { cfg.OfferTicket = true })
	first, second := twoRuns(t, "ticket", c, n1, n2, p, time.Minute)
	if !first.server.Handshakes[0].TicketIssued {
		t.Fatalf("no ticket issued: %+v", first.server.Handshakes[0])
	}
	if second.result.Code != radius.CodeAccessAccept {
		t.Fatalf("%v", second)
	}
	for name, o := range map[string]*Outcome{"server": second.server, "peer": second.peer} {
		h := o.Handshakes[0]
		if h.Kind != "abbreviated" || h.Resumption != "session-ticket" || !h.OfferedTicket || !*o.FastReconnect {
			t.Errorf("%s: %+v", name, h)
		}
	}
}
