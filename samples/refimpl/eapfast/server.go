package eapfast

import (
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/fastpac"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// Default PAC lifetimes (the vendor's defaults: 90 days for Tunnel PACs,
// one week for Machine PACs, one hour for authorization PACs).
const (
	DefaultTunnelPACLifetime        = 90 * 24 * time.Hour
	DefaultMachinePACLifetime       = 7 * 24 * time.Hour
	DefaultAuthorizationPACLifetime = time.Hour
)

// Policy mirrors the server's EAP-FAST settings, named as the vendor's
// settings are.
type Policy struct {
	// AllowAnonymousProvisioning: a peer without a PAC may build an
	// anonymous (TLS_DH_anon) tunnel to be provisioned; the conversation
	// ends in EAP-Failure afterwards.
	AllowAnonymousProvisioning bool
	// AllowAuthenticatedProvisioning: a peer without a PAC may build a
	// server-certificate tunnel to be provisioned.
	AllowAuthenticatedProvisioning bool
	// AcceptClientOnAuthenticatedProvisioning: end authenticated
	// provisioning with EAP-Success instead of forcing a new
	// authentication with the fresh PAC.
	AcceptClientOnAuthenticatedProvisioning bool
	// UsePACs: accept and issue Tunnel PACs; off, tunnels are PAC-less
	// certificate tunnels.
	UsePACs           bool
	TunnelPACLifetime time.Duration
	// UseMachinePACs: accept Machine PACs and issue them after a machine
	// authentication.
	UseMachinePACs     bool
	MachinePACLifetime time.Duration
	// UseAuthorizationPACs: accept User and Machine Authorization PACs
	// inside the tunnel (skipping the inner method) and issue them.
	UseAuthorizationPACs     bool
	AuthorizationPACLifetime time.Duration
	// EnableEAPChaining: authenticate the user and the machine in one
	// conversation, asking for each with an Identity-Type TLV.
	EnableEAPChaining bool
	// EnableSessionResume: TLS session-ID resumption, for PAC-less
	// deployments (with PACs the stateless PAC resumption is used),
	// from a cache of the node's sessions kept SessionTimeout (default
	// 7200 s).
	EnableSessionResume bool
	SessionTimeout      time.Duration
	// RequestClientCertificate: send a CertificateRequest in certificate
	// tunnels and, when the peer sends none, renegotiate inside the
	// tunnel to ask again.
	RequestClientCertificate bool
	// InnerMethods allowed in the tunnel, in order of preference (default
	// EAP-MSCHAPv2 then EAP-TLS). Anonymous tunnels allow EAP-MSCHAPv2
	// only (RFC 5422 section 3.2.3).
	InnerMethods []eap.Type
}

// ServerConfig configures the EAP-FAST method of a server node. The TLS
// settings (randomness, clock, certificate, key log, session cache) and
// the user database come from the eapauth.Server the method runs in.
type ServerConfig struct {
	Policy Policy
	// Issuer holds the authority's A-ID, A-ID-Info and master keys
	// (required).
	Issuer *fastpac.Issuer
}

// Server is the EAP-FAST method of one server node.
type Server struct {
	cfg    ServerConfig
	cache  *tlsengine.SessionCache
	mu     sync.Mutex
	truths []*Truth
}

// NewServer returns the method with cfg (defaults filled in).
func NewServer(cfg ServerConfig) (*Server, error) {
	if cfg.Issuer == nil || len(cfg.Issuer.AID) == 0 {
		return nil, errors.New("eapfast: the server needs an Issuer with an A-ID")
	}
	p := &cfg.Policy
	if p.TunnelPACLifetime <= 0 {
		p.TunnelPACLifetime = DefaultTunnelPACLifetime
	}
	if p.MachinePACLifetime <= 0 {
		p.MachinePACLifetime = DefaultMachinePACLifetime
	}
	if p.AuthorizationPACLifetime <= 0 {
		p.AuthorizationPACLifetime = DefaultAuthorizationPACLifetime
	}
	if p.InnerMethods == nil {
		p.InnerMethods = []eap.Type{eap.TypeMSCHAPv2, eap.TypeTLS}
	}
	if p.SessionTimeout <= 0 {
		p.SessionTimeout = eapauth.DefaultSessionTimeout
	}
	s := &Server{cfg: cfg}
	if p.EnableSessionResume && !p.UsePACs {
		s.cache = tlsengine.NewSessionCache(p.SessionTimeout)
	}
	return s, nil
}

// Factory is the method factory to register for eap.TypeFAST in an
// eapauth.ServerConfig.
func (s *Server) Factory() eapauth.ServerMethodFactory {
	return func(ctx *eapauth.ServerContext) (eapauth.ServerMethod, error) {
		t := &Truth{Chaining: ChainingNone}
		ctx.Outcome.Extra = t
		s.mu.Lock()
		s.truths = append(s.truths, t)
		s.mu.Unlock()
		return &serverMethod{srv: s, ctx: ctx, truth: t, pol: &s.cfg.Policy}, nil
	}
}

// Truths are the truths of the server's conversations, in order.
func (s *Server) Truths() []*Truth {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.truths)
}

