package tls

import "github.com/sessionscope/sscope/dissect"

// KeyUpdate announces new traffic keys in TLS 1.3 (RFC 8446 section
// 4.6.3); RequestUpdate 1 asks the peer to update too.
type KeyUpdate struct {
	RequestUpdate uint8
}

// Unmarshal parses a KeyUpdate body.
func (m *KeyUpdate) Unmarshal(body []byte) error {
	if len(body) != 1 {
		return dissect.Errorf(dissect.Malformed, "tls", 0, "KeyUpdate body of %d bytes, want 1", len(body))
	}
	m.RequestUpdate = body[0]
	if m.RequestUpdate > 1 {
		return dissect.Errorf(dissect.Malformed, "tls", 0, "KeyUpdate request_update %d", m.RequestUpdate)
	}
	return nil
}

// Marshal builds the KeyUpdate body.
func (m *KeyUpdate) Marshal() []byte { return []byte{m.RequestUpdate} }
