package tlsengine

import (
	"fmt"

	"github.com/sessionscope/sscope/dissect/tls"
)

// Alert descriptions the engine sends that dissect/tls does not name
// (RFC 5246 section 7.2, RFC 5746, RFC 7627).
const (
	alertUnexpectedMessage    uint8 = 10
	alertBadRecordMAC         uint8 = 20
	alertRecordOverflow       uint8 = 22
	alertUnsupportedCert      uint8 = 43
	alertIllegalParameter     uint8 = 47
	alertInsufficientSecurity uint8 = 71
	alertDecodeError          uint8 = 50
	alertDecryptError         uint8 = 51
	alertInternalError        uint8 = 80
	alertUnsupportedExtension uint8 = 110
)

// AlertError is the fatal alert that ended a connection: sent by this
// endpoint (Sent) with the reason it found, or received from the peer.
type AlertError struct {
	Alert  tls.Alert
	Sent   bool
	Reason string
}

func (e *AlertError) Error() string {
	if e.Sent {
		return fmt.Sprintf("tlsengine: sent %s: %s", e.Alert, e.Reason)
	}
	return fmt.Sprintf("tlsengine: received %s", e.Alert)
}

// fail makes the fatal alert this endpoint sends for a problem.
func fail(desc uint8, format string, args ...any) *AlertError {
	return &AlertError{Alert: tls.Alert{Level: tls.AlertLevelFatal, Description: desc}, Sent: true, Reason: fmt.Sprintf(format, args...)}
}
