package eapfast

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
)

// slot is one identity the conversation authenticates: the user or the
// machine in EAP chaining, or the one identity of a conversation without
// chaining (kind 0 until the inner method names it).
type slot struct {
	kind     fast.Identity
	state    slotState
	byPAC    bool // authorized by a PAC, inner method skipped
	identity string
}

type slotState uint8

const (
	pending slotState = iota
	passed
	failed
)

// serverPhase2 runs the TLVs inside the tunnel on the server.
type serverPhase2 struct {
	m        *serverMethod
	pol      *Policy
	truth    *Truth
	keys     *fast.KeyChain
	prov     *fast.ProvisioningKeys
	chaining bool
	slots    []*slot
	nextID   uint8

	first          bool
	inner          *eapauth.Authenticator
	innerRunning   bool
	expectIdentity bool
	requested      fast.Identity
	current        *slot

	expectBinding bool
	nonce         [fast.NonceLen]byte
	cmk           []byte

	approved     map[fast.PACType]bool
	final        bool
	finalOK      bool
	provisioning []fast.PACType // delivered in the final Result, awaiting acknowledgement
}

func newServerPhase2(m *serverMethod, keys *fast.KeyChain, prov *fast.ProvisioningKeys) *serverPhase2 {
	p := &serverPhase2{m: m, pol: m.pol, truth: m.truth, keys: keys, prov: prov, chaining: m.pol.EnableEAPChaining,
		first: true, approved: map[fast.PACType]bool{}}
	if p.chaining {
		p.slots = []*slot{{kind: fast.IdentityUser}, {kind: fast.IdentityMachine}}
	} else {
		p.slots = []*slot{{}}
	}
	return p
}

func (p *serverPhase2) slot(k fast.Identity) *slot {
	for _, s := range p.slots {
		if s.kind == k {
			return s
		}
	}
	return nil
}

// start sends the first phase-2 request.
func (p *serverPhase2) start(id uint8) (eapauth.TLSStep, error) {
	p.nextID = id
	var out payload
	if !p.chaining {
		if c := p.m.chPAC; c != nil && c.Type == fast.PACTypeMachineAuthentication {
			// The Machine PAC authenticates the machine.
			s := p.slots[0]
			s.kind, s.state, s.byPAC, s.identity = fast.IdentityMachine, passed, true, c.Identity
			p.truth.step(StepInnerSkipped)
			return p.sendFinal(&out)
		}
		p.startInner(&out)
		p.truth.step(StepInnerStarted)
		return send(out), nil
	}
	p.truth.step(StepChaining)
	p.ask(&out, fast.IdentityUser)
	return send(out), nil
}

func send(out payload) eapauth.TLSStep { return eapauth.TLSStep{Send: out} }

// ask requests identity type k and starts an inner conversation for it.
func (p *serverPhase2) ask(out *payload, k fast.Identity) {
	p.requested, p.expectIdentity = k, true
	out.add(&fast.IdentityType{Identity: k})
	p.startInner(out)
}

// startInner opens an inner conversation with its Identity request.
func (p *serverPhase2) startInner(out *payload) {
	allowed := p.pol.InnerMethods
	if p.prov != nil {
		allowed = []eap.Type{eap.TypeMSCHAPv2}
	}
	a := p.m.ctx.Server.NewAuthenticator(allowed)
	if k := p.prov; k != nil {
		a.SetFactory(eap.TypeMSCHAPv2, func(ctx *eapauth.ServerContext) (eapauth.ServerMethod, error) {
			return newTunnelMSCHAPv2Server(ctx, k), nil
		})
	}
	p.inner, p.innerRunning = a, true
	p.nextID++
	out.add(eapPayload(a.Start(p.nextID)))
	if !p.chaining {
		p.current = p.slots[0]
	}
}

