package radiusconv

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/timeline"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/eapfast"
)

// phase2Test drives the EAP-FAST phase 2 of one conversation with
// messages built by dissect/eapfast, as a decrypted tunnel would deliver
// them.
type phase2Test struct {
	t     *testing.T
	c     *conversation
	frame uint64
	// server is the server's side of the key chain, to sign its
	// Crypto-Binding requests as a real server would.
	server *eapfast.KeyChain
	nonce  [eapfast.NonceLen]byte
	cmk    []byte
}

var testSeed = bytes.Repeat([]byte{0x5a}, eapfast.SessionKeySeedLen)

// newPhase2Test starts a decrypted EAP-FAST conversation whose
// session_key_seed is known (known) or not.
func newPhase2Test(t *testing.T, known bool) *phase2Test {
	tr := New(Options{Emit: func(*report.Session) {}, NewID: func(string) string { return "eap-1" },
		Decrypt: &Decryption{PACs: NewPACBook(nil)}})
	c := &conversation{base: base{t: tr}}
	c.b = timeline.New(report.KindRADIUSEAP, "eap-1")
	c.obsMethod = eap.TypeFAST
	c.decrypted = true
	f := c.fastState()
	f.seedTried, f.tunnel = true, "pac"
	if known {
		f.chain = eapfast.NewKeyChain(testSeed)
	}
	return &phase2Test{t: t, c: c, server: eapfast.NewKeyChain(testSeed)}
}

func (p *phase2Test) send(dir flow.Dir, vals ...eapfast.Value) {
	p.frame++
	var b []byte
	for _, v := range vals {
		b = append(b, v.Marshal()...)
	}
	p.c.fastPhase2(dir, b, flow.Ref{Frame: p.frame, Time: time.Unix(1700000000, int64(p.frame))})
}

func inner(code eap.Code, id uint8, typ eap.Type, data string) *eapfast.EAPPayload {
	return &eapfast.EAPPayload{Packet: (&eap.Packet{Code: code, Identifier: id, Type: typ, Data: []byte(data)}).Marshal()}
}

// binding is the server's Crypto-Binding request after an inner method
// whose ISK is isk.
func (p *phase2Test) binding(isk []byte) *eapfast.CryptoBinding {
	p.cmk = p.server.Next(isk)
	p.nonce = eapfast.ServerNonce([eapfast.NonceLen]byte{1, 2, 3, byte(p.frame)})
	cb := &eapfast.CryptoBinding{Version: 1, ReceivedVersion: 1, SubType: eapfast.CryptoBindingRequest, Nonce: p.nonce}
	cb.Sign(p.cmk)
	return cb
}

// answer is the peer's Crypto-Binding response, corrupted on request.
func (p *phase2Test) answer(corrupt bool) *eapfast.CryptoBinding {
	cb := &eapfast.CryptoBinding{Version: 1, ReceivedVersion: 1, SubType: eapfast.CryptoBindingResponse, Nonce: eapfast.ResponseNonce(p.nonce)}
	cb.Sign(p.cmk)
	if corrupt {
		cb.CompoundMAC[3] ^= 0x40
	}
	return cb
}

func (p *phase2Test) events() []string {
	var out []string
	for _, e := range p.c.b.S.Timeline {
		out = append(out, e.Event)
	}
	return out
}

func (p *phase2Test) finish() *report.FAST {
	p.c.commitInner()
	p.c.fastFinish()
	p.c.handshakes = []report.TLSHandshake{{Kind: report.HandshakeAbbreviated, Resumption: report.Str(report.ResumePAC)}}
	return p.c.fastReport()
}

const (
	s2c = flow.ServerToClient
	c2s = flow.ClientToServer
)

