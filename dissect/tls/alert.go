package tls

import "fmt"

// Alert is an alert message (RFC 5246 section 7.2, RFC 8446 section 6).
type Alert struct {
	Level       uint8
	Description uint8
}

// Alert levels.
const (
	AlertLevelWarning uint8 = 1
	AlertLevelFatal   uint8 = 2
)

// Alert descriptions used by this package.
const (
	AlertCloseNotify         uint8 = 0
	AlertHandshakeFailure    uint8 = 40
	AlertBadCertificate      uint8 = 42
	AlertUnknownCA           uint8 = 48
	AlertProtocolVersion     uint8 = 70
	AlertNoRenegotiation     uint8 = 100
	AlertCertificateRequired uint8 = 116
)

// ParseAlert reads a plaintext alert record fragment. It returns false when
// the fragment is not exactly one 2-byte alert with a known level (an
// encrypted alert, or several alerts coalesced in one record).
func ParseAlert(fragment []byte) (Alert, bool) {
	if len(fragment) != 2 || (fragment[0] != AlertLevelWarning && fragment[0] != AlertLevelFatal) {
		return Alert{}, false
	}
	return Alert{Level: fragment[0], Description: fragment[1]}, true
}

// Marshal builds the 2-byte alert record fragment.
func (a Alert) Marshal() []byte { return []byte{a.Level, a.Description} }

// String reads as "fatal handshake_failure".
func (a Alert) String() string {
	return LevelName(a.Level) + " " + DescriptionName(a.Description)
}

// LevelName names an alert level: "warning", "fatal", or "%d".
func LevelName(level uint8) string {
	switch level {
	case AlertLevelWarning:
		return "warning"
	case AlertLevelFatal:
		return "fatal"
	}
	return fmt.Sprintf("%d", level)
}

// DescriptionName returns the IANA name of an alert description
// ("close_notify", "handshake_failure", "certificate_required", ...), or
// "%d" for unassigned values.
func DescriptionName(desc uint8) string {
	switch desc {
	case 0:
		return "close_notify"
	case 10:
		return "unexpected_message"
	case 20:
		return "bad_record_mac"
	case 21:
		return "decryption_failed"
	case 22:
		return "record_overflow"
	case 30:
		return "decompression_failure"
	case 40:
		return "handshake_failure"
	case 41:
		return "no_certificate"
	case 42:
		return "bad_certificate"
	case 43:
		return "unsupported_certificate"
	case 44:
		return "certificate_revoked"
	case 45:
		return "certificate_expired"
	case 46:
		return "certificate_unknown"
	case 47:
		return "illegal_parameter"
	case 48:
		return "unknown_ca"
	case 49:
		return "access_denied"
	case 50:
		return "decode_error"
	case 51:
		return "decrypt_error"
	case 52:
		return "too_many_cids_requested"
	case 60:
		return "export_restriction"
	case 70:
		return "protocol_version"
	case 71:
		return "insufficient_security"
	case 80:
		return "internal_error"
	case 86:
		return "inappropriate_fallback"
	case 90:
		return "user_canceled"
	case 100:
		return "no_renegotiation"
	case 109:
		return "missing_extension"
	case 110:
		return "unsupported_extension"
	case 111:
		return "certificate_unobtainable"
	case 112:
		return "unrecognized_name"
	case 113:
		return "bad_certificate_status_response"
	case 114:
		return "bad_certificate_hash_value"
	case 115:
		return "unknown_psk_identity"
	case 116:
		return "certificate_required"
	case 117:
		return "general_error"
	case 120:
		return "no_application_protocol"
	case 121:
		return "ech_required"
	}
	return fmt.Sprintf("%d", desc)
}
