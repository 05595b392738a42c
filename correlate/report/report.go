package report

// SchemaID is the value of the report's "schema" field. Renaming or dropping
// a required field needs a new schema version.
const SchemaID = "sscope.report/v1"

// Report is the whole analysis of one run over one or more inputs.
type Report struct {
	Schema    string     `json:"schema"`
	Generator Generator  `json:"generator"`
	Inputs    []Input    `json:"inputs"`
	Options   Options    `json:"options"`
	Stats     Stats      `json:"stats"`
	Sessions  []*Session `json:"sessions"`
	Clients   []Client   `json:"clients"`
	Findings  []Finding  `json:"findings"`
	// Problems lists what could not be decoded (malformed or truncated
	// packets, damaged input files, caps hit), each with where it happened.
	Problems []Problem `json:"problems"`
}

// Generator names the program that wrote the report.
type Generator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Input describes one capture file (or live interface) that was read.
type Input struct {
	Path      string   `json:"path"`
	Format    string   `json:"format"` // pcap, pcapng, live, unknown
	LinkTypes []string `json:"link_types"`
	Packets   uint64   `json:"packets"`
	Bytes     uint64   `json:"bytes"`
	FirstSeen *Time    `json:"first_seen"`
	LastSeen  *Time    `json:"last_seen"`
	// Complete is false when the input could only be partly read; Error
	// then says why (damaged, truncated, unreadable).
	Complete bool    `json:"complete"`
	Error    *string `json:"error"`
	// Capture describes a live capture; absent for files.
	Capture *Capture `json:"capture,omitempty"`
}

// Options records the analysis options that shape the report, so a report
// pasted into a ticket says how it was made.
type Options struct {
	RADIUSPorts []int   `json:"radius_ports"`
	TLSPorts    []int   `json:"tls_ports"`
	TLSDetect   bool    `json:"tls_signature_detection"`
	Keylog      *string `json:"keylog"`
	ShowSecrets bool    `json:"show_secrets"`
	// Keys lists the key material the analysis read: key logs, PAC
	// files, RSA private keys and the Decryption Secrets Blocks of the
	// inputs (never the keys themselves).
	Keys []KeyInput `json:"keys"`
}

// Kinds of KeyInput.
const (
	KeyInputKeylog  = "keylog"
	KeyInputPACFile = "pac-file"
	KeyInputRSAKey  = "rsa-key"
	KeyInputDSB     = "decryption-secrets-block"
)

// KeyInput is one source of key material.
type KeyInput struct {
	Kind   string `json:"kind"`
	Source string `json:"source"`
	// Entries is how many secrets (key log lines, PACs, keys) it gave.
	Entries int `json:"entries"`
	// Problems counts entries that could not be used.
	Problems int `json:"problems"`
}

// Stats counts packets. Every packet read falls in exactly one of decoded,
// skipped, malformed and truncated, so they add up to packets.
type Stats struct {
	Packets uint64 `json:"packets"`
	// Decoded: packets of a protocol we analyze that decoded cleanly.
	Decoded uint64 `json:"decoded"`
	// Malformed: packets whose headers or protocol payload did not decode.
	Malformed uint64 `json:"malformed"`
	// Truncated: packets cut short by the capture's snap length where it
	// mattered to decoding.
	Truncated uint64 `json:"truncated"`
	// Skipped: packets that cannot matter to the analysis (other protocols).
	Skipped uint64 `json:"skipped"`

	IPFragmentsReassembled uint64 `json:"ip_fragments_reassembled"`
	IPFragmentsTimedOut    uint64 `json:"ip_fragments_timed_out"`
	TCPStreams             uint64 `json:"tcp_streams"`
	TCPGaps                uint64 `json:"tcp_gaps"`
	TCPGapBytes            uint64 `json:"tcp_gap_bytes"`
	TCPRetransmissions     uint64 `json:"tcp_overlap_packets"`
	RADIUSPackets          uint64 `json:"radius_packets"`
	EAPPackets             uint64 `json:"eap_packets"`
	TLSRecords             uint64 `json:"tls_records"`
}

// Problem is something that could not be decoded, with where it was.
type Problem struct {
	Input  int    `json:"input"`
	Frame  uint64 `json:"frame"` // 0 when it concerns the input as a whole
	Layer  string `json:"layer"`
	Kind   string `json:"kind"` // truncated, malformed, unsupported, cap-exceeded, damaged-input
	Detail string `json:"detail"`
	// Count is how many times the same problem (same layer, kind and
	// detail) was seen; Frame is the first.
	Count int `json:"count"`
}

// Client groups the sessions of one client, in time order, so that
// re-authentications and reconnections of the same client line up.
type Client struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Sessions []string `json:"sessions"`
}
