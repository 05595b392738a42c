package tls

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// Certificate is the Certificate handshake message: a chain of DER
// certificates, leaf first (RFC 5246 section 7.4.2); in TLS 1.3 with a
// request context and per-certificate extensions (RFC 8446 section 4.4.2).
// An empty chain is a client declining a CertificateRequest.
type Certificate struct {
	Certificates   [][]byte
	RequestContext []byte   // TLS 1.3
	Extensions     [][]byte // TLS 1.3: raw extension block of each certificate, parallel to Certificates
	TLS13          bool
}

// Unmarshal parses a Certificate body; tls13 selects the TLS 1.3 layout.
func (m *Certificate) Unmarshal(body []byte, tls13 bool) error {
	*m = Certificate{TLS13: tls13, Certificates: m.Certificates[:0], Extensions: m.Extensions[:0]}
	s := cryptobyte.String(body)
	if tls13 {
		var ctx cryptobyte.String
		if !s.ReadUint8LengthPrefixed(&ctx) {
			return dissect.Errorf(dissect.Truncated, "tls", 0, "Certificate request context cut short")
		}
		m.RequestContext = ctx
	}
	var list cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&list) {
		return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "certificate_list cut short")
	}
	for !list.Empty() {
		var cert cryptobyte.String
		if !list.ReadUint24LengthPrefixed(&cert) {
			return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s)-len(list), "certificate %d cut short", len(m.Certificates))
		}
		m.Certificates = append(m.Certificates, cert)
		if tls13 {
			var exts cryptobyte.String
			if !list.ReadUint16LengthPrefixed(&exts) {
				return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s)-len(list), "extensions of certificate %d cut short", len(m.Certificates)-1)
			}
			m.Extensions = append(m.Extensions, exts)
		}
	}
	if !s.Empty() {
		return dissect.Errorf(dissect.Malformed, "tls", len(body)-len(s), "%d bytes after certificate_list", len(s))
	}
	return nil
}

// Marshal builds the Certificate body. It returns nil if a field does not
// fit its length prefix.
func (m *Certificate) Marshal() []byte {
	return build(func(b *cryptobyte.Builder) {
		if m.TLS13 {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.RequestContext) })
		}
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
			for i, cert := range m.Certificates {
				b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(cert) })
				if m.TLS13 {
					var exts []byte
					if i < len(m.Extensions) {
						exts = m.Extensions[i]
					}
					b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(exts) })
				}
			}
		})
	})
}

// Client certificate types of CertificateRequest (IANA "TLS
// ClientCertificateType Identifiers").
const (
	CertTypeRSASign   uint8 = 1
	CertTypeDSSSign   uint8 = 2
	CertTypeECDSASign uint8 = 64
)

// CertificateRequest asks the client for a certificate (RFC 5246 section
// 7.4.4; RFC 4346 for TLS 1.1 and earlier, which have no signature
// algorithms; RFC 8446 section 4.3.2 for TLS 1.3, where everything but the
// context is in extensions).
type CertificateRequest struct {
	CertificateTypes       []uint8
	SignatureAlgorithms    []uint16
	CertificateAuthorities [][]byte // DER distinguished names
	TLS13                  bool
	RequestContext         []byte      // TLS 1.3
	Extensions             []Extension // TLS 1.3
}

// Unmarshal parses a CertificateRequest body for the negotiated version.
func (m *CertificateRequest) Unmarshal(body []byte, version Version) error {
	*m = CertificateRequest{
		SignatureAlgorithms:    m.SignatureAlgorithms[:0],
		CertificateAuthorities: m.CertificateAuthorities[:0],
		Extensions:             m.Extensions[:0],
		TLS13:                  version.IsTLS13(),
	}
	s := cryptobyte.String(body)
	if m.TLS13 {
		var ctx cryptobyte.String
		if !s.ReadUint8LengthPrefixed(&ctx) {
			return dissect.Errorf(dissect.Truncated, "tls", 0, "CertificateRequest context cut short")
		}
		m.RequestContext = ctx
		var ok bool
		if m.Extensions, ok = readExtensions(&s, m.Extensions); !ok {
			return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "CertificateRequest extensions cut short")
		}
		if !s.Empty() {
			return dissect.Errorf(dissect.Malformed, "tls", len(body)-len(s), "%d bytes after the extensions", len(s))
		}
		for _, e := range m.Extensions {
			ok := true
			switch e.Type {
			case ExtSignatureAlgorithms:
				m.SignatureAlgorithms, ok = readUint16List(e.Data, 2, m.SignatureAlgorithms)
			case ExtCertificateAuthorities:
				m.CertificateAuthorities, ok = readDistinguishedNames(e.Data, m.CertificateAuthorities)
			}
			if !ok {
				return dissect.Errorf(dissect.Malformed, "tls", -1, "CertificateRequest extension %s is malformed", ExtensionName(e.Type))
			}
		}
		return nil
	}
	var types cryptobyte.String
	if !s.ReadUint8LengthPrefixed(&types) {
		return dissect.Errorf(dissect.Truncated, "tls", 0, "certificate_types cut short")
	}
	m.CertificateTypes = types
	if version.TLSEquivalent() >= VersionTLS12 {
		var algs cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&algs) || len(algs)%2 != 0 {
			return dissect.Errorf(dissect.Malformed, "tls", len(body)-len(s), "supported_signature_algorithms malformed")
		}
		for !algs.Empty() {
			var a uint16
			algs.ReadUint16(&a)
			m.SignatureAlgorithms = append(m.SignatureAlgorithms, a)
		}
	}
	var cas []byte
	if !s.ReadBytes(&cas, len(s)) {
		return dissect.Errorf(dissect.Truncated, "tls", len(body), "certificate_authorities cut short")
	}
	var ok bool
	if m.CertificateAuthorities, ok = readDistinguishedNames(cas, m.CertificateAuthorities); !ok {
		return dissect.Errorf(dissect.Malformed, "tls", len(body)-len(cas), "certificate_authorities malformed")
	}
	return nil
}

