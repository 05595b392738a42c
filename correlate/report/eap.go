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
	// InnerFailure says why an inner method failed when the decrypted
	// tunnel showed it, e.g. "EAP-MSCHAPv2 E=691 (authentication
	// failure)"; null otherwise.
	InnerFailure *string `json:"inner_failure"`
	// TTLS holds what the decrypted EAP-TTLS tunnel showed (EAP-TTLS
	// only).
	TTLS *TTLS `json:"ttls,omitempty"`
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
	// CryptobindingBasis says how cryptobinding was judged:
	// "compound-mac" (the Compound MACs were checked with keys derived
	// from the tunnel), "server-reaction" (the server's answer to the
	// peer's Crypto-Binding TLV, when an inner method's key cannot be
	// derived, as for EAP-MSCHAPv2 without the password), or null.
	CryptobindingBasis *string `json:"cryptobinding_basis"`
	// PACs lists every PAC seen: offered in the ClientHello, presented
	// or requested inside the tunnel, provisioned by the server.
	PACs []PACSeen `json:"pacs"`
	// Phase2Messages counts the EAP-FAST messages of phase 2 (the
	// encrypted tunnel) per direction, visible without keys.
	Phase2Messages Phase2Count `json:"phase2_messages"`
}

// Phase2Count counts the messages of an encrypted phase 2 by direction.
type Phase2Count struct {
	ClientToServer int `json:"c2s"`
	ServerToClient int `json:"s2c"`
}

// PAC events of PACSeen.Event.
const (
	PACInClientHello = "client-hello"
	PACPresented     = "presented"
	PACRequested     = "requested"
	PACProvisioned   = "provisioned"
)

// PACSeen is one PAC as the capture showed it. The PAC-Key is a secret:
// "<redacted>" unless the user asked for secrets; the PAC-Opaque is named
// by its length and the first bytes of its SHA-256, enough to match it
// with a PAC file entry.
type PACSeen struct {
	Event string `json:"event"`
	Frame uint64 `json:"frame"`
	// Type is a PAC type name or "unknown" (a PAC-Opaque that no PAC file
	// and no provisioning in the capture identifies).
	Type         string  `json:"type"`
	OpaqueLength int     `json:"pac_opaque_length"`
	OpaqueSHA256 *string `json:"pac_opaque_sha256_prefix"`
	Key          *string `json:"pac_key"`
	AID          *string `json:"a_id"`
	AIDInfo      *string `json:"a_id_info"`
	IID          *string `json:"i_id"`
	Expires      *string `json:"expires"`
	// Acknowledged: the peer acknowledged a provisioned PAC (true), or
	// refused it (false); null when not provisioned or not yet known.
	Acknowledged *bool `json:"acknowledged"`
	// IdentifiedBy says how the type of a PAC the peer offered was
	// learnt: "pac-file", "provisioning-in-capture", or "inferred" (from
	// how the server handled it); null for unknown types and for PACs
	// the server provisioned (their PAC-Info names the type).
	IdentifiedBy *string `json:"identified_by"`
}

// How a PAC's type was learnt (PACSeen.IdentifiedBy).
const (
	PACByFile      = "pac-file"
	PACByCapture   = "provisioning-in-capture"
	PACByInference = "inferred"
)

// PEAP is the eap.peap object (PEAP only).
type PEAP struct {
	Version       *int  `json:"version"`
	FastReconnect *bool `json:"fast_reconnect"`
	// ResultTLV is the server's Result TLV ("success" or "failure"),
	// null when the tunnel was not decrypted or none was sent.
	ResultTLV *string `json:"result_tlv"`
}

// TTLS is the eap.ttls object: the AVPs of the decrypted EAP-TTLS tunnel.
type TTLS struct {
	// AVPs names the AVPs the peer sent, in order (e.g. "User-Name",
	// "MS-CHAP2-Response", "EAP-Message").
	AVPs []string `json:"avps"`
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
