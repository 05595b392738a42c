package tls

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// ClientHello is the client's first handshake message (RFC 5246 section
// 7.4.1.2, RFC 8446 section 4.1.2, RFC 6347 section 4.2.1 for the DTLS
// cookie), or an SSLv2-compatible CLIENT-HELLO when SSLv2 is set.
//
// The typed fields below Extensions are read from Extensions. Marshal
// writes Extensions as they are when Extensions is non-nil, and otherwise
// builds the extensions from the typed fields. Slices alias the parsed
// body; a ClientHello reused for Unmarshal reuses their capacity.
type ClientHello struct {
	Raw                []byte // the handshake body given to Unmarshal
	Version            Version
	Random             [32]byte
	SessionID          []byte
	Cookie             []byte // DTLS
	CipherSuites       []uint16
	CompressionMethods []uint8
	Extensions         []Extension // nil when the hello has no extension block
	SSLv2              bool

	// SSLv2 CLIENT-HELLO only: every 3-byte cipher spec in order (the
	// 0x00xxyy ones also appear in CipherSuites) and the challenge, which
	// also fills the end of Random (RFC 5246 appendix E.2).
	SSLv2CipherSpecs []uint32
	SSLv2Challenge   []byte

	ServerName                   string    // server_name (first host_name)
	SupportedVersions            []Version // supported_versions
	SupportedGroups              []uint16  // supported_groups
	ECPointFormats               []uint8   // ec_point_formats (nil when absent or malformed)
	SignatureAlgorithms          []uint16  // signature_algorithms
	TicketSupported              bool      // session_ticket present
	SessionTicket                []byte    // session_ticket data: a ticket, or EAP-FAST's PAC-Opaque
	ExtendedMasterSecret         bool      // extended_master_secret
	SecureRenegotiationSupported bool      // renegotiation_info present (or the SCSV offered)
	SecureRenegotiation          []byte    // renegotiation_info renegotiated_connection
	KeyShares                    []KeyShare
	PSKModes                     []uint8
	PSKIdentities                []PSKIdentity
	PSKBinders                   [][]byte
	EarlyData                    bool
	ALPNProtocols                []string
	EncryptThenMAC               bool
	ECH                          bool // encrypted_client_hello present
}

// Cipher suite signalling values (RFC 5746, RFC 7507).
const (
	TLS_EMPTY_RENEGOTIATION_INFO_SCSV uint16 = 0x00ff
	TLS_FALLBACK_SCSV                 uint16 = 0x5600
)

func (m *ClientHello) reset() {
	*m = ClientHello{
		CipherSuites:        m.CipherSuites[:0],
		Extensions:          m.Extensions[:0],
		SSLv2CipherSpecs:    m.SSLv2CipherSpecs[:0],
		ServerName:          m.ServerName,
		SupportedVersions:   m.SupportedVersions[:0],
		SupportedGroups:     m.SupportedGroups[:0],
		SignatureAlgorithms: m.SignatureAlgorithms[:0],
		KeyShares:           m.KeyShares[:0],
		PSKIdentities:       m.PSKIdentities[:0],
		PSKBinders:          m.PSKBinders[:0],
		ALPNProtocols:       m.ALPNProtocols[:0],
	}
}