// TestChainingPartialWithVerifiedBinding plays F7's shape with an inner
// EAP-GTC (no key: the chain stays computable): the server asks for the
// user, the peer offers the machine, which passes; asked again for the
// user, the peer offers the machine again and the user fails.
func TestChainingPartialWithVerifiedBinding(t *testing.T) {
	p := newPhase2Test(t, true)
	p.send(s2c, &eapfast.IdentityType{Identity: eapfast.IdentityUser}, inner(eap.CodeRequest, 1, eap.TypeIdentity, ""))
	p.send(c2s, &eapfast.IdentityType{Identity: eapfast.IdentityMachine}, inner(eap.CodeResponse, 1, eap.TypeIdentity, "host/pc"))
	p.send(s2c, inner(eap.CodeRequest, 2, eap.TypeGTC, "Token:"))
	p.send(c2s, inner(eap.CodeResponse, 2, eap.TypeGTC, "secret-token"))
	p.send(s2c, &eapfast.IntermediateResult{Status: eapfast.StatusSuccess}, p.binding(nil),
		&eapfast.IdentityType{Identity: eapfast.IdentityUser}, inner(eap.CodeRequest, 3, eap.TypeIdentity, ""))
	p.send(c2s, &eapfast.IntermediateResult{Status: eapfast.StatusSuccess}, p.answer(false),
		&eapfast.IdentityType{Identity: eapfast.IdentityMachine}, inner(eap.CodeResponse, 3, eap.TypeIdentity, "host/pc"))
	p.send(s2c, &eapfast.IntermediateResult{Status: eapfast.StatusFailure})
	p.send(c2s, &eapfast.IntermediateResult{Status: eapfast.StatusFailure})
	p.send(s2c, &eapfast.Result{Status: eapfast.StatusSuccess})
	p.send(c2s, &eapfast.Result{Status: eapfast.StatusSuccess})
	f := p.finish()
	if f.Chaining != "user-failed-machine-succeeded" || str(f.Cryptobinding) != "verified" || str(f.CryptobindingBasis) != "compound-mac" {
		t.Errorf("chaining %s, cryptobinding %s by %s", f.Chaining, str(f.Cryptobinding), str(f.CryptobindingBasis))
	}
	if !slices.Equal(p.c.innerMethods, []string{"EAP-GTC"}) || !slices.Equal(p.c.innerIDs, []string{"host/pc"}) {
		t.Errorf("inner %v %v", p.c.innerMethods, p.c.innerIDs)
	}
	ev := strings.Join(p.events(), "|")
	for _, want := range []string{stepText[stepChaining], stepText[stepIdentityMismatch], stepText[stepIdentitySuggested],
		stepText[stepCryptobindingOK], stepText[stepIntermediateFailure], stepText[stepPhase2Succeeded]} {
		if !strings.Contains(ev, want) {
			t.Errorf("timeline lacks %q: %s", want, ev)
		}
	}
	for _, e := range p.c.b.S.Timeline {
		if strings.Contains(e.Detail, "secret-token") {
			t.Errorf("GTC response not redacted: %s", e.Detail)
		}
	}
	if len(p.c.b.S.Evidence["fast.intermediate-failure"]) != 1 {
		t.Errorf("evidence %v", p.c.b.S.Evidence)
	}
}

// TestCryptobindingFailedByMAC: a peer whose Compound MAC does not match
// the tunnel's keys fails cryptobinding, whatever the server says next.
func TestCryptobindingFailedByMAC(t *testing.T) {
	p := newPhase2Test(t, true)
	p.send(s2c, &eapfast.Result{Status: eapfast.StatusSuccess}, p.binding(nil))
	p.send(c2s, &eapfast.Result{Status: eapfast.StatusSuccess}, p.answer(true))
	p.c.fastOuterResult(eap.CodeSuccess, flow.Ref{Frame: 9})
	f := p.finish()
	if str(f.Cryptobinding) != "failed" || str(f.CryptobindingBasis) != "compound-mac" || f.Chaining != "none" {
		t.Errorf("cryptobinding %s by %s, chaining %s", str(f.Cryptobinding), str(f.CryptobindingBasis), f.Chaining)
	}
	if len(p.c.b.S.Evidence["fast.cryptobinding-failed"]) == 0 {
		t.Error("no evidence of the failure")
	}
	// The same exchange with the right MAC verifies, with "inner method
	// skipped" on the timeline.
	p = newPhase2Test(t, true)
	p.send(s2c, &eapfast.Result{Status: eapfast.StatusSuccess}, p.binding(nil))
	p.send(c2s, &eapfast.Result{Status: eapfast.StatusSuccess}, p.answer(false))
	if f := p.finish(); str(f.Cryptobinding) != "verified" || !slices.Contains(p.events(), stepText[stepInnerSkipped]) {
		t.Errorf("cryptobinding %s, timeline %v", str(f.Cryptobinding), p.events())
	}
}

