package eapauth

import (
	"crypto/x509"
	"errors"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/samples/refimpl/radiusnode"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// DefaultSessionTimeout is the vendor's default TLS session cache
// lifetime for PEAP and EAP-TLS resumption.
const DefaultSessionTimeout = 7200 * time.Second

// DefaultCipherSuites are offered by peers and accepted by servers when
// their configuration names none.
var DefaultCipherSuites = []uint16{
	tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA,
}

// Policy mirrors the server's EAP settings as the vendor names them.
type Policy struct {
	// AllowedMethods are the outer methods, in order of preference
	// (default PEAP, then EAP-TLS).
	AllowedMethods []eap.Type
	// InnerMethods are the methods allowed inside a PEAP tunnel (default
	// EAP-MSCHAPv2).
	InnerMethods []eap.Type
	// EnableSessionResume lets TLS-based methods resume sessions by ID
	// from the node's cache; off, the server assigns no session IDs.
	EnableSessionResume bool
	// SessionTimeout is the cache lifetime (default
	// DefaultSessionTimeout).
	SessionTimeout time.Duration
	// EnableFastReconnect (PEAP): on a resumed session, skip the inner
	// method and send the Result TLV at once.
	EnableFastReconnect bool
}

// ServerConfig configures a Server: one node of the authentication
// service.
type ServerConfig struct {
	// Rand gives every random byte of the node (required).
	Rand io.Reader
	// Time is the node's clock (required).
	Time   func() time.Time
	Policy Policy

	// Certificate is the server's TLS certificate (required for PEAP and
	// EAP-TLS).
	Certificate *tlsengine.Certificate
	// CipherSuites accepted, in preference order (default
	// DefaultCipherSuites).
	CipherSuites         []uint16
	ExtendedMasterSecret bool
	// SessionCache is the node's TLS session cache; nil makes one with
	// Policy.SessionTimeout when Policy.EnableSessionResume is on.
	SessionCache *tlsengine.SessionCache
	// TicketKey, when set, lets the node issue and accept RFC 5077
	// tickets.
	TicketKey *tlsengine.TicketKey
	// ClientCAs, when set, are the CAs EAP-TLS client certificates must
	// chain to (FreeRADIUS' ca_file); nil accepts any certificate.
	ClientCAs *x509.CertPool
	// KeyLog receives each TLS master secret (NSS key log data).
	KeyLog func(clientRandom, masterSecret []byte)

	// Passwords is the user database of password methods: identity to
	// password.
	Passwords map[string]string
	// ServerName is the authenticator name in EAP-MSCHAPv2 challenges
	// (default "sscope").
	ServerName string

	// MaxFragment is the TLS data per EAP packet of TLS-based methods
	// (default DefaultMaxFragment); LengthPolicy where the TLS Message
	// Length goes (default eap.LengthOnFirst, as FreeRADIUS).
	MaxFragment  int
	LengthPolicy eap.LengthPolicy

	// Factories add or replace server methods (EAP-FAST registers type 43
	// here).
	Factories map[eap.Type]ServerMethodFactory
}

// Limits of a Server: idle conversations are forgotten after
// conversationIdle, at most maxConversations are kept open and the last
// maxOutcomes outcomes remembered.
const (
	conversationIdle = 60 * time.Second
	maxConversations = 4096
	maxOutcomes      = 4096
	stateLen         = 16
)

// Server is the EAP server of one node behind RADIUS: it keeps one
// Authenticator per conversation, keyed by the RADIUS State it hands out,
// and implements radiusnode.EAPServer.
type Server struct {
	cfg       ServerConfig
	cache     *tlsengine.SessionCache
	factories map[eap.Type]ServerMethodFactory

	mu       sync.Mutex
	convs    map[string]*serverConversation
	order    []string
	outcomes []*Outcome
}

type serverConversation struct {
	auth *Authenticator
	seen time.Time
}

// NewServer returns a node with cfg.
func NewServer(cfg ServerConfig) *Server {
	if cfg.Policy.SessionTimeout <= 0 {
		cfg.Policy.SessionTimeout = DefaultSessionTimeout
	}
	if cfg.Policy.AllowedMethods == nil {
		cfg.Policy.AllowedMethods = []eap.Type{eap.TypePEAP, eap.TypeTLS}
	}
	if cfg.Policy.InnerMethods == nil {
		cfg.Policy.InnerMethods = []eap.Type{eap.TypeMSCHAPv2}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = "sscope"
	}
	if cfg.CipherSuites == nil {
		cfg.CipherSuites = DefaultCipherSuites
	}
	s := &Server{cfg: cfg, convs: make(map[string]*serverConversation)}
	if cfg.Policy.EnableSessionResume {
		s.cache = cfg.SessionCache
		if s.cache == nil {
			s.cache = tlsengine.NewSessionCache(cfg.Policy.SessionTimeout)
		}
	}
	s.factories = map[eap.Type]ServerMethodFactory{
		eap.TypeMSCHAPv2: newMSCHAPv2ServerMethod,
		eap.TypePEAP:     newPEAPServer,
		eap.TypeTLS:      newEAPTLSServer,
	}
	maps.Copy(s.factories, cfg.Factories)
	return s
}

// Config is the node's configuration (defaults filled in).
func (s *Server) Config() *ServerConfig { return &s.cfg }

// SessionCache is the node's TLS session cache, nil when resumption is
// off.
func (s *Server) SessionCache() *tlsengine.SessionCache { return s.cache }

// TLSConfig returns a TLS server configuration for one conversation of a
// TLS-based method: the node's randomness, clock, certificate, suites,
// cache (when resumption is on), ticket key and key log.
func (s *Server) TLSConfig() *tlsengine.Config {
	return &tlsengine.Config{
		Rand:                 s.cfg.Rand,
		Time:                 s.cfg.Time,
		CipherSuites:         slices.Clone(s.cfg.CipherSuites),
		Certificate:          s.cfg.Certificate,
		ExtendedMasterSecret: s.cfg.ExtendedMasterSecret,
		SessionCache:         s.cache,
		TicketKey:            s.cfg.TicketKey,
		KeyLog:               s.cfg.KeyLog,
		SecureRenegotiation:  true,
	}
}

// NewConversation returns an outer conversation with the policy's
// methods, for use without RADIUS (ServeEAP makes its own).
func (s *Server) NewConversation() *Authenticator {
	return s.NewAuthenticator(s.cfg.Policy.AllowedMethods)
}

// NewInnerConversation returns a conversation with the methods allowed in
// a tunnel.
func (s *Server) NewInnerConversation() *Authenticator {
	return s.NewAuthenticator(s.cfg.Policy.InnerMethods)
}

// Outcomes are the truths of the conversations ServeEAP ended, in order.
func (s *Server) Outcomes() []*Outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.outcomes)
}

