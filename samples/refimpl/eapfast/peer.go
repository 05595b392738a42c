package eapfast

import (
	"errors"
	"slices"
	"sync"

	"github.com/sessionscope/sscope/dissect/eap"
	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/fastpac"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// PeerConfig configures the EAP-FAST method of a supplicant, named after
// the settings of the vendor's client. The TLS settings (randomness,
// clock, key log, trusted roots) come from the eapauth.Peer it runs in.
type PeerConfig struct {
	// Store holds the peer's PACs; provisioned PACs are added to it
	// (required).
	Store *fastpac.Store
	// User and Machine are the credentials the peer can authenticate
	// with; nil when absent (no user logged on).
	User, Machine *eapauth.Credentials
	// UserMethods and MachineMethods are the inner methods each identity
	// accepts, in order (default EAP-MSCHAPv2; EAP-TLS for a machine
	// with a certificate).
	UserMethods, MachineMethods []eap.Type
	// EAPChaining: authenticate user and machine in one conversation
	// when the server asks with Identity-Type TLVs.
	EAPChaining bool
	// Authenticate is the identity a conversation without chaining
	// authenticates (default the user when User is set, else the
	// machine). A machine conversation offers the Machine PAC.
	Authenticate fast.Identity
	// UsePACs: offer PACs in the ClientHello and ask for missing ones.
	UsePACs bool
	// FastReconnect: present authorization PACs inside the tunnel and ask
	// for them (with EAP chaining).
	FastReconnect bool
	// AllowAnonymousProvisioning and AllowAuthenticatedProvisioning: how
	// a peer without a PAC may be provisioned (the suites it offers:
	// anonymous DH, certificate suites, or both).
	AllowAnonymousProvisioning     bool
	AllowAuthenticatedProvisioning bool
	// CorruptCryptoBinding makes the peer answer with a wrong Compound
	// MAC (to play a failed crypto-binding).
	CorruptCryptoBinding bool
}

// Peer is the EAP-FAST method of one supplicant. It outlives its
// conversations: its PAC store carries PACs from one to the next.
type Peer struct {
	cfg    PeerConfig
	mu     sync.Mutex
	truths []*Truth
}

// NewPeer returns the method with cfg (defaults filled in).
func NewPeer(cfg PeerConfig) (*Peer, error) {
	if cfg.Store == nil {
		return nil, errors.New("eapfast: the peer needs a PAC store")
	}
	if cfg.User == nil && cfg.Machine == nil {
		return nil, errors.New("eapfast: the peer needs user or machine credentials")
	}
	if cfg.UserMethods == nil {
		cfg.UserMethods = []eap.Type{eap.TypeMSCHAPv2}
	}
	if cfg.MachineMethods == nil {
		cfg.MachineMethods = []eap.Type{eap.TypeMSCHAPv2}
	}
	if cfg.Authenticate == 0 {
		cfg.Authenticate = fast.IdentityUser
		if cfg.User == nil {
			cfg.Authenticate = fast.IdentityMachine
		}
	}
	return &Peer{cfg: cfg}, nil
}

// Config is the configuration (defaults filled in); change it between
// conversations (e.g. Authenticate) as a supplicant would.
func (p *Peer) Config() *PeerConfig { return &p.cfg }

// Factory is the method factory to register for eap.TypeFAST in an
// eapauth.PeerConfig.
func (p *Peer) Factory() eapauth.PeerMethodFactory {
	return func(ctx *eapauth.PeerContext) (eapauth.PeerMethod, error) {
		t := &Truth{Chaining: ChainingNone}
		ctx.Outcome.Extra = t
		p.mu.Lock()
		p.truths = append(p.truths, t)
		p.mu.Unlock()
		m := &peerMethod{p: p, cfg: &p.cfg, ctx: ctx, truth: t, first: true, results: map[fast.Identity]bool{}}
		pc := ctx.Peer.Config()
		m.TLSPeer = eapauth.NewTLSPeer(eap.TypeFAST, Version, m.newConn, m)
		m.TLSPeer.MaxFragment, m.TLSPeer.Length, m.TLSPeer.Outcome = pc.MaxFragment, pc.LengthPolicy, ctx.Outcome
		return m, nil
	}
}

// Truths are the truths of the peer's conversations, in order.
func (p *Peer) Truths() []*Truth {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.truths)
}

// peerMethod is one conversation's EAP-FAST on the peer.
type peerMethod struct {
	*eapauth.TLSPeer
	p     *Peer
	cfg   *PeerConfig
	ctx   *eapauth.PeerContext
	truth *Truth

	aid  []byte
	keys *fast.KeyChain
	prov *fast.ProvisioningKeys
	cmk  []byte
	msk  []byte

	first      bool
	chaining   bool // the server asked with Identity-Type
	asked      fast.Identity
	inner      *eapauth.PeerConversation
	innerKind  fast.Identity
	requested  bool
	presented  map[fast.Identity]bool
	results    map[fast.Identity]bool // per identity: true passed, false failed
	provisions int
}

