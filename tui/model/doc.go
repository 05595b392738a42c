// Package model holds what the terminal UI shows, built from the session
// model of correlate/report: sessions grouped per client in capture order,
// the short labels a list row needs (kind, identity, handshake verdict,
// worst finding), the findings across sessions, and the session filter.
//
// It only arranges and names what the report already says: it makes no
// verdicts and no findings (correlate and rules do), and it knows nothing
// about screens or keys (the views in package tui do).
package model