// handle consumes one phase-2 message of the peer.
func (p *serverPhase2) handle(data []byte) (eapauth.TLSStep, error) {
	f, err := collect(data)
	if err != nil {
		return eapauth.TLSStep{}, fmt.Errorf("EAP-FAST: %w", err)
	}
	t := p.truth
	if p.expectBinding {
		p.expectBinding = false
		if !p.bindingOK(&f) {
			t.noteBinding(false)
			p.m.ctx.Outcome.FailureReason = "EAP-FAST: Crypto-Binding verification failed"
			if p.chaining {
				t.Chaining = ChainingBothFailed // the whole conversation fails
			}
			if p.final {
				return eapauth.TLSStep{Verdict: eapauth.Failed}, nil
			}
			var out payload
			out.add(&fast.Result{Status: fast.StatusFailure})
			p.final, p.finalOK = true, false
			return send(out), nil
		}
		t.noteBinding(true)
		t.step(StepCryptobindingOK)
	}
	if p.final {
		return p.finish(&f)
	}
	p.pacRequests(&f)
	if p.first {
		p.first = false
		p.presentations(&f)
	}
	var out payload
	if p.innerRunning {
		if err := p.innerStep(&f, &out); err != nil {
			return eapauth.TLSStep{}, err
		}
		if p.innerRunning || p.final {
			return send(out), nil
		}
	}
	if p.chaining {
		for _, s := range p.slots {
			if s.state == pending {
				p.ask(&out, s.kind)
				return send(out), nil
			}
		}
	}
	if len(out) > 0 {
		return send(out), nil // Intermediate-Result (and Crypto-Binding) first
	}
	return p.sendFinal(&out)
}

// innerStep answers the Identity-Type and runs the inner method on the
// EAP-Payload.
func (p *serverPhase2) innerStep(f *found, out *payload) error {
	t := p.truth
	if p.expectIdentity {
		p.expectIdentity = false
		if f.identity == nil {
			return errors.New("EAP-FAST: no Identity-Type TLV in the answer")
		}
		req := p.slot(p.requested)
		if req.state != pending { // authorized by a PAC meanwhile
			p.inner, p.innerRunning = nil, false
			return nil
		}
		if p.requested == fast.IdentityUser {
			t.step(StepIdentityUser)
		} else {
			t.step(StepIdentityMachine)
		}
		chosen := p.slot(f.identity.Identity)
		p.current = req
		if chosen != req {
			t.step(StepIdentityMismatch)
			if chosen != nil && chosen.state == pending {
				if chosen.kind == fast.IdentityMachine {
					t.step(StepIdentitySuggested)
				}
				p.current = chosen
			} else {
				t.step(StepIdentityUsed)
				req.state = failed
				p.inner, p.innerRunning = nil, false
				out.add(&fast.IntermediateResult{Status: fast.StatusFailure})
				t.step(StepIntermediateFailure)
				return nil
			}
		}
	}
	if f.payload == nil {
		return errors.New("EAP-FAST: no EAP-Payload TLV where the inner method was due")
	}
	msg, v := p.inner.Process(f.payload.Packet)
	if v == eapauth.Continue {
		if msg == nil {
			return errors.New("EAP-FAST: inner EAP response discarded")
		}
		out.add(eapPayload(msg))
		return nil
	}
	s := p.current
	inner := p.inner.Outcome()
	p.m.ctx.Outcome.AddInner(inner)
	p.innerRunning = false
	if s.kind == 0 {
		s.kind = identityKind(inner.OuterIdentity)
	}
	s.identity = inner.OuterIdentity
	if v == eapauth.Failed {
		s.state = failed
		if !p.chaining {
			out.add(&fast.Result{Status: fast.StatusFailure})
			p.final, p.finalOK = true, false
			p.m.ctx.Outcome.FailureReason = "EAP-FAST inner " + inner.FailureReason
			return nil
		}
		out.add(&fast.IntermediateResult{Status: fast.StatusFailure})
		t.step(StepIntermediateFailure)
		return nil
	}
	s.state = passed
	var typ eap.Type
	if mth := p.inner.Method(); mth != nil {
		typ = mth.Type()
	}
	cb := p.binding(p.keys.Next(isk(typ, p.inner.MSK())))
	if !p.chaining && t.Provisioning == "" {
		// Nothing follows: the Result goes with the binding (hostapd).
		out.add(&fast.Result{Status: fast.StatusSuccess})
		out.add(cb)
		p.final, p.finalOK = true, true
		t.Chaining = ChainingNone
		return nil
	}
	out.add(&fast.IntermediateResult{Status: fast.StatusSuccess})
	out.add(cb)
	return nil
}