// serverMethod is one conversation's EAP-FAST on the server.
type serverMethod struct {
	srv   *Server
	ctx   *eapauth.ServerContext
	pol   *Policy
	truth *Truth

	startID  uint8
	tl       *eapauth.TLSServer
	chPAC    *fastpac.Contents // the valid PAC of the ClientHello
	reneg    bool
	phase2   *serverPhase2
	msk      []byte
	finished bool
}

func (m *serverMethod) Type() eap.Type { return eap.TypeFAST }

// MSK is the EAP-FAST MSK after success.
func (m *serverMethod) MSK() []byte { return m.msk }

// Start is EAP-FAST Start: the S flag, version 1, the Authority-ID TLV.
func (m *serverMethod) Start(id uint8) ([]byte, error) {
	m.startID = id
	return eap.TLSFragment{Method: eap.TypeFAST, Flags: eap.FlagStart, Version: Version,
		AuthorityID: m.srv.cfg.Issuer.AID}.Marshal(), nil
}

// Handle runs the TLS layer; the first response (the ClientHello)
// decides the tunnel's configuration.
func (m *serverMethod) Handle(resp *eap.Packet, id uint8) ([]byte, eapauth.Verdict, error) {
	if m.tl == nil {
		m.phase1(resp)
	}
	data, v, err := m.tl.Handle(resp, id)
	if v != eapauth.Continue && !m.finished {
		m.finished = true
		if v == eapauth.Succeeded {
			m.truth.step(StepEAPSuccess)
		} else {
			m.truth.step(StepEAPFailure)
		}
	}
	return data, v, err
}

// phase1 reads the ClientHello before the TLS engine does, as the
// vendor's server does: a valid Tunnel or Machine PAC in the
// SessionTicket extension allows a PAC-based tunnel with any suite;
// otherwise the provisioning policy limits the suites.
func (m *serverMethod) phase1(resp *eap.Packet) {
	ch := peekClientHello(resp)
	cfg := m.ctx.Server.TLSConfig()
	cfg.TicketKey = nil
	cfg.SecureRenegotiation = true
	cfg.RequestClientCert = m.pol.RequestClientCertificate
	cfg.SessionCache = m.srv.cache
	cfg.PACResolver = func([]byte) ([]byte, bool) { return nil, false }
	if ch != nil && len(ch.SessionTicket) > 0 {
		opaque, _ := fast.PACOpaqueFromSessionTicket(ch.SessionTicket)
		m.presentedInHello(opaque)
	}
	switch {
	case m.chPAC != nil:
		key := m.chPAC.Key
		cfg.CipherSuites = allSuites
		cfg.PACResolver = func([]byte) ([]byte, bool) { return key, true }
	case !m.pol.UsePACs || !m.pol.AllowAnonymousProvisioning && !m.pol.AllowAuthenticatedProvisioning:
		cfg.CipherSuites = certificateSuites
	case !m.pol.AllowAuthenticatedProvisioning:
		cfg.CipherSuites = anonymousSuites
		if ch != nil && !slices.ContainsFunc(anonymousSuites, func(s uint16) bool { return slices.Contains(ch.CipherSuites, s) }) {
			m.truth.step(StepNoAnonymousCiphers)
		}
	case !m.pol.AllowAnonymousProvisioning:
		cfg.CipherSuites = certificateSuites
	default:
		cfg.CipherSuites = allSuites
	}
	sc := m.ctx.Server.Config()
	m.tl = eapauth.NewTLSServer(eap.TypeFAST, Version, tlsengine.Server(cfg), m)
	m.tl.MaxFragment, m.tl.Length, m.tl.Outcome = sc.MaxFragment, sc.LengthPolicy, m.ctx.Outcome
	m.tl.Start(m.startID)
}

