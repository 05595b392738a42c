package correlate

import (
	"time"

	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect/eapfast"
)

// Default ports.
var (
	DefaultRADIUSPorts = []uint16{1812, 1813, 1645, 1646, 3799}
	DefaultTLSPorts    = []uint16{443}
)

// Judge turns sessions into findings. Session is called for every session
// as it closes, before it is emitted, and may add findings to it; Finish is
// called once at the end and returns findings that span sessions (each
// naming its session).
type Judge interface {
	Session(s *report.Session)
	Finish() []report.Finding
}

// Options configure an analysis.
type Options struct {
	RADIUSPorts []uint16
	TLSPorts    []uint16
	// TLSDetect follows TLS on any TCP port by its signature.
	TLSDetect   bool
	ShowSecrets bool
	// Keylog is recorded in the report (the first key log file given).
	Keylog string
	// Keys holds the user's key material (key logs, RSA private keys)
	// for decrypting the TLS tunnels of EAP methods. The Decryption
	// Secrets Blocks of pcapng inputs are added to it unless
	// NoEmbeddedSecrets; nil: a store of the analysis's own.
	Keys *keys.Store
	// PACs are EAP-FAST PACs (from PAC files): their PAC-Keys decrypt
	// PAC-based tunnels and their types name the PACs a capture shows.
	PACs []eapfast.PACFileEntry
	// NoEmbeddedSecrets ignores the inputs' Decryption Secrets Blocks.
	NoEmbeddedSecrets bool
	// KeyInputs describe the key material given, for the report.
	KeyInputs []report.KeyInput
	// Judge makes findings; nil makes none.
	Judge Judge
	// OnSession receives each session once it is closed and judged.
	OnSession func(*report.Session)
	// KeepSessions keeps every session for the final report (JSON and
	// text need them; NDJSON streams them and does not).
	KeepSessions bool
	// Idle closes sessions without packets for this long (capture time).
	Idle time.Duration
	// Version is written in the report's generator.
	Version string
}
