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
	// Decryption says whether the records protected with this
	// handshake's keys were decrypted (null when nothing was tried).
	Decryption *Decryption `json:"decryption"`
}

// Decryption statuses (closed list).
const (
	DecryptOK          = "decrypted"
	DecryptNoKey       = "no-key"
	DecryptBadMAC      = "bad-mac"
	DecryptUnsupported = "unsupported"
	DecryptNoHandshake = "no-handshake"
	DecryptMalformed   = "malformed"
	// DecryptNothing: the handshake protected no record the capture shows.
	DecryptNothing = "no-records"
)

// Decryption is what became of the records protected with one
// handshake's keys.
type Decryption struct {
	Status string `json:"status"`
	// Detail says why in words, e.g. "no key for client random 3ed4…"
	// or "MAC check failed — key does not match".
	Detail string `json:"detail,omitempty"`
	// KeySource says where the keys came from ("key log", "RSA private
	// key", "PAC file", "PAC provisioned earlier in the capture",
	// "session ID cache", ...).
	KeySource *string `json:"key_source"`
	Decrypted uint64  `json:"records_decrypted"`
	Failed    uint64  `json:"records_failed"`
}

// Offered is what the ClientHello put forward for resumption.
type Offered struct {
	SessionID string `json:"session_id"`
	Ticket    bool   `json:"ticket"`
	PACOpaque bool   `json:"pac_opaque"`
	PSK       bool   `json:"psk"`
	// AnonymousSuite: the ClientHello listed at least one anonymous
	// (DH_anon / ECDH_anon) cipher suite, which EAP-FAST anonymous
	// provisioning needs.
	AnonymousSuite bool `json:"anonymous_suite"`
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