// presentedInHello judges the PAC-Opaque of the ClientHello.
func (m *serverMethod) presentedInHello(opaque []byte) {
	c, err := m.srv.cfg.Issuer.Sealer.Open(opaque)
	if err != nil {
		m.truth.PACInClientHello = "unknown"
		return
	}
	switch c.Type {
	case fast.PACTypeTunnel:
		m.truth.step(StepTunnelPAC)
	case fast.PACTypeMachineAuthentication:
		m.truth.step(StepMachinePAC)
	}
	m.truth.PACInClientHello = c.Type.ReportName()
	m.truth.PACsPresented = append(m.truth.PACsPresented, c.Type.ReportName())
	ok := m.pol.UsePACs && !c.Expired(m.ctx.Server.Config().Time()) &&
		(c.Type == fast.PACTypeTunnel || c.Type == fast.PACTypeMachineAuthentication && m.pol.UseMachinePACs)
	if ok {
		m.chPAC = &c
	}
}

// peekClientHello decodes the ClientHello of the peer's first response
// when it came whole in one EAP packet (nil otherwise).
func peekClientHello(resp *eap.Packet) *tls.ClientHello {
	f, err := eap.ParseTLSFragment(resp)
	if err != nil || f.MoreFragments() {
		return nil
	}
	rec, _, err := tls.ParseRecord(f.Data, false)
	if err != nil || rec.Type != tls.ContentHandshake {
		return nil
	}
	msg, _, err := tls.ParseHandshakeFragment(rec.Fragment, false)
	if err != nil || msg.Type != tls.HandshakeTypeClientHello {
		return nil
	}
	var ch tls.ClientHello
	if ch.Unmarshal(msg.Body, false) != nil {
		return nil
	}
	return &ch
}

// TunnelEstablished asks again for a client certificate inside the
// tunnel when the first handshake brought none, then starts phase 2.
func (m *serverMethod) TunnelEstablished(l *eapauth.TLSServer) (eapauth.TLSStep, error) {
	cur := l.Conn().Current()
	if m.pol.RequestClientCertificate && cur.Kind == tlsengine.KindFull && !cur.Anonymous &&
		cur.ClientCertificate != tlsengine.ClientCertSent {
		m.truth.step(StepNoClientCertOuter)
		recs, err := l.Conn().Renegotiate()
		if err != nil {
			return eapauth.TLSStep{}, err
		}
		m.truth.step(StepRenegotiation)
		m.reneg = true
		return eapauth.TLSStep{Records: recs}, nil
	}
	return m.startPhase2(l)
}

// ApplicationData ends the renegotiation, then runs phase 2.
func (m *serverMethod) ApplicationData(l *eapauth.TLSServer, data []byte) (eapauth.TLSStep, error) {
	if m.reneg {
		if len(data) > 0 {
			return eapauth.TLSStep{}, errors.New("EAP-FAST: application data during the renegotiation")
		}
		m.reneg = false
		if l.Conn().Current().ClientCertificate != tlsengine.ClientCertSent {
			m.truth.step(StepNoClientCertInner)
		}
		return m.startPhase2(l)
	}
	if m.phase2 == nil {
		return eapauth.TLSStep{}, errors.New("EAP-FAST: application data before phase 2")
	}
	step, err := m.phase2.handle(data)
	if step.Verdict == eapauth.Succeeded {
		m.msk = m.phase2.keys.MSK()
	}
	return step, err
}

// startPhase2 names the tunnel, derives its keys and sends the first
// phase-2 request.
func (m *serverMethod) startPhase2(l *eapauth.TLSServer) (eapauth.TLSStep, error) {
	cur := l.Conn().Current()
	t := m.truth
	switch {
	case cur.Resumption == tlsengine.ResumptionPAC:
		t.Tunnel = "pac"
		t.step(StepPACTunnel)
	case cur.Anonymous:
		t.Tunnel, t.Provisioning = "anonymous", "anonymous"
		t.step(StepAnonymousTunnel)
	case m.pol.UsePACs && m.pol.AllowAuthenticatedProvisioning:
		t.Tunnel, t.Provisioning = "certificate", "authenticated"
		t.step(StepAuthenticatedTunnel)
	default:
		t.Tunnel = "certificate"
		t.step(StepPACLessTunnel)
	}
	seed, prov := sessionKeys(l.Conn())
	if seed == nil {
		return eapauth.TLSStep{}, errors.New("EAP-FAST: no session_key_seed")
	}
	m.phase2 = newServerPhase2(m, fast.NewKeyChain(seed), prov)
	return m.phase2.start(l.Identifier())
}