// MSK is the EAP-FAST MSK after success.
func (m *peerMethod) MSK() []byte { return m.msk }

// newConn picks the PAC for the Start's Authority-ID and the suites.
func (m *peerMethod) newConn(start *eap.TLSFragment) (*tlsengine.Conn, error) {
	m.aid = append([]byte(nil), start.AuthorityID...)
	cfg := m.ctx.Peer.TLSConfig(eap.TypeFAST, nil)
	cfg.SecureRenegotiation = true
	cfg.OfferTicket = false
	if m.cfg.UsePACs {
		cfg.Session = nil
	}
	if pac := m.choosePAC(); pac != nil {
		cfg.PACOpaque, cfg.PACKey = fast.SessionTicketPAC(pac.Opaque), pac.Key
		cfg.CipherSuites = certificateSuites
		m.truth.PACInClientHello = pac.Type.ReportName()
		m.truth.PACsPresented = append(m.truth.PACsPresented, pac.Type.ReportName())
		return tlsengine.Client(cfg), nil
	}
	anon, auth := m.cfg.AllowAnonymousProvisioning, m.cfg.AllowAuthenticatedProvisioning
	switch {
	case !m.cfg.UsePACs || !anon:
		cfg.CipherSuites = certificateSuites
	case !auth:
		cfg.CipherSuites = anonymousSuites
	default:
		cfg.CipherSuites = allSuites
	}
	return tlsengine.Client(cfg), nil
}

// choosePAC returns the PAC for the ClientHello: the Machine PAC for a
// machine's conversation (or a chaining one without a user), else the
// Tunnel PAC; a PAC the peer knows has expired is not offered.
func (m *peerMethod) choosePAC() *fastpac.PAC {
	if !m.cfg.UsePACs {
		return nil
	}
	order := []fast.PACType{fast.PACTypeTunnel, fast.PACTypeMachineAuthentication}
	if (!m.cfg.EAPChaining && m.cfg.Authenticate == fast.IdentityMachine) || (m.cfg.EAPChaining && m.cfg.User == nil) {
		order[0], order[1] = order[1], order[0]
	}
	for _, t := range order {
		if pac, ok := m.valid(t); ok {
			return &pac
		}
	}
	return nil
}

// valid returns the stored, unexpired PAC of type t of this authority.
func (m *peerMethod) valid(t fast.PACType) (fastpac.PAC, bool) {
	pac, ok := m.cfg.Store.Get(m.aid, t)
	if !ok || pac.Expired(m.ctx.Peer.Config().Time()) || len(pac.Key) != fast.PACKeyLen {
		return fastpac.PAC{}, false
	}
	return pac, true
}

// TunnelEstablished keeps the TLS session for PAC-less resumption; phase
// 2 starts with the server's first message.
func (m *peerMethod) TunnelEstablished(l *eapauth.TLSPeer) (eapauth.TLSStep, error) {
	if !m.cfg.UsePACs {
		if s := l.Conn().Session(); s != nil {
			m.ctx.Peer.SetSession(eap.TypeFAST, s)
		}
	}
	return eapauth.TLSStep{}, nil
}

func (m *peerMethod) creds(k fast.Identity) *eapauth.Credentials {
	if k == fast.IdentityMachine {
		return m.cfg.Machine
	}
	return m.cfg.User
}

// startInner opens the inner conversation of identity k.
func (m *peerMethod) startInner(k fast.Identity) error {
	cr := m.creds(k)
	if cr == nil {
		return errors.New("EAP-FAST: no credentials for the identity asked")
	}
	methods := m.cfg.UserMethods
	if k == fast.IdentityMachine {
		methods = m.cfg.MachineMethods
	}
	outer := m.ctx.Peer.Config()
	pc := eapauth.PeerConfig{Rand: outer.Rand, Time: outer.Time, Credentials: *cr, Methods: methods,
		InnerMethods: methods, RootCAs: outer.RootCAs, KeyLog: outer.KeyLog, MaxFragment: outer.MaxFragment,
		LengthPolicy: outer.LengthPolicy}
	if k := m.prov; k != nil {
		pc.Factories = map[eap.Type]eapauth.PeerMethodFactory{eap.TypeMSCHAPv2: func(ctx *eapauth.PeerContext) (eapauth.PeerMethod, error) {
			return newTunnelMSCHAPv2Peer(ctx, k), nil
		}}
	}
	m.inner, m.innerKind = eapauth.NewPeer(pc).Conversation(cr.Identity, methods, *cr), k
	return nil
}
