package eapfast

import (
	"bytes"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/fastpac"
)

// phase2Seeds are phase-2 messages of both directions, built as the two
// ends build them.
func phase2Seeds() [][]byte {
	var nonce [32]byte
	cb := fast.CryptoBinding{Version: 1, ReceivedVersion: 1, Nonce: fast.ServerNonce(nonce)}
	cb.Sign(make([]byte, 20))
	identity := (&eap.Packet{Code: eap.CodeRequest, Identifier: 2, Type: eap.TypeIdentity}).Marshal()
	answer := (&eap.Packet{Code: eap.CodeResponse, Identifier: 2, Type: eap.TypeIdentity, Data: []byte(userName)}).Marshal()
	join := func(vs ...fast.Value) []byte {
		var p payload
		for _, v := range vs {
			p.add(v)
		}
		return p
	}
	return [][]byte{
		join(&fast.IdentityType{Identity: fast.IdentityUser}, eapPayload(identity)),
		join(&fast.IdentityType{Identity: fast.IdentityMachine}, eapPayload(answer), &fast.PAC{Opaque: []byte{1, 2, 3}}),
		join(&fast.IntermediateResult{Status: fast.StatusSuccess}, &cb),
		join(&fast.IntermediateResult{Status: fast.StatusFailure}),
		join(&fast.Result{Status: fast.StatusSuccess}, &cb),
		join(&fast.Result{Status: fast.StatusSuccess}, &fast.PAC{Key: make([]byte, 32), Opaque: []byte{1}, Info: &fast.PACInfo{AID: aid}}),
		join(&fast.RequestAction{Action: fast.ActionProcessTLV}, &fast.PAC{Type: fast.PACTypeTunnel}, &fast.PAC{Ack: fast.StatusSuccess}),
	}
}

// FuzzPhase2 feeds any bytes, as the peer's phase-2 message, to the
// server in each state a conversation can be in, and, as the server's
// message, to the peer. Neither may panic; every answer must be a
// phase-2 payload that parses.
func FuzzPhase2(f *testing.F) {
	for _, s := range phase2Seeds() {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, state uint8) {
		pol := fullPolicy
		pol.EnableEAPChaining = state&1 == 1
		l := newLab(t, "fuzz", pol)
		sm := &serverMethod{srv: l.fast, ctx: &eapauth.ServerContext{Server: l.eap, Outcome: &eapauth.Outcome{}},
			pol: &l.fast.cfg.Policy, truth: &Truth{Tunnel: "certificate", Provisioning: "authenticated"}}
		p := newServerPhase2(sm, fast.NewKeyChain(make([]byte, 40)), nil)
		if state&2 == 2 {
			p.prov = &fast.ProvisioningKeys{SessionKeySeed: make([]byte, 40)}
		}
		if _, err := p.start(1); err != nil {
			t.Fatal(err)
		}
		switch state >> 2 & 3 {
		case 1:
			p.binding(p.keys.Next(nil))
		case 2:
			p.final, p.finalOK = true, true
		}
		if step, err := p.handle(data); err == nil && len(step.Send) > 0 {
			if _, _, err := fast.ParseValues(step.Send); err != nil {
				t.Fatalf("server sent an unparseable payload: %v", err)
			}
		}

		store := new(fastpac.Store)
		pm := &peerMethod{cfg: &PeerConfig{Store: store, User: userCreds(), Machine: machineCreds(), UsePACs: true,
			FastReconnect: true, EAPChaining: true, UserMethods: []eap.Type{eap.TypeMSCHAPv2}, MachineMethods: []eap.Type{eap.TypeMSCHAPv2}},
			first: true, results: map[fast.Identity]bool{}, truth: &Truth{}, keys: fast.NewKeyChain(make([]byte, 40))}
		pm.ctx = &eapauth.PeerContext{Outcome: &eapauth.Outcome{}, Peer: eapauth.NewPeer(eapauth.PeerConfig{
			Rand: bytes.NewReader(make([]byte, 1<<12)), Time: func() time.Time { return l.clock.t }})}
		if step, err := pm.ApplicationData(nil, data); err == nil && len(step.Send) > 0 {
			if _, _, err := fast.ParseValues(step.Send); err != nil {
				t.Fatalf("peer sent an unparseable payload: %v", err)
			}
		}
	})
}
