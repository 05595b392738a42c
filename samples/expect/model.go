package expect

import (
	"encoding/json"
	"fmt"
	"os"
)

// SchemaID names the format of an expected-verdicts file.
const SchemaID = "sscope.expected/v1"

// Sample is the expected verdicts of one sample capture.
type Sample struct {
	Schema   string `json:"schema"`
	Scenario string `json:"scenario"`
	Title    string `json:"title"`
	// Capture, KeyLog and PACFile are file names beside the expected file.
	Capture string `json:"capture"`
	KeyLog  string `json:"keylog,omitempty"`
	PACFile string `json:"pac_file,omitempty"`
	// Sessions are in the order of their first frame.
	Sessions []Session `json:"sessions"`
	// Findings are finding IDs the whole report must contain (cross-session
	// findings included).
	Findings []string `json:"findings"`
	// Absent are finding IDs the report must not contain.
	Absent []string `json:"absent_findings,omitempty"`
}

// Session is one expected session. Pointer fields left nil are not
// checked.
type Session struct {
	Kind       string      `json:"kind"`
	Outcome    string      `json:"outcome"`
	ClientIP   string      `json:"client_ip"`
	ServerIP   string      `json:"server_ip"`
	EAP        *EAP        `json:"eap,omitempty"`
	Handshakes []Handshake `json:"tls_handshakes"`
	// Findings are finding IDs this session must carry.
	Findings []string `json:"findings"`
	// Steps are the server's own numbered log steps for the conversation
	// (vendor numbering), for the engineer comparing timelines; not
	// compared.
	Steps []string `json:"server_steps,omitempty"`
}

// EAP is the expected eap object.
type EAP struct {
	OuterIdentity   *string  `json:"outer_identity"`
	InnerIdentities []string `json:"inner_identities"`
	Method          string   `json:"method"`
	InnerMethods    []string `json:"inner_methods"`
	FinalCode       *string  `json:"final_code"`
	CallingStation  *string  `json:"calling_station_id"`
	NASIP           *string  `json:"nas_ip"`
	AuditSessionID  *string  `json:"audit_session_id"`
	Requests        int      `json:"requests"`
	Retransmissions int      `json:"retransmissions"`
	PEAP            *PEAP    `json:"peap,omitempty"`
	FAST            *FAST    `json:"fast,omitempty"`
}

// PEAP is the expected eap.peap object.
type PEAP struct {
	Version       int   `json:"version"`
	FastReconnect *bool `json:"fast_reconnect"`
}

// FAST is the expected eap.fast object.
type FAST struct {
	Provisioning     *string  `json:"provisioning"`
	Tunnel           *string  `json:"tunnel"`
	PACInClientHello *string  `json:"pac_in_client_hello"`
	PACsPresented    []string `json:"pacs_presented"`
	PACsProvisioned  []string `json:"pacs_provisioned"`
	Chaining         string   `json:"chaining"`
	Cryptobinding    *string  `json:"cryptobinding"`
}

// Handshake is one expected TLS handshake.
type Handshake struct {
	Version           string  `json:"version"`
	Kind              string  `json:"kind"`
	Resumption        *string `json:"resumption"`
	OfferedSessionID  string  `json:"offered_session_id"`
	OfferedTicket     bool    `json:"offered_ticket"`
	OfferedPACOpaque  bool    `json:"offered_pac_opaque"`
	ResumptionRefused bool    `json:"resumption_refused"`
	ClientSessionID   string  `json:"client_session_id"`
	ServerSessionID   string  `json:"server_session_id"`
	CipherSuite       *string `json:"cipher_suite"`
	Anonymous         bool    `json:"anonymous"`
	ClientCertificate string  `json:"client_certificate"`
	Renegotiation     bool    `json:"renegotiation"`
	Alert             *string `json:"alert"` // description, e.g. "handshake_failure"
	// FirstFrame is the frame that carried the ClientHello (0 when it was
	// encrypted).
	FirstFrame uint64 `json:"first_frame"`
	// Encrypted is true when the whole handshake ran inside an established
	// tunnel (renegotiation), so only a decrypting analyzer can see it.
	Encrypted bool `json:"encrypted"`
}

// Load reads an expected-verdicts file.
func Load(path string) (*Sample, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Sample
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.Schema != SchemaID {
		return nil, fmt.Errorf("%s: schema %q, want %q", path, s.Schema, SchemaID)
	}
	return &s, nil
}

// Marshal writes the file form: indented JSON with a final newline.
func (s *Sample) Marshal() ([]byte, error) {
	s.Schema = SchemaID
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
