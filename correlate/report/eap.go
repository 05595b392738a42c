package report

// EAP is the eap object of a radius-eap session.
type EAP struct {
	OuterIdentity   *string    `json:"outer_identity"`
	InnerIdentities []string   `json:"inner_identities"`
	Method          string     `json:"method"`
	MethodsOffered  []string   `json:"methods_proposed"`
	Naks            []string   `json:"naks"`
	InnerMethods    []string   `json:"inner_methods"`
	RADIUS          RADIUSInfo `json:"radius"`
	Decrypted       bool       `json:"decrypted"`
	Rounds          int        `json:"rounds"`
	FAST            *FAST      `json:"fast,omitempty"`
	PEAP            *PEAP      `json:"peap,omitempty"`
}

// RADIUSInfo is what the RADIUS layer of an EAP conversation showed.
type RADIUSInfo struct {
	NASIP            *string  `json:"nas_ip"`
	NASIdentifier    *string  `json:"nas_identifier"`
	CallingStationID *string  `json:"calling_station_id"`
	CalledStationID  *string  `json:"called_station_id"`
	AuditSessionID   *string  `json:"audit_session_id"`
	Requests         int      `json:"requests"`
	Retransmissions  int      `json:"retransmissions"`
	Unanswered       int      `json:"unanswered"`
	FinalCode        *string  `json:"final_code"`
	ReplyMessage     *string  `json:"reply_message"`
	FramedIP         *string  `json:"framed_ip"`
	MaxResponseMs    *float64 `json:"max_response_ms"`
	// MessageAuthenticator is "all", "some" or "none": how many
	// Access-Requests carried one.
	MessageAuthenticator string `json:"message_authenticator"`
}

// FAST is the eap.fast object (EAP-FAST only).
type FAST struct {
	Provisioning *string `json:"provisioning"`
	// Tunnel is null when no tunnel was built (the phase 1 handshake
	// failed or did not end in the capture).
	Tunnel           *string  `json:"tunnel"`
	PACInClientHello *string  `json:"pac_in_client_hello"`
	PACsPresented    []string `json:"pacs_presented"`
	PACsProvisioned  []string `json:"pacs_provisioned"`
	Chaining         string   `json:"chaining"`
	Cryptobinding    *string  `json:"cryptobinding"`
	AuthorityID      *string  `json:"authority_id"`
}

// PEAP is the eap.peap object (PEAP only).
type PEAP struct {
	Version       *int  `json:"version"`
	FastReconnect *bool `json:"fast_reconnect"`
}

// RADIUSOnly is the radius object of a radius session (PAP, CHAP, MAB,
// accounting, CoA, Disconnect, Status-Server).
type RADIUSOnly struct {
	RequestCode      string   `json:"request_code"`
	FinalCode        *string  `json:"final_code"`
	UserName         *string  `json:"user_name"`
	AuthMethod       *string  `json:"auth_method"`
	NASIP            *string  `json:"nas_ip"`
	NASIdentifier    *string  `json:"nas_identifier"`
	CallingStationID *string  `json:"calling_station_id"`
	CalledStationID  *string  `json:"called_station_id"`
	AuditSessionID   *string  `json:"audit_session_id"`
	AcctStatusType   *string  `json:"acct_status_type"`
	AcctSessionID    *string  `json:"acct_session_id"`
	Requests         int      `json:"requests"`
	Retransmissions  int      `json:"retransmissions"`
	Unanswered       int      `json:"unanswered"`
	MaxResponseMs    *float64 `json:"max_response_ms"`
	ReplyMessage     *string  `json:"reply_message"`
	FramedIP         *string  `json:"framed_ip"`
}

// TLSConn is the tls object of a tls session: the connection around its
// handshakes.
type TLSConn struct {
	ServerName       *string `json:"server_name"`
	ClientAppBytes   uint64  `json:"client_application_bytes"`
	ServerAppBytes   uint64  `json:"server_application_bytes"`
	ClientAppRecords uint64  `json:"client_application_records"`
	ServerAppRecords uint64  `json:"server_application_records"`
	Closed           string  `json:"closed"` // fin, rst, capture-end, idle
	Gaps             int     `json:"gaps"`
}