// TestCryptobindingByServerReaction: after an inner EAP-MSCHAPv2 the keys
// need the password, so the peer's binding is judged by what the server
// does next.
func TestCryptobindingByServerReaction(t *testing.T) {
	mschap := func(p *phase2Test) {
		p.send(s2c, inner(eap.CodeRequest, 1, eap.TypeIdentity, ""))
		p.send(c2s, inner(eap.CodeResponse, 1, eap.TypeIdentity, "alice"))
		p.send(s2c, inner(eap.CodeRequest, 2, eap.TypeMSCHAPv2, "\x01\x02\x00\x1a\x10"+strings.Repeat("c", 16)+"srv"))
		p.send(c2s, inner(eap.CodeResponse, 2, eap.TypeMSCHAPv2, "\x02\x02\x00\x3b\x31"+strings.Repeat("r", 49)+"alice"))
		p.send(s2c, inner(eap.CodeRequest, 3, eap.TypeMSCHAPv2, "\x03\x02\x00\x2eS="+strings.Repeat("A", 40)))
		p.send(c2s, inner(eap.CodeResponse, 3, eap.TypeMSCHAPv2, "\x03"))
	}
	for _, tc := range []struct {
		name   string
		react  func(p *phase2Test)
		result string
	}{
		{"EAP-Success", func(p *phase2Test) { p.c.fastOuterResult(eap.CodeSuccess, flow.Ref{Frame: 50}) }, "verified"},
		{"EAP-Failure", func(p *phase2Test) { p.c.fastOuterResult(eap.CodeFailure, flow.Ref{Frame: 50}) }, "failed"},
		{"Error TLV", func(p *phase2Test) {
			p.send(s2c, &eapfast.Error{Code: eapfast.ErrorTunnelCompromise}, &eapfast.Result{Status: eapfast.StatusFailure})
		}, "failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPhase2Test(t, true)
			mschap(p)
			p.send(s2c, &eapfast.Result{Status: eapfast.StatusSuccess}, p.binding(bytes.Repeat([]byte{9}, 32)))
			p.send(c2s, &eapfast.Result{Status: eapfast.StatusSuccess}, p.answer(false))
			tc.react(p)
			f := p.finish()
			if str(f.Cryptobinding) != tc.result || str(f.CryptobindingBasis) != "server-reaction" {
				t.Errorf("cryptobinding %s by %s", str(f.Cryptobinding), str(f.CryptobindingBasis))
			}
			if !slices.Equal(p.c.innerMethods, []string{"EAP-MSCHAPv2"}) || !slices.Equal(p.c.innerIDs, []string{"alice"}) {
				t.Errorf("inner %v %v", p.c.innerMethods, p.c.innerIDs)
			}
		})
	}
}

