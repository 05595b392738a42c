package eapauth

import (
	"bytes"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
)

// The fuzz targets replay sequences of EAP packets (each prefixed with a
// 2-octet length) into a server or a peer whose seeds and clock are those
// of the recorded runs used as seeds: since both ends are deterministic,
// the recorded packets drive them deep into the TLS and inner-method
// state machines, and the fuzzer's mutations start from there.

func packSequence(pkts [][]byte) []byte {
	var b cryptobyte.Builder
	for _, p := range pkts {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(p) })
	}
	return b.BytesOrPanic()
}

func unpackSequence(data []byte) [][]byte {
	var out [][]byte
	s := cryptobyte.String(data)
	for !s.Empty() && len(out) < 64 {
		var p cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&p) {
			out = append(out, s)
			break
		}
		out = append(out, p)
	}
	return out
}

// fuzzRuns plays the seed conversations and returns them.
func fuzzRuns(tt testing.TB) []*run {
	var runs []*run
	c := newClock()
	n := newNode("fuzz peap server", c, Policy{EnableSessionResume: true, EnableFastReconnect: true}, users)
	p := newPEAPSupplicant("fuzz peap peer", c, "alice", "Passw0rd!", nil)
	runs = append(runs, authenticate(tt, "fuzz peap", n, p))
	c.advance(time.Minute)
	runs = append(runs, authenticate(tt, "fuzz peap again", n, p))
	c2 := newClock()
	n2 := newNode("fuzz tls server", c2, Policy{AllowedMethods: []eap.Type{eap.TypeTLS}}, nil)
	runs = append(runs, authenticate(tt, "fuzz tls", n2, newTLSSupplicant("fuzz tls peer", c2, pki.Client(), nil)))
	c3 := newClock()
	n3 := newNode("fuzz wrong server", c3, Policy{}, users)
	runs = append(runs, authenticate(tt, "fuzz wrong", n3, newPEAPSupplicant("fuzz wrong peer", c3, "alice", "nope", nil)))
	return runs
}

// eapOf returns the EAP packets of one direction of a run.
func eapOf(r *run, fromNAS bool) [][]byte {
	var out [][]byte
	for _, d := range r.wire {
		if d.fromNAS != fromNAS {
			continue
		}
		p, err := radius.Parse(d.pkt)
		if err != nil {
			continue
		}
		if msg, ok := p.EAPMessage(); ok {
			out = append(out, msg)
		}
	}
	return out
}

// TestFuzzSeedsReplay: replaying a recorded run's responses into a fresh
// node with the same seeds reproduces the conversation to its end, so the
// fuzz seeds reach the deep states.
func TestFuzzSeedsReplay(t *testing.T) {
	r := fuzzRuns(t)[0]
	c := newClock()
	n := newNode("fuzz peap server", c, Policy{EnableSessionResume: true, EnableFastReconnect: true}, users)
	var state []byte
	var last []byte
	for _, msg := range unpackSequence(packSequence(eapOf(r, true))) {
		ans := n.eap.ServeEAP(state, msg)
		state, last = ans.State, ans.EAP
	}
	if e, err := eap.Parse(last); err != nil || e.Code != eap.CodeSuccess {
		t.Fatalf("replay ended with %x", last)
	}
	p := newPEAPSupplicant("fuzz peap peer", newClock(), "alice", "Passw0rd!", nil)
	conv := p.NewConversation()
	conv.Respond((&eap.Packet{Code: eap.CodeRequest, Identifier: 1, Type: eap.TypeIdentity}).Marshal())
	for _, msg := range eapOf(r, false) {
		if _, err := conv.Respond(msg); err != nil {
			t.Fatalf("peer replay: %v", err)
		}
	}
	if !conv.Outcome().Success {
		t.Fatalf("peer replay: %+v", conv.Outcome())
	}
}

// FuzzServerConversation feeds EAP responses to a node's ServeEAP,
// following the State it hands out. It must never panic.
func FuzzServerConversation(f *testing.F) {
	for _, r := range fuzzRuns(f) {
		f.Add(packSequence(eapOf(r, true)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := newClock()
		servers := []*node{
			newNode("fuzz peap server", c, Policy{EnableSessionResume: true, EnableFastReconnect: true}, users),
			newNode("fuzz tls server", c, Policy{AllowedMethods: []eap.Type{eap.TypeTLS}}, nil),
		}
		for _, n := range servers {
			var state []byte
			for _, msg := range unpackSequence(data) {
				ans := n.eap.ServeEAP(state, msg)
				if ans.State != nil {
					state = ans.State
				}
			}
		}
	})
}

// FuzzPeerConversation feeds EAP requests to a supplicant. It must never
// panic.
func FuzzPeerConversation(f *testing.F) {
	for _, r := range fuzzRuns(f) {
		f.Add(packSequence(eapOf(r, false)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := newClock()
		peers := []*Peer{
			newPEAPSupplicant("fuzz peap peer", c, "alice", "Passw0rd!", nil),
			newTLSSupplicant("fuzz tls peer", c, pki.Client(), nil),
			NewPeer(PeerConfig{Rand: detrand.New("fuzz mschap peer"), Time: c.now, Methods: []eap.Type{eap.TypeMSCHAPv2},
				Credentials: Credentials{Identity: "bob", Password: "hunter2"}}),
		}
		for _, p := range peers {
			conv := p.NewConversation()
			conv.Respond((&eap.Packet{Code: eap.CodeRequest, Identifier: 1, Type: eap.TypeIdentity}).Marshal())
			for _, msg := range unpackSequence(data) {
				conv.Respond(msg)
			}
		}
	})
}

// FuzzResultExtensions decodes PEAP Extensions packets.
func FuzzResultExtensions(f *testing.F) {
	f.Add(resultExtensions(eap.CodeRequest, 7, true))
	f.Add(resultExtensions(eap.CodeResponse, 7, false))
	f.Add([]byte{2, 7, 0, 15, 33, 0x80, 3, 0, 2, 0, 1, 0x80, 7, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		ok, err := parseResultExtensions(data)
		if err == nil {
			// What decodes must rebuild to a packet that decodes the same.
			again, err := parseResultExtensions(resultExtensions(eap.CodeResponse, 1, ok))
			if err != nil || again != ok {
				t.Fatalf("round trip of %v: %v %v", ok, again, err)
			}
		}
		if isExtensions(data, eap.CodeRequest) || isExtensions(data, eap.CodeResponse) {
			if _, err := eap.Parse(data); err != nil {
				t.Fatalf("isExtensions accepted undecodable %x: %v", data, err)
			}
		}
		if b, err := expandInner(eap.CodeResponse, 3, data); err == nil {
			// The header is rebuilt; the type data is the peer's business.
			p, _ := eap.Parse(b)
			if p.Code != eap.CodeResponse || p.Identifier != 3 || int(p.Length) != len(data)+4 || !bytes.Equal(b[4:], data) {
				t.Fatalf("expandInner(%x) = %x", data, b)
			}
		}
	})
}