// readDistinguishedNames reads a u16-length-prefixed list of u16-length
// prefixed DER names that must fill data exactly.
func readDistinguishedNames(data []byte, out [][]byte) ([][]byte, bool) {
	s := cryptobyte.String(data)
	var list cryptobyte.String
	out = out[:0]
	if !s.ReadUint16LengthPrefixed(&list) || !s.Empty() {
		return out, false
	}
	for !list.Empty() {
		var dn cryptobyte.String
		if !list.ReadUint16LengthPrefixed(&dn) {
			return out, false
		}
		out = append(out, dn)
	}
	return out, true
}

func addDistinguishedNames(b *cryptobyte.Builder, dns [][]byte) {
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, dn := range dns {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(dn) })
		}
	})
}

// Marshal builds the CertificateRequest body for the negotiated version.
// For TLS 1.3 it writes Extensions when non-nil, else builds
// signature_algorithms and certificate_authorities from the fields.
func (m *CertificateRequest) Marshal(version Version) []byte {
	return build(func(b *cryptobyte.Builder) {
		if version.IsTLS13() {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.RequestContext) })
			exts := m.Extensions
			if exts == nil {
				exts = []Extension{{Type: ExtSignatureAlgorithms, Data: marshalUint16List(2, m.SignatureAlgorithms)}}
				if len(m.CertificateAuthorities) > 0 {
					exts = append(exts, Extension{Type: ExtCertificateAuthorities, Data: build(func(b *cryptobyte.Builder) {
						addDistinguishedNames(b, m.CertificateAuthorities)
					})})
				}
			}
			addExtensions(b, exts)
			return
		}
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.CertificateTypes) })
		if version.TLSEquivalent() >= VersionTLS12 {
			addUint16List(b, 2, m.SignatureAlgorithms)
		}
		addDistinguishedNames(b, m.CertificateAuthorities)
	})
}

// CertificateVerify proves possession of the certificate's key (RFC 5246
// section 7.4.8, RFC 8446 section 4.4.3). Before TLS 1.2 there is no
// algorithm field.
type CertificateVerify struct {
	HasSignatureAlgorithm bool
	SignatureAlgorithm    uint16
	Signature             []byte
}

// Unmarshal parses a CertificateVerify body for the negotiated version.
func (m *CertificateVerify) Unmarshal(body []byte, version Version) error {
	*m = CertificateVerify{HasSignatureAlgorithm: version.TLSEquivalent() >= VersionTLS12}
	s := cryptobyte.String(body)
	if m.HasSignatureAlgorithm && !s.ReadUint16(&m.SignatureAlgorithm) {
		return dissect.Errorf(dissect.Truncated, "tls", 0, "CertificateVerify cut short")
	}
	var sig cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&sig) {
		return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "CertificateVerify signature cut short")
	}
	m.Signature = sig
	if !s.Empty() {
		return dissect.Errorf(dissect.Malformed, "tls", len(body)-len(s), "%d bytes after the signature", len(s))
	}
	return nil
}

// Marshal builds the CertificateVerify body.
func (m *CertificateVerify) Marshal() []byte {
	return build(func(b *cryptobyte.Builder) {
		if m.HasSignatureAlgorithm {
			b.AddUint16(m.SignatureAlgorithm)
		}
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.Signature) })
	})
}

// CertificateStatus carries a stapled OCSP response (RFC 6066 section 8).
type CertificateStatus struct {
	StatusType uint8 // 1: ocsp
	Response   []byte
}

// Unmarshal parses a CertificateStatus body.
func (m *CertificateStatus) Unmarshal(body []byte) error {
	*m = CertificateStatus{}
	s := cryptobyte.String(body)
	var resp cryptobyte.String
	if !s.ReadUint8(&m.StatusType) || !s.ReadUint24LengthPrefixed(&resp) {
		return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "CertificateStatus cut short")
	}
	m.Response = resp
	if !s.Empty() {
		return dissect.Errorf(dissect.Malformed, "tls", len(body)-len(s), "%d bytes after the response", len(s))
	}
	return nil
}

// Marshal builds the CertificateStatus body.
func (m *CertificateStatus) Marshal() []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddUint8(m.StatusType)
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(m.Response) })
	})
}