// TestPACsPresentedProvisionedAndInferred: Authorization PACs of unknown
// type presented in the first answer; the server runs both inner methods
// and provisions both Authorization PACs anew, which the peer
// acknowledges: the presented PACs were those (expired) ones.
func TestPACsPresentedProvisionedAndInferred(t *testing.T) {
	p := newPhase2Test(t, false)
	round := func(k eapfast.Identity, id uint8, name string, first bool) {
		p.send(s2c, &eapfast.IdentityType{Identity: k}, inner(eap.CodeRequest, id, eap.TypeIdentity, ""))
		answer := []eapfast.Value{&eapfast.IdentityType{Identity: k}, inner(eap.CodeResponse, id, eap.TypeIdentity, name)}
		if first {
			answer = append(answer, &eapfast.PAC{Mandatory: true, Opaque: []byte("opaque-user")}, &eapfast.PAC{Mandatory: true, Opaque: []byte("opaque-machine")})
		}
		p.send(c2s, answer...)
		p.send(s2c, inner(eap.CodeRequest, id+1, eap.TypeGTC, "Password:"))
		p.send(c2s, inner(eap.CodeResponse, id+1, eap.TypeGTC, "pw"))
	}
	round(eapfast.IdentityUser, 1, "alice", true)
	p.send(s2c, &eapfast.IntermediateResult{Status: eapfast.StatusSuccess}, p.binding(nil))
	p.send(c2s, &eapfast.IntermediateResult{Status: eapfast.StatusSuccess}, p.answer(false),
		&eapfast.RequestAction{Mandatory: true, Action: eapfast.ActionProcessTLV},
		&eapfast.PAC{Type: eapfast.PACTypeUserAuthorization}, &eapfast.PAC{Type: eapfast.PACTypeMachineAuthorization})
	round(eapfast.IdentityMachine, 3, "host/pc", false)
	p.send(s2c, &eapfast.IntermediateResult{Status: eapfast.StatusSuccess}, p.binding(nil))
	p.send(c2s, &eapfast.IntermediateResult{Status: eapfast.StatusSuccess}, p.answer(false))
	key := bytes.Repeat([]byte{7}, 32)
	p.send(s2c, &eapfast.Result{Status: eapfast.StatusSuccess},
		&eapfast.PAC{Key: key, Opaque: []byte("new-user"), Info: &eapfast.PACInfo{Type: eapfast.PACTypeUserAuthorization, IID: []byte("alice"), Lifetime: 1800000000}},
		&eapfast.PAC{Key: key, Opaque: []byte("new-machine"), Info: &eapfast.PACInfo{Type: eapfast.PACTypeMachineAuthorization, IID: []byte("host/pc")}})
	p.send(c2s, &eapfast.Result{Status: eapfast.StatusSuccess}, &eapfast.PAC{Ack: eapfast.StatusSuccess}, &eapfast.PAC{Ack: eapfast.StatusSuccess})
	f := p.finish()
	if !slices.Equal(f.PACsPresented, []string{"user-authorization", "machine-authorization"}) ||
		!slices.Equal(f.PACsProvisioned, []string{"user-authorization", "machine-authorization"}) || f.Chaining != "both-succeeded" {
		t.Errorf("presented %v, provisioned %v, chaining %s", f.PACsPresented, f.PACsProvisioned, f.Chaining)
	}
	if len(p.c.b.S.Evidence["fast.authz-pac-not-accepted"]) != 2 {
		t.Errorf("evidence %v", p.c.b.S.Evidence)
	}
	var provisioned, inferred int
	for _, s := range f.PACs {
		switch {
		case s.Event == report.PACProvisioned:
			provisioned++
			if str(s.Key) != report.Redacted || s.Acknowledged == nil || !*s.Acknowledged || s.OpaqueSHA256 == nil || len(*s.OpaqueSHA256) != 16 {
				t.Errorf("provisioned PAC %+v", s)
			}
		case s.Event == report.PACPresented && str(s.IdentifiedBy) == report.PACByInference:
			inferred++
		}
	}
	if provisioned != 2 || inferred != 2 {
		t.Errorf("%d provisioned, %d inferred: %+v", provisioned, inferred, f.PACs)
	}
	ev := strings.Join(p.events(), "|")
	if !strings.Contains(ev, stepText[stepUserAuthzExpired]) || !strings.Contains(ev, stepText[stepMachineAuthzPACDone]) {
		t.Errorf("timeline %s", ev)
	}
	// The provisioned PACs are in the book for later conversations.
	if e, ok := p.c.t.opt.Decrypt.PACs.Lookup([]byte("new-user")); !ok || e.Type != eapfast.PACTypeUserAuthorization || !bytes.Equal(e.Key, key) {
		t.Errorf("book %+v %v", e, ok)
	}
}

// TestAnonymousProvisioningRefusesAuthorization: in an anonymous tunnel
// the peer asks for Authorization PACs and gets only a Tunnel PAC.
func TestAnonymousProvisioningRefusesAuthorization(t *testing.T) {
	p := newPhase2Test(t, false)
	p.c.fast.tunnel = "anonymous"
	p.send(c2s, &eapfast.RequestAction{Mandatory: true, Action: eapfast.ActionProcessTLV},
		&eapfast.PAC{Type: eapfast.PACTypeTunnel}, &eapfast.PAC{Type: eapfast.PACTypeUserAuthorization})
	p.send(s2c, &eapfast.Result{Status: eapfast.StatusSuccess},
		&eapfast.PAC{Key: bytes.Repeat([]byte{1}, 32), Opaque: []byte("tunnel"), Info: &eapfast.PACInfo{Type: eapfast.PACTypeTunnel}})
	p.send(c2s, &eapfast.Result{Status: eapfast.StatusSuccess}, &eapfast.PAC{Ack: eapfast.StatusFailure})
	f := p.finish()
	if len(p.c.b.S.Evidence["fast.authz-pac-refused"]) != 1 || len(f.PACsProvisioned) != 0 {
		t.Errorf("evidence %v, provisioned %v", p.c.b.S.Evidence, f.PACsProvisioned)
	}
	if f.PACs[len(f.PACs)-1].Acknowledged == nil || *f.PACs[len(f.PACs)-1].Acknowledged {
		t.Errorf("refused acknowledgement: %+v", f.PACs)
	}
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