// ServeEAP implements radiusnode.EAPServer: a packet without State starts
// a conversation (it must be the peer's Identity response), one with
// State continues the conversation it names. An unknown State gets
// EAP-Failure.
func (s *Server) ServeEAP(state, msg []byte) radiusnode.EAPAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Time()
	s.expire(now)
	var key string
	var conv *serverConversation
	if len(state) == 0 {
		st, err := s.newState()
		if err != nil {
			return radiusnode.EAPAnswer{}
		}
		key = string(st)
		conv = &serverConversation{auth: s.NewConversation()}
	} else {
		key = string(state)
		conv = s.convs[key]
		if conv == nil {
			var p eap.Packet
			if p.DecodeFromBytes(msg) != nil {
				return radiusnode.EAPAnswer{}
			}
			return radiusnode.EAPAnswer{EAP: (&eap.Packet{Code: eap.CodeFailure, Identifier: p.Identifier}).Marshal()}
		}
	}
	out, v := conv.auth.Process(msg)
	if out == nil {
		return radiusnode.EAPAnswer{}
	}
	conv.seen = now
	if v != Continue {
		if _, ok := s.convs[key]; ok {
			s.forget(key)
		}
		s.outcomes = append(s.outcomes, conv.auth.Outcome())
		if len(s.outcomes) > maxOutcomes {
			s.outcomes = slices.Delete(s.outcomes, 0, len(s.outcomes)-maxOutcomes)
		}
		return radiusnode.EAPAnswer{EAP: out, MSK: conv.auth.MSK()}
	}
	if _, ok := s.convs[key]; !ok {
		s.convs[key] = conv
		s.order = append(s.order, key)
		for len(s.order) > maxConversations {
			s.forget(s.order[0])
		}
	}
	return radiusnode.EAPAnswer{EAP: out, State: []byte(key)}
}

// newState returns a fresh State value.
func (s *Server) newState() ([]byte, error) {
	for range 8 {
		st := make([]byte, stateLen)
		if _, err := io.ReadFull(s.cfg.Rand, st); err != nil {
			return nil, err
		}
		if _, taken := s.convs[string(st)]; !taken {
			return st, nil
		}
	}
	return nil, errors.New("eapauth: no fresh State")
}

// expire forgets conversations idle for longer than conversationIdle.
func (s *Server) expire(now time.Time) {
	for _, k := range slices.Clone(s.order) {
		if c := s.convs[k]; c != nil && now.Sub(c.seen) > conversationIdle {
			s.forget(k)
		}
	}
}

func (s *Server) forget(key string) {
	delete(s.convs, key)
	if i := slices.Index(s.order, key); i >= 0 {
		s.order = slices.Delete(s.order, i, i+1)
	}
}
