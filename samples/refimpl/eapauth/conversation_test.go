package eapauth

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/radiusnode"
)

// TestDeterministic: the same seeds give byte-identical conversations.
func TestDeterministic(t *testing.T) {
	play := func() []wireDatagram {
		c := newClock()
		n := newNode("determinism server", c, Policy{EnableSessionResume: true, EnableFastReconnect: true}, users)
		p := newPEAPSupplicant("determinism peer", c, "alice", "Passw0rd!", nil)
		first, second := twoRuns(t, "determinism", c, n, nil, p, time.Minute)
		return append(first.wire, second.wire...)
	}
	a, b := play(), play()
	if len(a) != len(b) {
		t.Fatalf("%d then %d datagrams", len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i].pkt, b[i].pkt) {
			t.Fatalf("datagram %d differs between two runs", i)
		}
	}
}

// TestStandaloneMSCHAPv2: an Authenticator and a PeerConversation talk
// EAP-MSCHAPv2 directly, as they do inside a tunnel: Identity request,
// Challenge, Response, Success, acknowledgement, EAP-Success.
func TestStandaloneMSCHAPv2(t *testing.T) {
	c := newClock()
	srv := NewServer(ServerConfig{Rand: detrand.New("standalone server"), Time: c.now, Passwords: users,
		Policy: Policy{AllowedMethods: []eap.Type{eap.TypeMSCHAPv2}}})
	peer := NewPeer(PeerConfig{Rand: detrand.New("standalone peer"), Time: c.now,
		Credentials: Credentials{Identity: "bob", Password: "hunter2"}, Methods: []eap.Type{eap.TypeMSCHAPv2}})
	a := srv.NewConversation()
	pc := peer.NewConversation()
	msg := a.Start(42)
	var types []string
	for range 10 {
		e, err := eap.Parse(msg)
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, e.Code.String()+"/"+e.MethodName())
		if e.Type == eap.TypeMSCHAPv2 {
			m, err := eap.ParseMSCHAPv2(e)
			if err != nil {
				t.Fatalf("dissect/eap refuses %x: %v", msg, err)
			}
			types[len(types)-1] += "/" + m.OpCodeName()
		}
		resp, err := pc.Respond(msg)
		if err != nil {
			t.Fatal(err)
		}
		if resp == nil {
			break
		}
		r, _ := eap.Parse(resp)
		if r.Identifier != e.Identifier {
			t.Errorf("response %d to request %d", r.Identifier, e.Identifier)
		}
		msg, _ = a.Process(resp)
	}
	want := "Request/Identity Request/EAP-MSCHAPv2/Challenge Request/EAP-MSCHAPv2/Success Success/"
	if got := strings.Join(types, " "); got != want {
		t.Errorf("conversation %s\nwant %s", got, want)
	}
	if a.Verdict() != Succeeded || !pc.Outcome().Success || !bytes.Equal(a.MSK(), pc.Outcome().MSK) || len(a.MSK()) != 32 {
		t.Errorf("verdict %s, peer %+v", a.Verdict(), pc.Outcome())
	}
}

// TestOuterMSCHAPv2OverRADIUS: plain EAP-MSCHAPv2 as the outer method; its
// 32-octet MSK becomes two 16-octet MPPE keys.
func TestOuterMSCHAPv2OverRADIUS(t *testing.T) {
	c := newClock()
	n := newNode("outer mschap server", c, Policy{AllowedMethods: []eap.Type{eap.TypeMSCHAPv2}}, users)
	p := NewPeer(PeerConfig{Rand: detrand.New("outer mschap peer"), Time: c.now,
		Credentials: Credentials{Identity: "bob", Password: "hunter2"}, Methods: []eap.Type{eap.TypeMSCHAPv2}})
	r := authenticate(t, "outer mschap", n, p)
	if r.err != nil || r.result.Code != radius.CodeAccessAccept {
		t.Fatalf("%v", r)
	}
	if len(r.result.RecvKey) != 16 || !bytes.Equal(append(r.result.RecvKey, r.result.SendKey...), r.peer.MSK) {
		t.Errorf("MPPE keys %x %x, MSK %x", r.result.RecvKey, r.result.SendKey, r.peer.MSK)
	}
	inspect(t, r)
}