// identityKind tells a machine identity ("host/...") from a user's.
func identityKind(id string) fast.Identity {
	if strings.HasPrefix(id, "host/") {
		return fast.IdentityMachine
	}
	return fast.IdentityUser
}

// binding makes the server's Crypto-Binding TLV for CMK[j].
func (p *serverPhase2) binding(cmk []byte) *fast.CryptoBinding {
	var r [fast.NonceLen]byte
	if _, err := io.ReadFull(p.m.ctx.Server.Config().Rand, r[:]); err != nil {
		panic("eapfast: randomness failed: " + err.Error())
	}
	p.nonce, p.cmk, p.expectBinding = fast.ServerNonce(r), cmk, true
	cb := &fast.CryptoBinding{Version: fast.Version, ReceivedVersion: fast.Version, SubType: fast.CryptoBindingRequest, Nonce: p.nonce}
	cb.Sign(cmk)
	return cb
}

func (p *serverPhase2) bindingOK(f *found) bool {
	b := f.binding
	return b != nil && b.SubType == fast.CryptoBindingResponse && b.Version == fast.Version &&
		fast.NoncesMatch(p.nonce, b.Nonce) && fast.VerifyCompoundMAC(p.cmk, f.bindRaw)
}

// pacRequests approves the PAC types the peer asks for.
func (p *serverPhase2) pacRequests(f *found) {
	t := p.truth
	for _, pac := range f.pacs {
		if pac.Type == 0 || p.approved[pac.Type] {
			continue
		}
		switch pac.Type {
		case fast.PACTypeTunnel:
			if p.pol.UsePACs {
				p.approved[pac.Type] = true
				t.step(StepTunnelPACApproved)
			}
		case fast.PACTypeMachineAuthentication:
			p.approved[pac.Type] = p.pol.UseMachinePACs
		case fast.PACTypeUserAuthorization, fast.PACTypeMachineAuthorization:
			switch {
			case t.Tunnel == "anonymous":
				t.step(StepNoAuthzOnAnonymous)
			case p.pol.UseAuthorizationPACs:
				p.approved[pac.Type] = true
				t.step(StepAuthzPACApproved)
			}
		}
	}
}

// presentations judges the authorization PACs of the peer's first
// answer: a valid one authorizes its identity without an inner method.
func (p *serverPhase2) presentations(f *found) {
	t := p.truth
	now := p.m.ctx.Server.Config().Time()
	for _, pac := range f.pacs {
		if len(pac.Opaque) == 0 || pac.Key != nil {
			continue
		}
		c, err := p.m.srv.cfg.Issuer.Sealer.Open(pac.Opaque)
		if err != nil {
			t.PACsPresented = append(t.PACsPresented, "unknown")
			continue
		}
		t.PACsPresented = append(t.PACsPresented, c.Type.ReportName())
		var kind fast.Identity
		var got, expired int
		switch c.Type {
		case fast.PACTypeUserAuthorization:
			kind, got, expired = fast.IdentityUser, StepUserAuthzPAC, StepUserAuthzExpired
		case fast.PACTypeMachineAuthorization:
			kind, got, expired = fast.IdentityMachine, StepMachineAuthzPAC, StepMachineAuthzExpired
		default:
			continue
		}
		s := p.slot(kind)
		if !p.chaining || !p.pol.UseAuthorizationPACs || s == nil || s.state != pending {
			continue
		}
		if c.Expired(now) {
			t.step(expired)
			continue
		}
		t.step(got)
		s.state, s.byPAC, s.identity = passed, true, c.Identity
	}
}

