// Package rules turns sessions into findings: conclusions with a severity,
// a one-sentence summary an engineer can paste into a ticket, the frames
// that prove it, and a hint on what to check or change.
//
// The rules read only the session model (correlate/report): what the
// correlator saw, including the frames it recorded as evidence. Per-session
// rules run as each session closes; rules that need several sessions (a
// client's connections to one server, for instance) keep a compact summary
// of each session and speak once at the end.
package rules