// TestPeerRejectsUnknownServer: a peer trusting another CA refuses the
// server's certificate with an alert; the server ends in EAP-Failure.
func TestPeerRejectsUnknownServer(t *testing.T) {
	c := newClock()
	n := newNode("untrusted server", c, Policy{}, users)
	p := newPEAPSupplicant("untrusted peer", c, "alice", "Passw0rd!", func(cfg *PeerConfig) { cfg.RootCAs = x509EmptyPool() })
	r := authenticate(t, "untrusted", n, p)
	if r.err != nil || r.result.Code != radius.CodeAccessReject {
		t.Fatalf("%v", r)
	}
	v := inspect(t, r)
	if len(v.alerts[0]) != 1 {
		t.Errorf("peer alerts %v", v.alerts[0])
	}
	if h := r.server.Handshakes[0]; h.Kind != "failed" || h.AlertSentByUs {
		t.Errorf("server handshake %+v", h)
	}
	if r.peer.Success || !strings.Contains(r.peer.FailureReason, "TLS") {
		t.Errorf("peer %+v", r.peer)
	}
}

// TestLostAnswerIsResent: an Access-Challenge lost on the way makes the
// NAS retransmit; the server answers from its duplicate cache and the
// conversation goes on unharmed.
func TestLostAnswerIsResent(t *testing.T) {
	c := newClock()
	n := newNode("lost answer server", c, Policy{}, users)
	p := newPEAPSupplicant("lost answer peer", c, "alice", "Passw0rd!", nil)
	r := &run{}
	answers := 0
	nas := &radiusnode.NAS{
		Secret: bedSecret, Rand: detrand.New("lost answer nas"), PortType: radiusnode.PortTypeWireless,
		Transport: &radiusnode.MemoryTransport{Server: n.radius, Source: "192.0.2.10:50000",
			Record: func(fromNAS bool, pkt []byte) { r.wire = append(r.wire, wireDatagram{fromNAS, bytes.Clone(pkt)}) },
			Lose: func(fromNAS bool, pkt []byte) bool {
				if fromNAS {
					return false
				}
				answers++
				return answers == 3
			}},
	}
	conv := p.NewConversation()
	res, err := nas.Authenticate(conv)
	if err != nil || res.Code != radius.CodeAccessAccept || !conv.Outcome().Success {
		t.Fatalf("%v %v", err, conv.Outcome())
	}
	if n.radius.Duplicates() != 1 || !bytes.Equal(r.wire[4].pkt, r.wire[6].pkt) || !bytes.Equal(r.wire[5].pkt, r.wire[7].pkt) {
		t.Errorf("duplicates %d; retransmission not byte-identical", n.radius.Duplicates())
	}
}

func TestUnknownStateIsRejected(t *testing.T) {
	c := newClock()
	n := newNode("state server", c, Policy{}, users)
	ans := n.eap.ServeEAP([]byte("no such state"), (&eap.Packet{Code: eap.CodeResponse, Identifier: 9, Type: eap.TypePEAP, Data: []byte{0}}).Marshal())
	if e, err := eap.Parse(ans.EAP); err != nil || e.Code != eap.CodeFailure || e.Identifier != 9 {
		t.Errorf("answer %x", ans.EAP)
	}
	// A response with the wrong identifier is discarded.
	first := n.eap.ServeEAP(nil, (&eap.Packet{Code: eap.CodeResponse, Identifier: 1, Type: eap.TypeIdentity, Data: []byte("alice")}).Marshal())
	stale := n.eap.ServeEAP(first.State, (&eap.Packet{Code: eap.CodeResponse, Identifier: 1, Type: eap.TypePEAP, Data: []byte{0}}).Marshal())
	if stale.EAP != nil {
		t.Errorf("response with a stale identifier answered: %x", stale.EAP)
	}
}

func TestIdleConversationsExpire(t *testing.T) {
	c := newClock()
	n := newNode("idle server", c, Policy{}, users)
	first := n.eap.ServeEAP(nil, (&eap.Packet{Code: eap.CodeResponse, Identifier: 1, Type: eap.TypeIdentity, Data: []byte("alice")}).Marshal())
	c.advance(2 * conversationIdle)
	late := n.eap.ServeEAP(first.State, (&eap.Packet{Code: eap.CodeResponse, Identifier: 2, Type: eap.TypePEAP, Data: []byte{0}}).Marshal())
	if e, err := eap.Parse(late.EAP); err != nil || e.Code != eap.CodeFailure {
		t.Errorf("expired conversation answered %x", late.EAP)
	}
}
