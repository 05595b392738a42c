package report

// Handshake kinds (closed list).
const (
	HandshakeFull        = "full"
	HandshakeAbbreviated = "abbreviated"
	HandshakeFailed      = "failed"
	HandshakeIncomplete  = "incomplete"
)

// Resumption mechanisms of an abbreviated handshake.
const (
	ResumeSessionID = "session-id"
	ResumeTicket    = "session-ticket"
	ResumePAC       = "pac"
	ResumePSK       = "psk"
)

// Client certificate states (closed list).
const (
	ClientCertSent         = "sent"
	ClientCertEmpty        = "empty"
	ClientCertNotRequested = "not-requested"
	ClientCertUnknown      = "unknown"
)

// TLSHandshake is one TLS or DTLS handshake, over TCP, inside EAP or over
// UDP, judged the same way wherever it ran.
type TLSHandshake struct {
	Version           string  `json:"version"`
	Kind              string  `json:"kind"`
	Resumption        *string `json:"resumption"`
	Offered           Offered `json:"offered"`
	ResumptionRefused *bool   `json:"resumption_refused"`
	// RefusalNote explains resumption_refused: why an offer counts as a
	// real attempt, or why it cannot be known.
	RefusalNote       string     `json:"resumption_note,omitempty"`
	ClientSessionID   string     `json:"client_session_id"`
	ServerSessionID   string     `json:"server_session_id"`
	CipherSuite       *string    `json:"cipher_suite"`
	Anonymous         bool       `json:"anonymous"`
	ClientCertificate string     `json:"client_certificate"`
	Renegotiation     bool       `json:"renegotiation"`
	Alert             *Alert     `json:"alert"`
	FirstFrame        uint64     `json:"first_frame"`
	LastFrame         uint64     `json:"last_frame"`
	ServerHelloFrame  uint64     `json:"server_hello_frame"`
	ClientVersion     string     `json:"client_max_version"`
	ServerName        *string    `json:"server_name"`
	Messages          []string   `json:"messages"`
	TicketIssued      bool       `json:"ticket_issued"`
	ExtendedMaster    bool       `json:"extended_master_secret"`
	ServerCerts       []CertInfo `json:"server_certificates"`
	ClientCerts       []CertInfo `json:"client_certificates"`
	ClientRandom      string     `json:"client_random"`
}

// Offered is what the ClientHello put forward for resumption.
type Offered struct {
	SessionID string `json:"session_id"`
	Ticket    bool   `json:"ticket"`
	PACOpaque bool   `json:"pac_opaque"`
	PSK       bool   `json:"psk"`
}

// Alert is a TLS alert. Encrypted alerts have no readable description.
type Alert struct {
	Level       string `json:"level"`
	Description string `json:"description"`
	Frame       uint64 `json:"frame"`
	Direction   string `json:"direction"`
	Encrypted   bool   `json:"encrypted"`
}

// CertInfo summarises one certificate of a chain.
type CertInfo struct {
	Subject    string   `json:"subject"`
	Issuer     string   `json:"issuer"`
	Serial     string   `json:"serial"`
	NotBefore  *string  `json:"not_before"`
	NotAfter   *string  `json:"not_after"`
	DNSNames   []string `json:"dns_names"`
	SHA256     string   `json:"sha256"`
	ParseError *string  `json:"parse_error"`
}
