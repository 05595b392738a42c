package eapauth

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// Credentials are what a peer proves its identity with.
type Credentials struct {
	// Identity is the real identity: a user name, or "host/<fqdn>" for
	// a machine.
	Identity string
	// Password for password methods (EAP-MSCHAPv2).
	Password string
	// Certificate for EAP-TLS.
	Certificate *tlsengine.Certificate
}

// PeerConfig configures a Peer, a supplicant with one network profile.
type PeerConfig struct {
	// Rand gives every random byte of the peer (required).
	Rand io.Reader
	// Time is the peer's clock (required).
	Time func() time.Time

	// Credentials of the user or machine.
	Credentials Credentials
	// OuterIdentity is the identity sent outside a tunnel ("anonymous");
	// default Credentials.Identity.
	OuterIdentity string
	// Methods the peer accepts, in order of preference; a proposal of
	// anything else gets a Nak listing these (default PEAP).
	Methods []eap.Type
	// InnerMethods accepted inside a tunnel (default EAP-MSCHAPv2).
	InnerMethods []eap.Type

	// CipherSuites offered, in order (default DefaultCipherSuites).
	CipherSuites []uint16
	// RootCAs, when set, verifies the server's certificate chain
	// (wpa_supplicant's ca_cert); nil accepts any chain.
	RootCAs              *x509.CertPool
	ExtendedMasterSecret bool
	// SessionResumption offers the TLS session kept from the last
	// successful authentication (by session ID, and ticket when
	// OfferTicket).
	SessionResumption bool
	OfferTicket       bool
	// FastReconnect (PEAP) accepts a server that skips the inner method
	// on a resumed session; off, the peer answers such a Result TLV with
	// failure.
	FastReconnect bool
	// KeyLog receives each TLS master secret.
	KeyLog func(clientRandom, masterSecret []byte)

	// MaxFragment and LengthPolicy as for the server (default
	// DefaultMaxFragment and eap.LengthOnFirst).
	MaxFragment  int
	LengthPolicy eap.LengthPolicy

	// Factories add or replace peer methods (EAP-FAST).
	Factories map[eap.Type]PeerMethodFactory
}

// Peer is a supplicant. It outlives its conversations: it keeps the TLS
// session of each TLS-based method between authentications, as
// wpa_supplicant does, and the outcome of each conversation.
type Peer struct {
	cfg       PeerConfig
	factories map[eap.Type]PeerMethodFactory
	sessions  map[eap.Type]*tlsengine.ClientSession
	outcomes  []*Outcome
}

// NewPeer returns a supplicant with cfg.
func NewPeer(cfg PeerConfig) *Peer {
	if cfg.OuterIdentity == "" {
		cfg.OuterIdentity = cfg.Credentials.Identity
	}
	if cfg.Methods == nil {
		cfg.Methods = []eap.Type{eap.TypePEAP}
	}
	if cfg.InnerMethods == nil {
		cfg.InnerMethods = []eap.Type{eap.TypeMSCHAPv2}
	}
	if cfg.CipherSuites == nil {
		cfg.CipherSuites = DefaultCipherSuites
	}
	p := &Peer{cfg: cfg, sessions: make(map[eap.Type]*tlsengine.ClientSession)}
	p.factories = map[eap.Type]PeerMethodFactory{
		eap.TypeMSCHAPv2: newMSCHAPv2PeerMethod,
		eap.TypePEAP:     newPEAPPeer,
		eap.TypeTLS:      newEAPTLSPeer,
	}
	maps.Copy(p.factories, cfg.Factories)
	return p
}

// Config is the peer's configuration (defaults filled in).
func (p *Peer) Config() *PeerConfig { return &p.cfg }

// Session is the TLS session kept for method t, nil if none.
func (p *Peer) Session(t eap.Type) *tlsengine.ClientSession { return p.sessions[t] }

// SetSession keeps s for the next authentication with method t.
func (p *Peer) SetSession(t eap.Type, s *tlsengine.ClientSession) { p.sessions[t] = s }

// ForgetSession drops the TLS session kept for method t.
func (p *Peer) ForgetSession(t eap.Type) { delete(p.sessions, t) }

// Outcomes are the truths of the peer's conversations that ended.
func (p *Peer) Outcomes() []*Outcome { return slices.Clone(p.outcomes) }

// TLSConfig returns a TLS client configuration for a conversation of
// method t: the peer's randomness, clock, suites and key log, the given
// certificate, and the session kept for t when resumption is on.
func (p *Peer) TLSConfig(t eap.Type, cert *tlsengine.Certificate) *tlsengine.Config {
	cfg := &tlsengine.Config{
		Rand:                 p.cfg.Rand,
		Time:                 p.cfg.Time,
		CipherSuites:         slices.Clone(p.cfg.CipherSuites),
		RootCAs:              p.cfg.RootCAs,
		Certificate:          cert,
		ExtendedMasterSecret: p.cfg.ExtendedMasterSecret,
		OfferTicket:          p.cfg.OfferTicket,
		KeyLog:               p.cfg.KeyLog,
		SecureRenegotiation:  true,
	}
	if p.cfg.SessionResumption {
		cfg.Session = p.sessions[t]
	}
	return cfg
}

// NewConversation returns the peer's side of one authentication: outer
// identity, the configured methods, the configured credentials. Feed it
// what the NAS relays (it is a radiusnode.Supplicant).
func (p *Peer) NewConversation() *PeerConversation {
	c := p.Conversation(p.cfg.OuterIdentity, p.cfg.Methods, p.cfg.Credentials)
	c.outer = true
	return c
}

