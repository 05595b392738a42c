package handshake

import (
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// Alert is an alert seen on the connection.
type Alert struct {
	Level       uint8
	Description uint8
	Encrypted   bool
	Dir         Dir
	At          Ref
}

// Handshake is what was seen of one handshake.
type Handshake struct {
	// Renegotiation: it ran inside an established connection (and was
	// therefore encrypted, unless the capture shows it in clear).
	Renegotiation bool
	// Encrypted: the handshake messages themselves could not be read
	// (renegotiation under the previous keys); only record types and
	// their order are known.
	Encrypted bool

	ClientHello      *tlsd.ClientHello
	ServerHello      *tlsd.ServerHello
	FirstClientHello *tlsd.ClientHello // before a HelloRetryRequest / HelloVerifyRequest
	First, Last      Ref
	chRef, shRef     Ref
	Messages         []string
	HelloRetry       bool
	sslv2Hit         bool
	HelloVerify      bool

	ServerCerts       [][]byte
	ClientCerts       [][]byte
	clientCertMsg     bool
	CertRequested     bool
	ServerKeyExchange bool
	ServerHelloDone   bool
	ClientKeyExchange bool
	TicketIssued      bool

	ccs      [2]bool
	ccsOrder []Dir
	finished [2]bool
	// TLS 1.3: records of type application_data after the ServerHello.
	enc13             [2]int
	enc13Len          [2]int // length of the first such client record after the server's flight
	clientAfterServer bool

	Alert    *Alert
	ended    bool // the connection or conversation ended
	endedAt  Ref
	lostSync bool

	// Resumption evidence computed when the ClientHello was seen.
	offerAssigned  *Assignment
	pacInTicket    bool
	reg            *Registry
	registryServer string
}

// Complete reports whether both sides finished the handshake.
func (h *Handshake) Complete() bool {
	return h.finished[ClientToServer] && h.finished[ServerToClient]
}

func (h *Handshake) addMessage(dir Dir, name string, at Ref) {
	if len(h.Messages) < 64 {
		if dir == ClientToServer {
			h.Messages = append(h.Messages, "c:"+name)
		} else {
			h.Messages = append(h.Messages, "s:"+name)
		}
	}
	if h.First.Frame == 0 && h.First.Time.IsZero() {
		h.First = at
	}
	h.Last = at
}

// negotiatedVersion is the version the server chose, or 0.
func (h *Handshake) negotiatedVersion() tlsd.Version {
	if h.ServerHello == nil {
		return 0
	}
	return h.ServerHello.NegotiatedVersion()
}

func (h *Handshake) isTLS13() bool {
	v := h.negotiatedVersion()
	return v != 0 && v.IsTLS13()
}

// abbreviated reports whether the message pattern is that of an
// abbreviated (resumed) handshake.
func (h *Handshake) abbreviated() bool {
	if h.Encrypted {
		// Only record order is known: in an abbreviated handshake the
		// server changes cipher spec first.
		return len(h.ccsOrder) > 0 && h.ccsOrder[0] == ServerToClient
	}
	if h.ServerHello == nil {
		return false
	}
	if h.ServerHello.Version == tlsd.VersionSSL20 {
		return h.sslv2Hit
	}
	if h.isTLS13() {
		return h.ServerHello.HasSelectedPSK
	}
	if len(h.ServerCerts) > 0 || h.ServerKeyExchange || h.ServerHelloDone || h.CertRequested || h.ClientKeyExchange {
		return false
	}
	if len(h.ccsOrder) > 0 {
		return h.ccsOrder[0] == ServerToClient
	}
	// Nothing after the ServerHello yet: a resumed session ID is the only clue.
	return h.ClientHello != nil && len(h.ClientHello.SessionID) > 0 && string(h.ClientHello.SessionID) == string(h.ServerHello.SessionID)
}
