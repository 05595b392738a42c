package tls

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// HelloVerifyRequest is the DTLS server's stateless cookie challenge (RFC
// 6347 section 4.2.1): the client must repeat its ClientHello with Cookie.
type HelloVerifyRequest struct {
	Version Version
	Cookie  []byte
}

// Unmarshal parses a HelloVerifyRequest body.
func (m *HelloVerifyRequest) Unmarshal(body []byte) error {
	*m = HelloVerifyRequest{}
	s := cryptobyte.String(body)
	var ver uint16
	var cookie cryptobyte.String
	if !s.ReadUint16(&ver) || !s.ReadUint8LengthPrefixed(&cookie) {
		m.Version = Version(ver)
		return dissect.Errorf(dissect.Truncated, "dtls", len(body)-len(s), "HelloVerifyRequest cut short")
	}
	m.Version, m.Cookie = Version(ver), cookie
	if !s.Empty() {
		return dissect.Errorf(dissect.Malformed, "dtls", len(body)-len(s), "%d bytes after the cookie", len(s))
	}
	return nil
}

// Marshal builds the HelloVerifyRequest body.
func (m *HelloVerifyRequest) Marshal() []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddUint16(uint16(m.Version))
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.Cookie) })
	})
}