// Conversation returns a conversation answering Identity with identity and
// accepting methods with cred; tunnels run their inner conversations this
// way.
func (p *Peer) Conversation(identity string, methods []eap.Type, cred Credentials) *PeerConversation {
	return &PeerConversation{
		peer:      p,
		identity:  identity,
		methods:   slices.Clone(methods),
		factories: maps.Clone(p.factories),
		ctx:       PeerContext{Peer: p, Credentials: cred, Outcome: &Outcome{OuterIdentity: identity}},
	}
}

// PeerConversation is one EAP conversation on the peer's side.
type PeerConversation struct {
	peer      *Peer
	identity  string
	methods   []eap.Type
	ctx       PeerContext
	outer     bool
	factories map[eap.Type]PeerMethodFactory

	method   PeerMethod
	done     bool
	lastReq  []byte
	lastResp []byte
}

// SetFactory makes this conversation use f for method t (EAP-FAST gives
// its inner EAP-MSCHAPv2 the tunnel's peer challenge this way).
func (c *PeerConversation) SetFactory(t eap.Type, f PeerMethodFactory) { c.factories[t] = f }

// Outcome is the conversation's truth so far.
func (c *PeerConversation) Outcome() *Outcome { return c.ctx.Outcome }

// Method is the method running, nil before the first method request.
func (c *PeerConversation) Method() PeerMethod { return c.method }

// Done reports whether EAP-Success or EAP-Failure arrived.
func (c *PeerConversation) Done() bool { return c.done }

// Respond returns the response to one packet of the authenticator, or nil
// after EAP-Success or EAP-Failure. It implements radiusnode.Supplicant.
func (c *PeerConversation) Respond(msg []byte) ([]byte, error) {
	var req eap.Packet
	if err := req.DecodeFromBytes(msg); err != nil {
		return nil, err
	}
	o := c.ctx.Outcome
	switch req.Code {
	case eap.CodeSuccess, eap.CodeFailure:
		c.end(req.Code == eap.CodeSuccess)
		return nil, nil
	case eap.CodeRequest:
	default:
		return nil, fmt.Errorf("eapauth: peer got an EAP %s", req.Code)
	}
	if c.done {
		return nil, fmt.Errorf("eapauth: request after the conversation ended")
	}
	if c.lastResp != nil && bytes.Equal(msg, c.lastReq) {
		// A retransmitted request gets the same response again (RFC
		// 3748 section 4.1); the method does not see it twice.
		return c.lastResp, nil
	}
	var data []byte
	typ := req.Type
	switch {
	case req.Type == eap.TypeIdentity:
		data = eap.MarshalIdentity(c.identity)
	case req.Type == eap.TypeNotification:
		data = nil
	case c.method != nil && req.Type == c.method.Type():
		d, err := c.method.Handle(&req)
		if err != nil {
			o.Fail(methodName(req.Type) + ": " + err.Error())
			return nil, err
		}
		data = d
	case c.method == nil && slices.Contains(c.methods, req.Type) && c.factories[req.Type] != nil:
		m, err := c.factories[req.Type](&c.ctx)
		if err != nil {
			return nil, err
		}
		c.method = m
		o.Method = methodName(req.Type)
		o.MethodsProposed = append(o.MethodsProposed, o.Method)
		d, err := m.Handle(&req)
		if err != nil {
			o.Fail(methodName(req.Type) + ": " + err.Error())
			return nil, err
		}
		data = d
	case c.method == nil && eap.IsMethod(req.Type):
		typ, data = eap.TypeNak, c.nak()
		o.MethodsProposed = append(o.MethodsProposed, methodName(req.Type))
		o.Naks = append(o.Naks, methodName(req.Type)+" → "+nakNames(data))
	case c.method == nil:
		return nil, fmt.Errorf("eapauth: %s request", methodName(req.Type))
	default:
		return nil, fmt.Errorf("eapauth: %s request while running %s", methodName(req.Type), methodName(c.method.Type()))
	}
	resp := (&eap.Packet{Code: eap.CodeResponse, Identifier: req.Identifier, Type: typ, Data: data}).Marshal()
	if resp == nil {
		return nil, fmt.Errorf("eapauth: response too large for EAP")
	}
	c.lastReq, c.lastResp = bytes.Clone(msg), resp
	return resp, nil
}

// nak lists the methods the peer would accept instead.
func (c *PeerConversation) nak() []byte {
	var n eap.Nak
	for _, t := range c.methods {
		if c.factories[t] != nil {
			n.Types = append(n.Types, t)
		}
	}
	if len(n.Types) == 0 {
		n.Types = []eap.Type{0} // RFC 3748 section 5.3.1: no alternative
	}
	return n.Marshal()
}

func nakNames(data []byte) string {
	s := ""
	for i, b := range data {
		if i > 0 {
			s += ", "
		}
		s += methodName(eap.Type(b))
	}
	return s
}

// end records how the conversation ended. The peer's verdict is success
// only when the server said EAP-Success and the method is satisfied;
// after a failure the TLS session of the method is not kept.
func (c *PeerConversation) end(success bool) {
	if c.done {
		return
	}
	c.done = true
	o := c.ctx.Outcome
	o.EAPResult = ResultFailure
	if success {
		o.EAPResult = ResultSuccess
	}
	o.Success = success && c.method != nil && c.method.Verdict() == Succeeded
	switch {
	case o.Success:
		o.MSK = c.method.MSK()
	case success:
		o.Fail("EAP-Success before the method was satisfied")
	default:
		o.Fail("EAP-Failure")
		if c.method != nil {
			c.peer.ForgetSession(c.method.Type())
		}
	}
	if c.outer {
		c.peer.outcomes = append(c.peer.outcomes, o)
	}
}
