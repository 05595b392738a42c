package tls

import (
	"bytes"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// helloRetryRequestRandom is the ServerHello.random that marks a TLS 1.3
// HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 section 4.1.3).
func helloRetryRequestRandom() [32]byte {
	return [32]byte{
		0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
		0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
	}
}

// ServerHello is the server's hello (RFC 5246 section 7.4.1.3, RFC 8446
// section 4.1.3), including the HelloRetryRequest form of TLS 1.3. TLS 1.3
// drafts before 22 sent a shorter ServerHello without session ID and
// compression method; Unmarshal and Marshal follow Version for that.
//
// The typed fields below Extensions are read from Extensions; Marshal
// writes Extensions when non-nil and otherwise builds them from the typed
// fields.
type ServerHello struct {
	Raw               []byte
	Version           Version
	Random            [32]byte
	SessionID         []byte
	CipherSuite       uint16
	CompressionMethod uint8
	Extensions        []Extension // nil when the hello has no extension block

	SupportedVersion             Version // supported_versions: the version selected (TLS 1.3)
	HelloRetryRequest            bool    // Random is the HelloRetryRequest value
	TicketSupported              bool    // session_ticket present: a NewSessionTicket will follow
	SecureRenegotiationSupported bool    // renegotiation_info present
	SecureRenegotiation          []byte
	ExtendedMasterSecret         bool
	KeyShareGroup                uint16 // key_share group (selected group in a HelloRetryRequest)
	KeyShareData                 []byte // key_share key_exchange (absent in a HelloRetryRequest)
	SelectedPSK                  uint16
	HasSelectedPSK               bool
	ALPNProtocol                 string
	EncryptThenMAC               bool
	Cookie                       []byte // cookie extension of a HelloRetryRequest
}

// shortServerHello reports the TLS 1.3 drafts (before 22) whose
// ServerHello has no session ID and no compression method.
func shortServerHello(v Version) bool {
	d, ok := v.tls13Draft()
	return ok && v>>8 == 0x7f && d < 22
}

// Unmarshal parses a ServerHello handshake body (the same for TLS and
// DTLS). It fills what it can and returns the first problem.
func (m *ServerHello) Unmarshal(body []byte) error {
	alpn := m.ALPNProtocol
	*m = ServerHello{Raw: body, Extensions: m.Extensions[:0]}
	s := cryptobyte.String(body)
	var ver uint16
	if !s.ReadUint16(&ver) || !s.CopyBytes(m.Random[:]) {
		m.Version = Version(ver)
		return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "ServerHello cut short")
	}
	m.Version = Version(ver)
	m.HelloRetryRequest = m.Random == helloRetryRequestRandom()
	if shortServerHello(m.Version) {
		if !s.ReadUint16(&m.CipherSuite) {
			return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "ServerHello cut short")
		}
	} else {
		var sid cryptobyte.String
		if !s.ReadUint8LengthPrefixed(&sid) || !s.ReadUint16(&m.CipherSuite) || !s.ReadUint8(&m.CompressionMethod) {
			m.SessionID = sid
			return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "ServerHello cut short")
		}
		m.SessionID = sid
	}
	var err error
	if len(m.SessionID) > 32 {
		err = dissect.Errorf(dissect.Malformed, "tls", 34, "session_id of %d bytes (max 32)", len(m.SessionID))
	}
	if s.Empty() {
		m.Extensions = nil
		return err
	}
	var ok bool
	m.Extensions, ok = readExtensions(&s, m.Extensions)
	if !ok && err == nil {
		err = dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "ServerHello extensions cut short")
	}
	if ok && !s.Empty() && err == nil {
		err = dissect.Errorf(dissect.Malformed, "tls", len(body)-len(s), "%d bytes after the extensions", len(s))
	}
	if e := m.readExtensionFields(alpn); err == nil {
		err = e
	}
	return err
}

