package tlsdecrypt

import (
	"encoding/hex"
	"fmt"
)

// Reason says why a protected record was not decrypted.
type Reason uint8

// Reasons.
const (
	// NoKey: no secret for the handshake that set the record's keys.
	NoKey Reason = iota + 1
	// BadMAC: the record did not authenticate under the keys found: they
	// are not the keys of this session (or the record is damaged).
	BadMAC
	// Unsupported: a version, cipher suite or compression the decrypter
	// does not handle.
	Unsupported
	// NoHandshake: a protected record whose handshake is not in the
	// capture (it started late).
	NoHandshake
	// Malformed: a record too short for its cipher, or a decrypted TLS
	// 1.3 record without a content type.
	Malformed
)

// String names the reason.
func (r Reason) String() string {
	switch r {
	case NoKey:
		return "no-key"
	case BadMAC:
		return "bad-mac"
	case Unsupported:
		return "unsupported"
	case NoHandshake:
		return "no-handshake"
	case Malformed:
		return "malformed"
	}
	return "unknown"
}

// Error is why a protected record was not decrypted.
type Error struct {
	Reason Reason
	// ClientRandom of the handshake whose keys were needed (nil when no
	// handshake was seen).
	ClientRandom []byte
	// KeySource says where the keys that failed came from, for BadMAC:
	// "key log", "key log premaster", "RSA private key", "session ID
	// cache", "session ticket cache", "caller".
	KeySource string
	Detail    string
}

func (e *Error) Error() string {
	var s string
	switch e.Reason {
	case NoKey:
		s = "no key for client random " + hexOrUnknown(e.ClientRandom)
	case BadMAC:
		s = "MAC check failed — key does not match"
		if e.KeySource != "" || e.ClientRandom != nil {
			s += fmt.Sprintf(" (%s, client random %s)", orUnknown(e.KeySource), hexOrUnknown(e.ClientRandom))
		}
	case Unsupported:
		s = "cannot decrypt"
	case NoHandshake:
		s = "encrypted record without its handshake in the capture"
	case Malformed:
		s = "malformed protected record"
	default:
		s = "not decrypted"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func hexOrUnknown(b []byte) string {
	if b == nil {
		return "(unknown)"
	}
	return hex.EncodeToString(b)
}

func orUnknown(s string) string {
	if s == "" {
		return "keys of unknown origin"
	}
	return "keys from " + s
}
