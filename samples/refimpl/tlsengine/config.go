package tlsengine

import (
	"crypto/rsa"
	"crypto/x509"
	"io"
	"time"
)

// Certificate is an endpoint's certificate chain (DER, leaf first) and the
// leaf's private key.
type Certificate struct {
	Chain [][]byte
	Key   *rsa.PrivateKey
}

// ClientSession is what a client keeps to resume: the session ID the
// server assigned, the ticket it issued, the master secret and the
// session's parameters.
type ClientSession struct {
	ID           []byte
	Ticket       []byte
	MasterSecret []byte
	CipherSuite  uint16
	EMS          bool
}

// DefaultTicketLifetime is how long a ticket is accepted when
// Config.TicketLifetime is zero (the vendor default session lifetime).
const DefaultTicketLifetime = 7200 * time.Second

// Config configures one endpoint. Rand and Time are required.
type Config struct {
	// Rand supplies every random byte: hello randoms, session IDs, key
	// exchange secrets, CBC IVs, ticket IVs.
	Rand io.Reader
	// Time is the clock for cache and ticket lifetimes and certificate
	// validity.
	Time func() time.Time
	// CipherSuites: the client offers them in order; the server accepts
	// them in this order of preference.
	CipherSuites []uint16
	// Certificate is the server's certificate (nil when only anonymous or
	// PAC suites are possible), or the client's answer to a
	// CertificateRequest (nil sends an empty Certificate).
	Certificate *Certificate
	// RequestClientCert makes the server send a CertificateRequest in
	// every full handshake (renegotiations included) of a certificate
	// suite.
	RequestClientCert bool
	// ExtendedMasterSecret offers (client) or accepts (server) RFC 7627.
	ExtendedMasterSecret bool
	// SessionCache is the server's per-node cache. nil: the server never
	// assigns a session ID and cannot resume by ID.
	SessionCache *SessionCache
	// TicketKey lets the server issue RFC 5077 tickets to clients that
	// offer the extension, and accept them. nil: no tickets.
	TicketKey *TicketKey
	// TicketLifetime is the ticket lifetime hint and how long the server
	// accepts its tickets (DefaultTicketLifetime when zero).
	TicketLifetime time.Duration
	// Session is the session the client offers to resume (its ID, or its
	// ticket with a fresh random session ID).
	Session *ClientSession
	// OfferTicket makes the client send a SessionTicket extension (empty
	// unless Session holds a ticket).
	OfferTicket bool
	// PACOpaque and PACKey are the client's EAP-FAST PAC: the PAC-Opaque
	// goes into the SessionTicket extension with a fresh random session
	// ID; if the server echoes that ID the master secret comes from the
	// PAC-Key (RFC 4851 section 5.1) and the abbreviated flow follows.
	PACOpaque, PACKey []byte
	// PACResolver is the EAP-FAST server's PAC-Opaque decryption: it
	// returns the PAC-Key, or ok=false for a full handshake. When set,
	// SessionTicket extension data is a PAC-Opaque, never a ticket.
	PACResolver func(opaque []byte) (pacKey []byte, ok bool)
	// KeyLog is called once per handshake when the master secret is
	// known, with the data of an NSS key log CLIENT_RANDOM line.
	KeyLog func(clientRandom, masterSecret []byte)
	// ServerName is the client's SNI host name (omitted when empty).
	ServerName string
	// SecureRenegotiation sends and expects renegotiation_info (RFC
	// 5746). Renegotiation is refused without it.
	SecureRenegotiation bool
	// RootCAs, when set, makes the client verify the server's chain
	// (fatal bad_certificate or unknown_ca on failure). nil: the chain is
	// accepted unverified, the signatures still are checked.
	RootCAs *x509.CertPool
}

func (c *Config) ticketLifetime() time.Duration {
	if c.TicketLifetime > 0 {
		return c.TicketLifetime
	}
	return DefaultTicketLifetime
}
