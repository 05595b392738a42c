package eapauth

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sessionscope/sscope/dissect/eap"
)

// Authenticator runs one EAP conversation on the server side (RFC 3748):
// the Identity round, the choice of a method by policy, a peer's legacy
// Nak, the method's rounds, and EAP-Success or EAP-Failure. It works on
// whole EAP packets and knows nothing of what carries them, so the same
// type serves an outer conversation over RADIUS and an inner one inside a
// tunnel (PEAP, EAP-FAST).
type Authenticator struct {
	ctx       ServerContext
	allowed   []eap.Type
	factories map[eap.Type]ServerMethodFactory

	method  ServerMethod
	tried   []eap.Type
	gotResp bool // the current method has had a response
	lastID  uint8
	waiting bool // a request is outstanding
	verdict Verdict
	msk     []byte
}

// NewAuthenticator returns a conversation of server s offering the allowed
// methods, in order of preference, with s's method factories.
func (s *Server) NewAuthenticator(allowed []eap.Type) *Authenticator {
	a := &Authenticator{
		ctx:       ServerContext{Server: s, Outcome: &Outcome{}},
		allowed:   slices.Clone(allowed),
		factories: make(map[eap.Type]ServerMethodFactory, len(s.factories)),
	}
	for t, f := range s.factories {
		a.factories[t] = f
	}
	return a
}

// SetFactory makes this conversation use f for method t (EAP-FAST gives
// its inner EAP-MSCHAPv2 the tunnel's challenges this way). Call it
// before the method is proposed.
func (a *Authenticator) SetFactory(t eap.Type, f ServerMethodFactory) { a.factories[t] = f }

// Outcome is the conversation's truth so far.
func (a *Authenticator) Outcome() *Outcome { return a.ctx.Outcome }

// Method is the method running (or that ran last), nil before one is
// chosen.
func (a *Authenticator) Method() ServerMethod { return a.method }

// Verdict is where the conversation stands.
func (a *Authenticator) Verdict() Verdict { return a.verdict }

// MSK is the method's Master Session Key after success.
func (a *Authenticator) MSK() []byte { return a.msk }

// ExpectedIdentifier is the Identifier of the outstanding request, which
// the next response must carry.
func (a *Authenticator) ExpectedIdentifier() uint8 { return a.lastID }

// Start returns the EAP-Request/Identity that opens the conversation,
// with Identifier id. An outer conversation behind a NAS skips it: the
// NAS asked for the identity and the first packet Process sees is the
// peer's Identity response.
func (a *Authenticator) Start(id uint8) []byte {
	a.lastID, a.waiting = id, true
	return (&eap.Packet{Code: eap.CodeRequest, Identifier: id, Type: eap.TypeIdentity}).Marshal()
}

// Process consumes one packet of the peer and returns the packet to send:
// the next EAP-Request with Continue, or EAP-Success / EAP-Failure with
// the final verdict. A packet that is not a response to the outstanding
// request (wrong code or Identifier, undecodable) is discarded: Process
// returns nil and Continue, as RFC 3748 section 4.1 asks.
func (a *Authenticator) Process(msg []byte) ([]byte, Verdict) {
	if a.verdict != Continue {
		return nil, a.verdict
	}
	var p eap.Packet
	if err := p.DecodeFromBytes(msg); err != nil || p.Code != eap.CodeResponse {
		return nil, Continue
	}
	if a.waiting && p.Identifier != a.lastID {
		return nil, Continue
	}
	a.lastID = p.Identifier
	o := a.ctx.Outcome
	switch {
	case a.method == nil && p.Type == eap.TypeIdentity:
		a.ctx.Identity = eap.ParseIdentity(p.Data)
		o.OuterIdentity = a.ctx.Identity
		return a.propose(a.nextAllowed(nil))
	case a.method == nil:
		return a.finish(Failed, fmt.Sprintf("%s before the Identity round", methodName(p.Type)))
	case p.Type == eap.TypeNak && !a.gotResp:
		return a.nak(&p)
	case p.Type != a.method.Type():
		return a.finish(Failed, fmt.Sprintf("%s response to a %s request", methodName(p.Type), methodName(a.method.Type())))
	}
	a.gotResp = true
	data, v, err := a.method.Handle(&p, a.lastID+1)
	switch {
	case err != nil:
		return a.finish(Failed, methodName(a.method.Type())+": "+err.Error())
	case v == Succeeded:
		a.msk = a.method.MSK()
		return a.finish(Succeeded, "")
	case v == Failed:
		return a.finish(Failed, "")
	}
	return a.request(a.method.Type(), data)
}

// nak handles a legacy Nak to the method just proposed: the first type
// the peer wants that policy allows and that was not tried yet.
func (a *Authenticator) nak(p *eap.Packet) ([]byte, Verdict) {
	n, err := eap.ParseNak(p)
	var wants []string
	for _, t := range n.Types {
		wants = append(wants, methodName(t))
	}
	o := a.ctx.Outcome
	o.Naks = append(o.Naks, methodName(a.method.Type())+" → "+strings.Join(wants, ", "))
	if err != nil {
		return a.finish(Failed, "malformed Nak: "+err.Error())
	}
	return a.propose(a.nextAllowed(n.Types))
}

// nextAllowed returns the first type of wanted (all allowed types when
// wanted is nil) that policy allows, a factory makes and was not tried.
func (a *Authenticator) nextAllowed(wanted []eap.Type) eap.Type {
	if wanted == nil {
		wanted = a.allowed
	}
	for _, t := range wanted {
		if slices.Contains(a.allowed, t) && a.factories[t] != nil && !slices.Contains(a.tried, t) {
			return t
		}
	}
	return 0
}

// propose starts method t (0: none is left).
func (a *Authenticator) propose(t eap.Type) ([]byte, Verdict) {
	if t == 0 {
		return a.finish(Failed, "no acceptable method left to propose")
	}
	a.tried = append(a.tried, t)
	o := a.ctx.Outcome
	o.MethodsProposed = append(o.MethodsProposed, methodName(t))
	o.Method = methodName(t)
	m, err := a.factories[t](&a.ctx)
	if err != nil {
		return a.finish(Failed, methodName(t)+": "+err.Error())
	}
	a.method, a.gotResp = m, false
	data, err := m.Start(a.lastID + 1)
	if err != nil {
		return a.finish(Failed, methodName(t)+": "+err.Error())
	}
	return a.request(t, data)
}

func (a *Authenticator) request(t eap.Type, data []byte) ([]byte, Verdict) {
	a.lastID++
	a.waiting = true
	b := (&eap.Packet{Code: eap.CodeRequest, Identifier: a.lastID, Type: t, Data: data}).Marshal()
	if b == nil {
		return a.finish(Failed, "request too large for EAP")
	}
	return b, Continue
}

// finish ends the conversation: EAP-Success or EAP-Failure with the
// Identifier of the response answered (RFC 3748 section 4.2).
func (a *Authenticator) finish(v Verdict, reason string) ([]byte, Verdict) {
	a.verdict, a.waiting = v, false
	o := a.ctx.Outcome
	code := eap.CodeFailure
	o.Success = v == Succeeded
	if o.Success {
		code = eap.CodeSuccess
		o.EAPResult = ResultSuccess
		o.MSK = a.msk
	} else {
		o.EAPResult = ResultFailure
		if reason == "" && a.method != nil {
			reason = methodName(a.method.Type()) + " failed"
		}
		o.Fail(reason)
	}
	return (&eap.Packet{Code: code, Identifier: a.lastID}).Marshal(), v
}
