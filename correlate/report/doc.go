// Package report is the session model every output reads: the report of
// REPORT.md (schema "sscope.report/v1") with its sessions, TLS handshakes,
// timelines, clients and findings.
//
// It is produced by package correlate, judged by package rules and rendered
// by the command line (text, JSON, NDJSON) and the terminal UI. It holds no
// protocol logic: it only names things, fixes the closed enumerations of the
// contract, and knows how to marshal itself. The JSON Schema of the report
// lives beside it (schema.json) and is embedded as Schema.
package report
