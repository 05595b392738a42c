package tls

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// EncryptedExtensions is the TLS 1.3 server's list of extensions that are
// not needed to set up keys (RFC 8446 section 4.3.1). It is encrypted on
// the wire; this type serves decrypted handshakes and the reference
// implementation.
type EncryptedExtensions struct {
	Extensions   []Extension
	ALPNProtocol string // application_layer_protocol_negotiation, if present
}

// Unmarshal parses an EncryptedExtensions body.
func (m *EncryptedExtensions) Unmarshal(body []byte) error {
	*m = EncryptedExtensions{Extensions: m.Extensions[:0]}
	s := cryptobyte.String(body)
	var ok bool
	if m.Extensions, ok = readExtensions(&s, m.Extensions); !ok {
		return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "EncryptedExtensions cut short")
	}
	if !s.Empty() {
		return dissect.Errorf(dissect.Malformed, "tls", len(body)-len(s), "%d bytes after the extensions", len(s))
	}
	if e, found := FindExtension(m.Extensions, ExtALPN); found {
		protos, ok := readALPN(e.Data, nil)
		if !ok || len(protos) != 1 {
			return dissect.Errorf(dissect.Malformed, "tls", -1, "EncryptedExtensions ALPN is malformed")
		}
		m.ALPNProtocol = protos[0]
	}
	return nil
}

// Marshal builds the EncryptedExtensions body from Extensions (an ALPN
// extension is added from ALPNProtocol when Extensions is nil).
func (m *EncryptedExtensions) Marshal() []byte {
	exts := m.Extensions
	if exts == nil && m.ALPNProtocol != "" {
		exts = []Extension{{Type: ExtALPN, Data: marshalALPN([]string{m.ALPNProtocol})}}
	}
	return build(func(b *cryptobyte.Builder) { addExtensions(b, exts) })
}
