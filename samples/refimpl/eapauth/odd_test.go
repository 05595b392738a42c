package eapauth

import (
	"bytes"
	"testing"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
)

// TestPeerOddRequests: requests a peer cannot use get an error, not a
// panic and not a response.
func TestPeerOddRequests(t *testing.T) {
	odd := map[string][]byte{
		"Nak as a request":      (&eap.Packet{Code: eap.CodeRequest, Identifier: 2, Type: eap.TypeNak, Data: []byte{13}}).Marshal(),
		"expanded type":         (&eap.Packet{Code: eap.CodeRequest, Identifier: 2, Type: eap.TypeExpanded, VendorID: 9, VendorType: 1}).Marshal(),
		"response":              (&eap.Packet{Code: eap.CodeResponse, Identifier: 2, Type: eap.TypeIdentity}).Marshal(),
		"TLS data before Start": eap.TLSFragment{Method: eap.TypeTLS, Data: []byte{22, 3, 3, 0, 0}}.Packet(eap.CodeRequest, 2).Marshal(),
		"truncated":             {1, 2, 0, 9, 13},
	}
	for name, msg := range odd {
		p := newTLSSupplicant("odd peer", newClock(), pki.Client(), nil)
		conv := p.NewConversation()
		resp, err := conv.Respond(msg)
		if err == nil || resp != nil {
			t.Errorf("%s: response %x, err %v", name, resp, err)
		}
	}
}

// TestServerOddResponses: a conversation fails or discards on nonsense.
func TestServerOddResponses(t *testing.T) {
	n := newNode("odd server", newClock(), Policy{}, users)
	identity := (&eap.Packet{Code: eap.CodeResponse, Identifier: 1, Type: eap.TypeIdentity, Data: []byte("alice")}).Marshal()
	cases := map[string]struct {
		second []byte
		want   eap.Code // 0: discarded
	}{
		"another method's response": {(&eap.Packet{Code: eap.CodeResponse, Identifier: 2, Type: eap.TypeMD5, Data: []byte{1, 0}}).Marshal(), eap.CodeFailure},
		"malformed Nak":             {(&eap.Packet{Code: eap.CodeResponse, Identifier: 2, Type: eap.TypeNak}).Marshal(), eap.CodeFailure},
		"request instead":           {(&eap.Packet{Code: eap.CodeRequest, Identifier: 2, Type: eap.TypePEAP, Data: []byte{0}}).Marshal(), 0},
		"bad TLS fragment":          {(&eap.Packet{Code: eap.CodeResponse, Identifier: 2, Type: eap.TypePEAP, Data: []byte{0x80, 0, 9}}).Marshal(), eap.CodeFailure},
		// The server answers with its fatal alert first (RFC 5216 section 2.1.3).
		"TLS garbage": {eap.TLSFragment{Method: eap.TypePEAP, Data: []byte("not TLS at all")}.Packet(eap.CodeResponse, 2).Marshal(), eap.CodeRequest},
		"oversized L": {eap.TLSFragment{Method: eap.TypePEAP, Flags: eap.FlagMore, HasLength: true, MessageLength: 1 << 30, Data: []byte{22}}.Packet(eap.CodeResponse, 2).Marshal(), eap.CodeFailure},
	}
	for name, c := range cases {
		first := n.eap.ServeEAP(nil, identity)
		ans := n.eap.ServeEAP(first.State, c.second)
		var got eap.Code
		if ans.EAP != nil {
			p, err := eap.Parse(ans.EAP)
			if err != nil {
				t.Fatal(err)
			}
			got = p.Code
			if got == eap.CodeRequest {
				f, _ := eap.ParseTLSFragment(p)
				if len(f.Data) != 7 || f.Data[0] != 21 {
					t.Errorf("%s: request carries %x, want an alert record", name, f.Data)
				}
			}
		}
		if got != c.want {
			t.Errorf("%s: answered %v, want %v", name, got, c.want)
		}
	}
}

// TestPeerAnswersRetransmissionAgain: the same request twice gets the same
// response, and the method sees it once.
func TestPeerAnswersRetransmissionAgain(t *testing.T) {
	c := newClock()
	srv := NewServer(ServerConfig{Rand: detrand.New("retrans server"), Time: c.now, Passwords: users,
		Policy: Policy{AllowedMethods: []eap.Type{eap.TypeMSCHAPv2}}})
	peer := NewPeer(PeerConfig{Rand: detrand.New("retrans peer"), Time: c.now,
		Credentials: Credentials{Identity: "bob", Password: "hunter2"}, Methods: []eap.Type{eap.TypeMSCHAPv2}})
	a, pc := srv.NewConversation(), peer.NewConversation()
	id, _ := pc.Respond(a.Start(1))
	challenge, _ := a.Process(id)
	r1, err1 := pc.Respond(challenge)
	r2, err2 := pc.Respond(challenge)
	if err1 != nil || err2 != nil || !bytes.Equal(r1, r2) {
		t.Fatalf("retransmitted Challenge: %x (%v) then %x (%v)", r1, err1, r2, err2)
	}
	if next, v := a.Process(r2); v != Continue || next == nil {
		t.Fatal("the repeated response does not continue the conversation")
	}
}
