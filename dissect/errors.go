package dissect

import (
	"errors"
	"fmt"
)

// Kind classifies why bytes could not be decoded. The report counts problems
// by kind, so the set is small and closed.
type Kind uint8

const (
	// Truncated: the input ended before a length or field it announced.
	Truncated Kind = iota + 1
	// Malformed: the bytes contradict the protocol (bad length, bad value).
	Malformed
	// Unsupported: well-formed, but a variant this decoder does not handle.
	Unsupported
	// CapExceeded: a buffer would grow beyond its cap; the rest was dropped.
	CapExceeded
)

func (k Kind) String() string {
	switch k {
	case Truncated:
		return "truncated"
	case Malformed:
		return "malformed"
	case Unsupported:
		return "unsupported"
	case CapExceeded:
		return "cap-exceeded"
	}
	return "unknown"
}

// Error is the error every decoder returns. Layer names the protocol layer
// ("radius", "eap", "tls", "ipv4", ...), Offset is the byte offset within the
// buffer the decoder was given where the problem was found (-1 if unknown).
type Error struct {
	Kind   Kind
	Layer  string
	Offset int
	Reason string
}

func (e *Error) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("%s: %s at byte %d: %s", e.Layer, e.Kind, e.Offset, e.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", e.Layer, e.Kind, e.Reason)
}

// Errorf builds an *Error.
func Errorf(kind Kind, layer string, offset int, format string, args ...any) *Error {
	return &Error{Kind: kind, Layer: layer, Offset: offset, Reason: fmt.Sprintf(format, args...)}
}

// KindOf returns the Kind of err if it is (or wraps) an *Error, else 0.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
