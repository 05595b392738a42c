// Package render writes a report for people (text) and for programs (JSON
// and NDJSON). It only reads the session model; what the report says is
// decided upstream.
package render
