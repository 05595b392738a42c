package report

// Session kinds (closed list).
const (
	KindRADIUSEAP  = "radius-eap"
	KindRADIUS     = "radius"
	KindTLS        = "tls"
	KindAnyConnect = "anyconnect"
	KindDTLS       = "dtls"
	KindIKEv2      = "ikev2"
)

// Session outcomes (closed list).
const (
	OutcomeSuccess    = "success"
	OutcomeFailure    = "failure"
	OutcomeIncomplete = "incomplete"
	OutcomeUnknown    = "unknown"
)

// Session is one authentication, connection or negotiation.
type Session struct {
	ID         string   `json:"id"`
	Kind       string   `json:"kind"`
	Client     Endpoint `json:"client"`
	Server     Endpoint `json:"server"`
	Start      Time     `json:"start"`
	End        Time     `json:"end"`
	Input      int      `json:"input"`
	FirstFrame uint64   `json:"first_frame"`
	LastFrame  uint64   `json:"last_frame"`
	Packets    int      `json:"packets"`
	Outcome    string   `json:"outcome"`
	Summary    string   `json:"summary"`
	ClientKey  string   `json:"client_key"`
	// ClientLabel names the client for people; the report writes it in
	// the clients list.
	ClientLabel string `json:"-"`
	Filter      string `json:"display_filter"`

	// The object of the session's kind.
	EAP    *EAP        `json:"eap,omitempty"`
	RADIUS *RADIUSOnly `json:"radius,omitempty"`
	TLS    *TLSConn    `json:"tls,omitempty"`

	Handshakes []TLSHandshake `json:"tls_handshakes"`
	Timeline   []Event        `json:"timeline"`
	// Findings is the last member of a session's JSON, so that writers can
	// add findings made later (across sessions) to a session already
	// encoded.
	Findings []Finding `json:"findings"`

	// Evidence holds the frames behind facts the rules judge, by fact
	// (e.g. "radius.no-message-authenticator"). It is not written out.
	Evidence map[string][]uint64 `json:"-"`
}

// Endpoint is one side of a session. The client side may carry the
// identifiers the capture revealed about it.
type Endpoint struct {
	IP               string  `json:"ip"`
	Port             int     `json:"port"`
	MAC              *string `json:"mac,omitempty"`
	CallingStationID *string `json:"calling_station_id,omitempty"`
	Identity         *string `json:"identity,omitempty"`
}

// Directions of a timeline event.
const (
	C2S = "c2s"
	S2C = "s2c"
)

// Event is one line of a session's timeline.
type Event struct {
	Time      Time   `json:"time"`
	Input     int    `json:"input"`
	Frame     uint64 `json:"frame"`
	Direction string `json:"direction"`
	Layer     string `json:"layer"`
	Event     string `json:"event"`
	Detail    string `json:"detail,omitempty"`
}

// Severities of a finding (closed list).
const (
	SeverityInfo    = "info"
	SeverityWarning = "warning"
	SeverityError   = "error"
)

// Finding is a conclusion an engineer can paste into a ticket.
type Finding struct {
	ID       string   `json:"id"`
	Severity string   `json:"severity"`
	Session  string   `json:"session"`
	Summary  string   `json:"summary"`
	Frames   []uint64 `json:"frames"`
	Hint     string   `json:"hint"`
}