// Unmarshal parses a ClientHello handshake body (without the handshake
// header). dtls selects the DTLS layout (a cookie after the session ID). It
// fills what it can and returns the first problem as a *dissect.Error.
func (m *ClientHello) Unmarshal(body []byte, dtls bool) error {
	name := m.ServerName
	alpn := m.ALPNProtocols[:cap(m.ALPNProtocols)]
	m.reset()
	m.Raw = body
	layer := "tls"
	if dtls {
		layer = "dtls"
	}
	s := cryptobyte.String(body)
	var ver uint16
	var sid, cookie, suites, comps cryptobyte.String
	if !s.ReadUint16(&ver) || !s.CopyBytes(m.Random[:]) || !s.ReadUint8LengthPrefixed(&sid) ||
		(dtls && !s.ReadUint8LengthPrefixed(&cookie)) ||
		!s.ReadUint16LengthPrefixed(&suites) || !s.ReadUint8LengthPrefixed(&comps) {
		m.Version, m.SessionID, m.Cookie = Version(ver), sid, cookie
		m.ServerName = ""
		return dissect.Errorf(dissect.Truncated, layer, len(body)-len(s), "ClientHello cut short")
	}
	m.Version, m.SessionID, m.Cookie, m.CompressionMethods = Version(ver), sid, cookie, comps
	for len(suites) >= 2 {
		var cs uint16
		suites.ReadUint16(&cs)
		m.CipherSuites = append(m.CipherSuites, cs)
		if cs == TLS_EMPTY_RENEGOTIATION_INFO_SCSV {
			m.SecureRenegotiationSupported = true
		}
	}
	var err error
	if len(suites) != 0 {
		err = dissect.Errorf(dissect.Malformed, layer, 35+len(sid), "cipher_suites length is odd")
	}
	if len(sid) > 32 && err == nil {
		err = dissect.Errorf(dissect.Malformed, layer, 34, "session_id of %d bytes (max 32)", len(sid))
	}
	if s.Empty() {
		m.Extensions = nil
		m.ServerName = ""
		return err
	}
	var ok bool
	m.Extensions, ok = readExtensions(&s, m.Extensions)
	if !ok && err == nil {
		err = dissect.Errorf(dissect.Truncated, layer, len(body)-len(s), "ClientHello extensions cut short")
	}
	if ok && !s.Empty() && err == nil {
		err = dissect.Errorf(dissect.Malformed, layer, len(body)-len(s), "%d bytes after the extensions", len(s))
	}
	if e := m.readExtensionFields(layer, name, alpn); err == nil {
		err = e
	}
	return err
}

// readExtensionFields fills the typed fields from Extensions. prevName and
// prevALPN are the values of a reused ClientHello, kept when unchanged so
// that no string is allocated.
func (m *ClientHello) readExtensionFields(layer, prevName string, prevALPN []string) error {
	var err error
	bad := func(t uint16) {
		if err == nil {
			err = dissect.Errorf(dissect.Malformed, layer, -1, "ClientHello extension %s is malformed", ExtensionName(t))
		}
	}
	m.ServerName = ""
	for _, e := range m.Extensions {
		var ok bool
		switch e.Type {
		case ExtServerName:
			var host []byte
			if host, ok = readServerName(e.Data); host != nil {
				if prevName == string(host) {
					m.ServerName = prevName
				} else {
					m.ServerName = string(host)
				}
			}
		case ExtSupportedVersions:
			m.SupportedVersions, ok = readVersionList(e.Data, m.SupportedVersions)
		case ExtSupportedGroups:
			m.SupportedGroups, ok = readUint16List(e.Data, 2, m.SupportedGroups)
		case ExtECPointFormats:
			// Read leniently: a malformed list leaves the field nil
			// without an error, as before the field existed.
			m.ECPointFormats, _ = readUint8Prefixed(e.Data)
			ok = true
		case ExtSignatureAlgorithms:
			m.SignatureAlgorithms, ok = readUint16List(e.Data, 2, m.SignatureAlgorithms)
		case ExtSessionTicket:
			m.TicketSupported, m.SessionTicket, ok = true, e.Data, true
		case ExtExtendedMasterSecret:
			m.ExtendedMasterSecret, ok = true, len(e.Data) == 0
		case ExtEncryptThenMAC:
			m.EncryptThenMAC, ok = true, len(e.Data) == 0
		case ExtRenegotiationInfo:
			m.SecureRenegotiationSupported = true
			m.SecureRenegotiation, ok = readUint8Prefixed(e.Data)
		case ExtKeyShare, ExtKeyShareDraft:
			m.KeyShares, ok = readKeyShares(e.Data, m.KeyShares)
		case ExtPSKKeyExchangeModes:
			m.PSKModes, ok = readUint8Prefixed(e.Data)
		case ExtPreSharedKey:
			m.PSKIdentities, m.PSKBinders, ok = readPreSharedKey(e.Data, m.PSKIdentities, m.PSKBinders)
		case ExtEarlyData:
			m.EarlyData, ok = true, len(e.Data) == 0
		case ExtALPN:
			m.ALPNProtocols, ok = readALPN(e.Data, prevALPN)
		default:
			ok = true
			if isECHExtension(e.Type) {
				m.ECH = true
			}
		}
		if !ok {
			bad(e.Type)
		}
	}
	return err
}