// sendFinal sends the Result TLV: failure when no identity passed;
// success with a Crypto-Binding TLV when no binding was made yet (every
// inner method skipped); success with the approved PACs otherwise.
func (p *serverPhase2) sendFinal(out *payload) (eapauth.TLSStep, error) {
	t := p.truth
	var user, machine, any bool
	for _, s := range p.slots {
		if s.state == passed {
			any = true
			user = user || s.kind == fast.IdentityUser
			machine = machine || s.kind == fast.IdentityMachine
		}
	}
	t.Chaining = ChainingNone
	if p.chaining {
		t.Chaining = chainingResult(user, machine)
	}
	p.final, p.finalOK = true, any
	if !any {
		out.add(&fast.Result{Status: fast.StatusFailure})
		return send(*out), nil
	}
	t.step(StepPhase2Succeeded)
	out.add(&fast.Result{Status: fast.StatusSuccess})
	if p.keys.J == 0 {
		out.add(p.binding(p.keys.Next(nil)))
		return send(*out), nil
	}
	for _, typ := range []fast.PACType{fast.PACTypeTunnel, fast.PACTypeUserAuthorization,
		fast.PACTypeMachineAuthentication, fast.PACTypeMachineAuthorization} {
		identity, ok := p.eligible(typ)
		// A provisioning tunnel delivers a Tunnel PAC unasked: peers such
		// as wpa_supplicant do not ask for one in anonymous provisioning.
		wanted := p.approved[typ] || typ == fast.PACTypeTunnel && t.Provisioning != "" && p.pol.UsePACs
		if !ok || !wanted {
			continue
		}
		pac, err := p.m.srv.cfg.Issuer.Issue(typ, identity, p.m.ctx.Server.Config().Time(), p.lifetime(typ))
		if err != nil {
			return eapauth.TLSStep{}, err
		}
		out.add(&pac)
		p.provisioning = append(p.provisioning, typ)
	}
	return send(*out), nil
}

// eligible says whether a PAC of type typ may be issued, and to whom: a
// PAC needs an identity that passed an inner method in this conversation.
func (p *serverPhase2) eligible(typ fast.PACType) (string, bool) {
	byInner := func(k fast.Identity) (string, bool) {
		for _, s := range p.slots {
			if s.kind == k && s.state == passed && !s.byPAC {
				return s.identity, true
			}
		}
		return "", false
	}
	switch typ {
	case fast.PACTypeTunnel:
		if id, ok := byInner(fast.IdentityUser); ok {
			return id, true
		}
		return byInner(fast.IdentityMachine)
	case fast.PACTypeUserAuthorization:
		return byInner(fast.IdentityUser)
	default:
		return byInner(fast.IdentityMachine)
	}
}

func (p *serverPhase2) lifetime(typ fast.PACType) time.Duration {
	switch typ {
	case fast.PACTypeTunnel:
		return p.pol.TunnelPACLifetime
	case fast.PACTypeMachineAuthentication:
		return p.pol.MachinePACLifetime
	}
	return p.pol.AuthorizationPACLifetime
}

// finish reads the peer's Result (and PAC acknowledgements) and ends the
// method.
func (p *serverPhase2) finish(f *found) (eapauth.TLSStep, error) {
	t := p.truth
	if f.result == nil {
		return eapauth.TLSStep{}, errors.New("EAP-FAST: no Result TLV in the final answer")
	}
	if !p.finalOK || f.result.Status != fast.StatusSuccess {
		if p.finalOK {
			p.m.ctx.Outcome.FailureReason = "EAP-FAST: the peer answered the Result TLV with failure"
		}
		return eapauth.TLSStep{Verdict: eapauth.Failed}, nil
	}
	acked := 0
	for _, pac := range f.pacs {
		if pac.Ack == fast.StatusSuccess {
			acked++
		}
	}
	for i, typ := range p.provisioning {
		if i >= acked {
			break
		}
		t.PACsProvisioned = append(t.PACsProvisioned, typ.ReportName())
		t.step(map[fast.PACType]int{fast.PACTypeTunnel: StepTunnelPACDone, fast.PACTypeUserAuthorization: StepUserAuthzPACDone,
			fast.PACTypeMachineAuthentication: StepMachinePACDone, fast.PACTypeMachineAuthorization: StepMachineAuthzPACDone}[typ])
	}
	switch {
	case t.Provisioning == "anonymous":
		p.m.ctx.Outcome.FailureReason = "EAP-FAST: anonymous provisioning ends in EAP-Failure"
		return eapauth.TLSStep{Verdict: eapauth.Failed}, nil
	case t.Provisioning == "authenticated" && len(p.provisioning) > 0 && !p.pol.AcceptClientOnAuthenticatedProvisioning:
		p.m.ctx.Outcome.FailureReason = "EAP-FAST: authenticated provisioning ends in EAP-Failure"
		return eapauth.TLSStep{Verdict: eapauth.Failed}, nil
	}
	return eapauth.TLSStep{Verdict: eapauth.Succeeded}, nil
}