func (m *ServerHello) readExtensionFields(prevALPN string) error {
	var err error
	for _, e := range m.Extensions {
		ok := true
		s := cryptobyte.String(e.Data)
		switch e.Type {
		case ExtSupportedVersions:
			var v uint16
			ok = s.ReadUint16(&v) && s.Empty()
			m.SupportedVersion = Version(v)
		case ExtSessionTicket:
			m.TicketSupported = true
		case ExtRenegotiationInfo:
			m.SecureRenegotiationSupported = true
			m.SecureRenegotiation, ok = readUint8Prefixed(e.Data)
		case ExtExtendedMasterSecret:
			m.ExtendedMasterSecret, ok = true, len(e.Data) == 0
		case ExtEncryptThenMAC:
			m.EncryptThenMAC, ok = true, len(e.Data) == 0
		case ExtKeyShare, ExtKeyShareDraft:
			if m.HelloRetryRequest {
				ok = s.ReadUint16(&m.KeyShareGroup) && s.Empty()
			} else {
				var key cryptobyte.String
				ok = s.ReadUint16(&m.KeyShareGroup) && s.ReadUint16LengthPrefixed(&key) && s.Empty()
				m.KeyShareData = key
			}
		case ExtPreSharedKey:
			ok = s.ReadUint16(&m.SelectedPSK) && s.Empty()
			m.HasSelectedPSK = ok
		case ExtALPN:
			var list, proto cryptobyte.String
			ok = s.ReadUint16LengthPrefixed(&list) && list.ReadUint8LengthPrefixed(&proto) && list.Empty() && s.Empty()
			if prevALPN == string(proto) {
				m.ALPNProtocol = prevALPN
			} else {
				m.ALPNProtocol = string(proto)
			}
		case ExtCookie:
			var c cryptobyte.String
			ok = s.ReadUint16LengthPrefixed(&c) && s.Empty()
			m.Cookie = c
		}
		if !ok && err == nil {
			err = dissect.Errorf(dissect.Malformed, "tls", -1, "ServerHello extension %s is malformed", ExtensionName(e.Type))
		}
	}
	return err
}

// NegotiatedVersion is the version the server chose: supported_versions
// when present (TLS 1.3), else server_version.
func (m *ServerHello) NegotiatedVersion() Version {
	if m.SupportedVersion != 0 {
		return m.SupportedVersion
	}
	return m.Version
}

// ResumesSession reports whether the server accepted the session ID the
// client offered (an abbreviated TLS 1.2 handshake), by comparing it with
// the ClientHello's.
func (m *ServerHello) ResumesSession(ch *ClientHello) bool {
	return len(m.SessionID) > 0 && bytes.Equal(m.SessionID, ch.SessionID)
}

// Marshal builds the ServerHello handshake body. It returns nil if a field
// does not fit its length prefix.
func (m *ServerHello) Marshal() []byte {
	exts := m.Extensions
	if exts == nil {
		exts = m.extensionsFromFields()
	}
	return build(func(b *cryptobyte.Builder) {
		b.AddUint16(uint16(m.Version))
		b.AddBytes(m.Random[:])
		if shortServerHello(m.Version) {
			b.AddUint16(m.CipherSuite)
		} else {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.SessionID) })
			b.AddUint16(m.CipherSuite)
			b.AddUint8(m.CompressionMethod)
		}
		if exts != nil {
			addExtensions(b, exts)
		}
	})
}

func (m *ServerHello) extensionsFromFields() []Extension {
	var exts []Extension
	add := func(t uint16, data []byte) { exts = append(exts, Extension{Type: t, Data: data}) }
	if m.SecureRenegotiationSupported {
		add(ExtRenegotiationInfo, marshalUint8Prefixed(m.SecureRenegotiation))
	}
	if m.TicketSupported {
		add(ExtSessionTicket, nil)
	}
	if m.ALPNProtocol != "" {
		add(ExtALPN, marshalALPN([]string{m.ALPNProtocol}))
	}
	if m.EncryptThenMAC {
		add(ExtEncryptThenMAC, nil)
	}
	if m.ExtendedMasterSecret {
		add(ExtExtendedMasterSecret, nil)
	}
	if m.HasSelectedPSK {
		add(ExtPreSharedKey, build(func(b *cryptobyte.Builder) { b.AddUint16(m.SelectedPSK) }))
	}
	if m.KeyShareGroup != 0 || m.KeyShareData != nil {
		add(ExtKeyShare, build(func(b *cryptobyte.Builder) {
			b.AddUint16(m.KeyShareGroup)
			if !m.HelloRetryRequest {
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.KeyShareData) })
			}
		}))
	}
	if m.Cookie != nil {
		add(ExtCookie, build(func(b *cryptobyte.Builder) {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.Cookie) })
		}))
	}
	if m.SupportedVersion != 0 {
		add(ExtSupportedVersions, build(func(b *cryptobyte.Builder) { b.AddUint16(uint16(m.SupportedVersion)) }))
	}
	return exts
}

// NewHelloRetryRequest returns a ServerHello with the HelloRetryRequest
// random, ready for the caller to fill.
func NewHelloRetryRequest() *ServerHello {
	return &ServerHello{Version: VersionTLS12, Random: helloRetryRequestRandom(), HelloRetryRequest: true}
}
