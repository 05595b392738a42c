package live

import (
	"errors"
	"fmt"
	"strings"
)

// Errors Open wraps in an *OpenError, for errors.Is.
var (
	// ErrNoInterface: the interface does not exist.
	ErrNoInterface = errors.New("no such interface")
	// ErrPermission: opening a packet socket needs CAP_NET_RAW.
	ErrPermission = errors.New("permission denied")
	// ErrLinkType: the interface is not Ethernet.
	ErrLinkType = errors.New("unsupported link type")
	// ErrUnsupported: live capture is not available on this system.
	ErrUnsupported = errors.New("live capture is not supported on this system")
)

// ErrNoPacket is returned by a source's Next when no packet arrived within
// its poll interval.
var ErrNoPacket = errors.New("no packet within the poll interval")

// OpenError says why an interface could not be opened for capture.
type OpenError struct {
	Interface string
	Err       error  // ErrNoInterface, ErrPermission, ErrLinkType, ErrUnsupported, or the system's error
	Detail    string // what to do about it
}

func (e *OpenError) Error() string {
	var b strings.Builder
	switch {
	case errors.Is(e.Err, ErrNoInterface):
		fmt.Fprintf(&b, "interface %q does not exist", e.Interface)
	case errors.Is(e.Err, ErrPermission):
		fmt.Fprintf(&b, "capturing on %q is not permitted: it needs the CAP_NET_RAW capability", e.Interface)
	default:
		fmt.Fprintf(&b, "cannot capture on %q: %v", e.Interface, e.Err)
	}
	if e.Detail != "" {
		b.WriteString(" (" + e.Detail + ")")
	}
	return b.String()
}

func (e *OpenError) Unwrap() error { return e.Err }
