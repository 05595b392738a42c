package source

import "fmt"

// Reasons an input could not be (fully) read.
const (
	ReasonUnreadable = "unreadable"  // could not be opened or read at all
	ReasonEmpty      = "empty"       // zero bytes
	ReasonNotCapture = "not-capture" // no pcap/pcapng magic
	ReasonBadHeader  = "bad-header"  // the file header is cut short or wrong
	ReasonTruncated  = "truncated"   // ends in the middle of a record
	ReasonDamaged    = "damaged"     // a record that cannot be right
)

// InputError says why an input could not be read to its end. Packets is how
// many packets were delivered before the problem, Offset the byte offset
// (in the decompressed stream for gzip files) where reading stopped.
type InputError struct {
	Path    string
	Reason  string
	Detail  string
	Packets uint64
	Offset  int64
}

func (e *InputError) Error() string {
	switch e.Reason {
	case ReasonUnreadable, ReasonEmpty, ReasonNotCapture, ReasonBadHeader:
		return fmt.Sprintf("%s: %s", e.Path, e.Detail)
	}
	return fmt.Sprintf("%s: %s after %d packets, at byte %d", e.Path, e.Detail, e.Packets, e.Offset)
}

// Fatal reports whether nothing at all could be read from the input.
func (e *InputError) Fatal() bool {
	switch e.Reason {
	case ReasonUnreadable, ReasonEmpty, ReasonNotCapture, ReasonBadHeader:
		return true
	}
	return false
}
