package tls

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// NewSessionTicket hands the client a ticket: RFC 5077 section 3.3
// (lifetime hint and ticket) or, in TLS 1.3, RFC 8446 section 4.6.1
// (lifetime, age add, nonce, ticket, extensions).
type NewSessionTicket struct {
	LifetimeHint uint32 // ticket_lifetime_hint, or ticket_lifetime in TLS 1.3
	Ticket       []byte
	AgeAdd       uint32      // TLS 1.3
	Nonce        []byte      // TLS 1.3
	Extensions   []Extension // TLS 1.3
	TLS13        bool
}

// Unmarshal parses a NewSessionTicket body; tls13 selects the TLS 1.3
// layout.
func (m *NewSessionTicket) Unmarshal(body []byte, tls13 bool) error {
	*m = NewSessionTicket{TLS13: tls13, Extensions: m.Extensions[:0]}
	s := cryptobyte.String(body)
	var ticket, nonce cryptobyte.String
	if !s.ReadUint32(&m.LifetimeHint) ||
		(tls13 && (!s.ReadUint32(&m.AgeAdd) || !s.ReadUint8LengthPrefixed(&nonce))) ||
		!s.ReadUint16LengthPrefixed(&ticket) {
		m.Nonce, m.Ticket = nonce, ticket
		return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "NewSessionTicket cut short")
	}
	m.Nonce, m.Ticket = nonce, ticket
	if tls13 {
		var ok bool
		if m.Extensions, ok = readExtensions(&s, m.Extensions); !ok {
			return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "NewSessionTicket extensions cut short")
		}
	} else {
		m.Extensions = nil
	}
	if !s.Empty() {
		return dissect.Errorf(dissect.Malformed, "tls", len(body)-len(s), "%d bytes after NewSessionTicket", len(s))
	}
	return nil
}

// Marshal builds the NewSessionTicket body.
func (m *NewSessionTicket) Marshal() []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddUint32(m.LifetimeHint)
		if m.TLS13 {
			b.AddUint32(m.AgeAdd)
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.Nonce) })
		}
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.Ticket) })
		if m.TLS13 {
			addExtensions(b, m.Extensions)
		}
	})
}
