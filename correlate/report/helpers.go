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
