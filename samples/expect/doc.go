// Package expect holds what a sample capture should make the analyzer say:
// the expected verdicts of every session, written by the reference
// implementation from what its endpoints did, and the comparison of those
// verdicts with a real report, field by field.
//
// It is not the report model (correlate/report) and not a second analyzer:
// an expected file lists only verdicts, never how to find them.
package expect