// Marshal builds the ClientHello handshake body (dtls adds the cookie), or
// the SSLv2 CLIENT-HELLO message when SSLv2 is set. It returns nil if a
// field does not fit its length prefix.
func (m *ClientHello) Marshal(dtls bool) []byte {
	if m.SSLv2 {
		return m.marshalSSLv2()
	}
	exts := m.Extensions
	if exts == nil {
		exts = m.extensionsFromFields()
	}
	return build(func(b *cryptobyte.Builder) {
		b.AddUint16(uint16(m.Version))
		b.AddBytes(m.Random[:])
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.SessionID) })
		if dtls {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.Cookie) })
		}
		addUint16List(b, 2, m.CipherSuites)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.CompressionMethods) })
		if exts != nil {
			addExtensions(b, exts)
		}
	})
}

// extensionsFromFields builds extensions from the typed fields, in the
// order common clients use, pre_shared_key last as RFC 8446 requires. It
// returns nil when no field asks for an extension.
func (m *ClientHello) extensionsFromFields() []Extension {
	var exts []Extension
	add := func(t uint16, data []byte) { exts = append(exts, Extension{Type: t, Data: data}) }
	if m.ServerName != "" {
		add(ExtServerName, marshalServerName(m.ServerName))
	}
	if m.SecureRenegotiationSupported && (m.SecureRenegotiation != nil || !offersSuite(m.CipherSuites, TLS_EMPTY_RENEGOTIATION_INFO_SCSV)) {
		add(ExtRenegotiationInfo, marshalUint8Prefixed(m.SecureRenegotiation))
	}
	if len(m.SupportedGroups) > 0 {
		add(ExtSupportedGroups, marshalUint16List(2, m.SupportedGroups))
	}
	if len(m.ECPointFormats) > 0 {
		add(ExtECPointFormats, marshalUint8Prefixed(m.ECPointFormats))
	}
	if m.TicketSupported {
		add(ExtSessionTicket, m.SessionTicket)
	}
	if len(m.ALPNProtocols) > 0 {
		add(ExtALPN, marshalALPN(m.ALPNProtocols))
	}
	if m.EncryptThenMAC {
		add(ExtEncryptThenMAC, nil)
	}
	if m.ExtendedMasterSecret {
		add(ExtExtendedMasterSecret, nil)
	}
	if len(m.SignatureAlgorithms) > 0 {
		add(ExtSignatureAlgorithms, marshalUint16List(2, m.SignatureAlgorithms))
	}
	if len(m.KeyShares) > 0 {
		add(ExtKeyShare, marshalKeyShares(m.KeyShares))
	}
	if len(m.PSKModes) > 0 {
		add(ExtPSKKeyExchangeModes, marshalUint8Prefixed(m.PSKModes))
	}
	if m.EarlyData {
		add(ExtEarlyData, nil)
	}
	if len(m.SupportedVersions) > 0 {
		add(ExtSupportedVersions, marshalVersionList(m.SupportedVersions))
	}
	if len(m.PSKIdentities) > 0 {
		add(ExtPreSharedKey, marshalPreSharedKey(m.PSKIdentities, m.PSKBinders))
	}
	return exts
}

func offersSuite(suites []uint16, id uint16) bool {
	for _, s := range suites {
		if s == id {
			return true
		}
	}
	return false
}

// MaxVersion returns the highest version the client offers: the newest
// non-GREASE entry of supported_versions when present, else the
// legacy client_version.
func (m *ClientHello) MaxVersion() Version {
	best := Version(0)
	for _, v := range m.SupportedVersions {
		if v.rank() > best.rank() {
			best = v
		}
	}
	if best == 0 {
		return m.Version
	}
	return best
}

// OffersResumption reports whether the client asks to resume: a non-empty
// session ID, a non-empty session ticket (or PAC-Opaque), or a TLS 1.3
// pre_shared_key.
func (m *ClientHello) OffersResumption() bool {
	return len(m.SessionID) > 0 || len(m.SessionTicket) > 0 || len(m.PSKIdentities) > 0
}
