package report

// Str returns a pointer to s, or nil when s is empty: absent values are
// null in the report, not "".
func Str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Bool returns a pointer to b.
func Bool(b bool) *bool { return &b }

// Redacted replaces secrets in every output unless the user opts out.
const Redacted = "<redacted>"

// ShortHex abbreviates a hex string (a session ID, say) for lines people
// read: the first 8 and the last 4 digits.
func ShortHex(h string) string {
	if len(h) <= 16 {
		return h
	}
	return h[:8] + "…" + h[len(h)-4:]
}
