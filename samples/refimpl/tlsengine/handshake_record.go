package tlsengine

import (
	"github.com/sessionscope/sscope/dissect/tls"
)

// Values of HandshakeRecord.Kind.
const (
	KindFull        = "full"
	KindAbbreviated = "abbreviated"
	KindFailed      = "failed"
	KindIncomplete  = "incomplete"
)

// Values of HandshakeRecord.Resumption.
const (
	ResumptionNone          = ""
	ResumptionSessionID     = "session-id"
	ResumptionSessionTicket = "session-ticket"
	ResumptionPAC           = "pac"
)

// Values of HandshakeRecord.ClientCertificate.
const (
	ClientCertSent         = "sent"
	ClientCertEmpty        = "empty"
	ClientCertNotRequested = "not-requested"
)

// HandshakeRecord is what this endpoint did in one handshake (the initial
// one or a renegotiation): the truth an expected report is written from.
type HandshakeRecord struct {
	// Kind is "full", "abbreviated", "failed" (a fatal alert sent or
	// received before both Finished messages) or "incomplete" (still
	// running).
	Kind string
	// Resumption says how an abbreviated handshake resumed:
	// "session-id", "session-ticket", "pac", or "".
	Resumption string
	// From the ClientHello: the session ID offered, whether it carried a
	// ticket, or an EAP-FAST PAC-Opaque.
	OfferedSessionID []byte
	OfferedTicket    bool
	OfferedPACOpaque bool
	// ResumptionRefused: a session ID, ticket or PAC was offered and a
	// full handshake followed.
	ResumptionRefused bool
	ClientSessionID   []byte
	ServerSessionID   []byte
	CipherSuite       uint16
	Anonymous         bool
	// ClientCertificate is "sent", "empty" or "not-requested".
	ClientCertificate string
	Renegotiation     bool
	// Alert is the first fatal alert of the handshake (or of the
	// connection after it), and whether this endpoint sent it.
	Alert         *tls.Alert
	AlertSentByUs bool
	EMS           bool
	TicketIssued  bool
	ClientRandom  [32]byte
	ServerRandom  [32]byte
	MasterSecret  []byte
}

// Complete reports whether the handshake finished (both Finished
// messages verified).
func (r *HandshakeRecord) Complete() bool { return r.Kind == KindFull || r.Kind == KindAbbreviated }

func (r *HandshakeRecord) clone() HandshakeRecord {
	c := *r
	c.OfferedSessionID = cloneBytes(r.OfferedSessionID)
	c.ClientSessionID = cloneBytes(r.ClientSessionID)
	c.ServerSessionID = cloneBytes(r.ServerSessionID)
	c.MasterSecret = cloneBytes(r.MasterSecret)
	if r.Alert != nil {
		a := *r.Alert
		c.Alert = &a
	}
	return c
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
