package tls

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// ServerKeyExchange is the ServerKeyExchange message. Its layout depends on
// the negotiated cipher suite, so Unmarshal only keeps the body; Params
// (or ParseServerKeyExchange) decodes it once the suite is known.
type ServerKeyExchange struct {
	Raw []byte
}

// Unmarshal keeps the body.
func (m *ServerKeyExchange) Unmarshal(body []byte) error {
	m.Raw = body
	return nil
}

// Marshal returns the body.
func (m *ServerKeyExchange) Marshal() []byte { return append([]byte{}, m.Raw...) }

// Params decodes the body for the suite's key exchange and the negotiated
// version.
func (m *ServerKeyExchange) Params(kx KeyExchange, version Version) (*ServerKeyExchangeParams, error) {
	return ParseServerKeyExchange(m.Raw, kx, version)
}

// EC curve types of ServerECDHParams (RFC 8422 section 5.4).
const (
	CurveTypeExplicitPrime uint8 = 1
	CurveTypeExplicitChar2 uint8 = 2
	CurveTypeNamedCurve    uint8 = 3
)

// ServerKeyExchangeParams is a decoded ServerKeyExchange (RFC 5246 section
// 7.4.3, RFC 8422 section 5.4, RFC 4279 and RFC 5489 for PSK, RFC 5054
// for SRP). Byte fields alias the message.
type ServerKeyExchangeParams struct {
	KeyExchange KeyExchange

	// PSK suites: the identity hint comes first.
	HasPSKIdentityHint bool
	PSKIdentityHint    []byte

	// (EC)DHE and anonymous (EC)DH.
	CurveType  uint8  // ECDHE: 3 = named_curve
	NamedGroup uint16 // ECDHE named curve
	PublicKey  []byte // ECDHE point, or DHE Ys
	DHP, DHG   []byte // DHE prime and generator

	// RSA_EXPORT temporary key.
	RSAModulus, RSAExponent []byte

	// SRP.
	SRPN, SRPG, SRPSalt, SRPB []byte

	// Signed holds the bytes the signature covers besides the randoms (the
	// params), empty when the key exchange is not signed.
	Signed                []byte
	HasSignature          bool
	HasSignatureAlgorithm bool // TLS 1.2 and later
	SignatureAlgorithm    uint16
	Signature             []byte
}

// signedKeyExchange reports whether the server signs its parameters.
func signedKeyExchange(kx KeyExchange) bool {
	switch kx {
	case KeyExchangeDHE_DSS, KeyExchangeDHE_RSA, KeyExchangeECDHE_ECDSA, KeyExchangeECDHE_RSA,
		KeyExchangeRSA, KeyExchangeSRP_SHA_RSA, KeyExchangeSRP_SHA_DSS:
		return true
	}
	return false
}

// ParseServerKeyExchange decodes a ServerKeyExchange body for key exchange
// kx (from CipherSuiteInfo) and the negotiated version. RSA here means the
// temporary key of an RSA_EXPORT suite. Explicit EC curves, KRB5, GOST,
// EC J-PAKE and ECCPWD are Unsupported.
func ParseServerKeyExchange(body []byte, kx KeyExchange, version Version) (*ServerKeyExchangeParams, error) {
	p := &ServerKeyExchangeParams{KeyExchange: kx}
	s := cryptobyte.String(body)
	short := func() error {
		return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "ServerKeyExchange (%s) cut short", kx)
	}
	switch kx {
	case KeyExchangePSK, KeyExchangeDHE_PSK, KeyExchangeRSA_PSK, KeyExchangeECDHE_PSK:
		var hint cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&hint) {
			return p, short()
		}
		p.HasPSKIdentityHint, p.PSKIdentityHint = true, hint
	}
	start := len(body) - len(s)
	switch kx {
	case KeyExchangePSK, KeyExchangeRSA_PSK:
	case KeyExchangeDHE_DSS, KeyExchangeDHE_RSA, KeyExchangeDH_anon, KeyExchangeDHE_PSK:
		var dp, dg, ys cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&dp) || !s.ReadUint16LengthPrefixed(&dg) || !s.ReadUint16LengthPrefixed(&ys) {
			return p, short()
		}
		p.DHP, p.DHG, p.PublicKey = dp, dg, ys
	case KeyExchangeECDHE_ECDSA, KeyExchangeECDHE_RSA, KeyExchangeECDH_anon, KeyExchangeECDHE_PSK:
		if !s.ReadUint8(&p.CurveType) {
			return p, short()
		}
		if p.CurveType != CurveTypeNamedCurve {
			return p, dissect.Errorf(dissect.Unsupported, "tls", start, "EC curve type %d (explicit curves)", p.CurveType)
		}
		var point cryptobyte.String
		if !s.ReadUint16(&p.NamedGroup) || !s.ReadUint8LengthPrefixed(&point) {
			return p, short()
		}
		p.PublicKey = point
	case KeyExchangeRSA:
		var mod, exp cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&mod) || !s.ReadUint16LengthPrefixed(&exp) {
			return p, short()
		}
		p.RSAModulus, p.RSAExponent = mod, exp
	case KeyExchangeSRP_SHA, KeyExchangeSRP_SHA_RSA, KeyExchangeSRP_SHA_DSS:
		var n, g, salt, bb cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&n) || !s.ReadUint16LengthPrefixed(&g) || !s.ReadUint8LengthPrefixed(&salt) || !s.ReadUint16LengthPrefixed(&bb) {
			return p, short()
		}
		p.SRPN, p.SRPG, p.SRPSalt, p.SRPB = n, g, salt, bb
	default:
		return p, dissect.Errorf(dissect.Unsupported, "tls", 0, "ServerKeyExchange for %s", kx)
	}
	p.Signed = body[start : len(body)-len(s)]
	if signedKeyExchange(kx) {
		p.HasSignature = true
		if version.TLSEquivalent() >= VersionTLS12 {
			p.HasSignatureAlgorithm = true
			if !s.ReadUint16(&p.SignatureAlgorithm) {
				return p, short()
			}
		}
		var sig cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&sig) {
			return p, short()
		}
		p.Signature = sig
	}
	if !s.Empty() {
		return p, dissect.Errorf(dissect.Malformed, "tls", len(body)-len(s), "%d bytes after ServerKeyExchange (%s)", len(s), kx)
	}
	return p, nil
}

// Marshal builds the ServerKeyExchange body from the decoded fields (the
// key exchange and the presence flags decide the layout).
func (p *ServerKeyExchangeParams) Marshal() []byte {
	return build(func(b *cryptobyte.Builder) {
		if p.HasPSKIdentityHint {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(p.PSKIdentityHint) })
		}
		u16 := func(v []byte) {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(v) })
		}
		switch p.KeyExchange {
		case KeyExchangeDHE_DSS, KeyExchangeDHE_RSA, KeyExchangeDH_anon, KeyExchangeDHE_PSK:
			u16(p.DHP)
			u16(p.DHG)
			u16(p.PublicKey)
		case KeyExchangeECDHE_ECDSA, KeyExchangeECDHE_RSA, KeyExchangeECDH_anon, KeyExchangeECDHE_PSK:
			b.AddUint8(CurveTypeNamedCurve)
			b.AddUint16(p.NamedGroup)
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(p.PublicKey) })
		case KeyExchangeRSA:
			u16(p.RSAModulus)
			u16(p.RSAExponent)
		case KeyExchangeSRP_SHA, KeyExchangeSRP_SHA_RSA, KeyExchangeSRP_SHA_DSS:
			u16(p.SRPN)
			u16(p.SRPG)
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(p.SRPSalt) })
			u16(p.SRPB)
		}
		if p.HasSignature {
			if p.HasSignatureAlgorithm {
				b.AddUint16(p.SignatureAlgorithm)
			}
			u16(p.Signature)
		}
	})
}

// ServerHelloDone ends the server's first flight (RFC 5246 section 7.4.5);
// its body is empty.
type ServerHelloDone struct{}

// Unmarshal checks that the body is empty.
func (ServerHelloDone) Unmarshal(body []byte) error {
	if len(body) != 0 {
		return dissect.Errorf(dissect.Malformed, "tls", 0, "ServerHelloDone with %d-byte body", len(body))
	}
	return nil
}

// Marshal returns the empty body.
func (ServerHelloDone) Marshal() []byte { return []byte{} }

// ClientKeyExchange is the ClientKeyExchange message. Like
// ServerKeyExchange its layout depends on the suite; Params decodes it.
type ClientKeyExchange struct {
	Body []byte
}

// Unmarshal keeps the body.
func (m *ClientKeyExchange) Unmarshal(body []byte) error {
	m.Body = body
	return nil
}

// Marshal returns the body.
func (m *ClientKeyExchange) Marshal() []byte { return append([]byte{}, m.Body...) }

// Params decodes the body for the suite's key exchange and the negotiated
// version.
func (m *ClientKeyExchange) Params(kx KeyExchange, version Version) (*ClientKeyExchangeParams, error) {
	return ParseClientKeyExchange(m.Body, kx, version)
}

// ClientKeyExchangeParams is a decoded ClientKeyExchange (RFC 5246 section
// 7.4.7, RFC 8422 section 5.7, RFC 4279, RFC 5054). Byte fields alias the
// message.
type ClientKeyExchangeParams struct {
	KeyExchange KeyExchange
	// PSK suites: the identity the client uses.
	HasPSKIdentity bool
	PSKIdentity    []byte
	// RSA and RSA_PSK: the encrypted premaster secret (SSL 3.0 and DTLS
	// 0x0100 send it without a length).
	EncryptedPreMasterSecret []byte
	// DH: Yc; ECDH: the point; SRP: A.
	PublicKey []byte
}

// rsaPreMasterWithoutLength reports the versions whose RSA
// ClientKeyExchange carries the encrypted premaster secret without a
// length: SSL 3.0, and the pre-RFC DTLS 0x0100 of OpenSSL before 0.9.8f
// (which kept the SSL 3.0 encoding).
func rsaPreMasterWithoutLength(v Version) bool { return v == VersionSSL30 || v == VersionDTLS09 }

// ParseClientKeyExchange decodes a ClientKeyExchange body for key exchange
// kx and the negotiated version.
func ParseClientKeyExchange(body []byte, kx KeyExchange, version Version) (*ClientKeyExchangeParams, error) {
	p := &ClientKeyExchangeParams{KeyExchange: kx}
	s := cryptobyte.String(body)
	short := func() error {
		return dissect.Errorf(dissect.Truncated, "tls", len(body)-len(s), "ClientKeyExchange (%s) cut short", kx)
	}
	switch kx {
	case KeyExchangePSK, KeyExchangeDHE_PSK, KeyExchangeRSA_PSK, KeyExchangeECDHE_PSK:
		var id cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&id) {
			return p, short()
		}
		p.HasPSKIdentity, p.PSKIdentity = true, id
	}
	var v cryptobyte.String
	switch kx {
	case KeyExchangePSK:
	case KeyExchangeRSA, KeyExchangeRSA_PSK:
		if rsaPreMasterWithoutLength(version) && kx == KeyExchangeRSA {
			p.EncryptedPreMasterSecret = s
			s = nil
			break
		}
		if !s.ReadUint16LengthPrefixed(&v) {
			return p, short()
		}
		p.EncryptedPreMasterSecret = v
	case KeyExchangeDHE_DSS, KeyExchangeDHE_RSA, KeyExchangeDH_anon, KeyExchangeDH_DSS, KeyExchangeDH_RSA,
		KeyExchangeDHE_PSK, KeyExchangeSRP_SHA, KeyExchangeSRP_SHA_RSA, KeyExchangeSRP_SHA_DSS:
		if !s.ReadUint16LengthPrefixed(&v) {
			return p, short()
		}
		p.PublicKey = v
	case KeyExchangeECDHE_ECDSA, KeyExchangeECDHE_RSA, KeyExchangeECDH_anon, KeyExchangeECDH_ECDSA,
		KeyExchangeECDH_RSA, KeyExchangeECDHE_PSK:
		if !s.ReadUint8LengthPrefixed(&v) {
			return p, short()
		}
		p.PublicKey = v
	default:
		return p, dissect.Errorf(dissect.Unsupported, "tls", 0, "ClientKeyExchange for %s", kx)
	}
	if !s.Empty() {
		return p, dissect.Errorf(dissect.Malformed, "tls", len(body)-len(s), "%d bytes after ClientKeyExchange (%s)", len(s), kx)
	}
	return p, nil
}

// Marshal builds the ClientKeyExchange body for the negotiated version.
func (p *ClientKeyExchangeParams) Marshal(version Version) []byte {
	return build(func(b *cryptobyte.Builder) {
		if p.HasPSKIdentity {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(p.PSKIdentity) })
		}
		switch p.KeyExchange {
		case KeyExchangeRSA, KeyExchangeRSA_PSK:
			if rsaPreMasterWithoutLength(version) && p.KeyExchange == KeyExchangeRSA {
				b.AddBytes(p.EncryptedPreMasterSecret)
				return
			}
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(p.EncryptedPreMasterSecret) })
		case KeyExchangeECDHE_ECDSA, KeyExchangeECDHE_RSA, KeyExchangeECDH_anon, KeyExchangeECDH_ECDSA,
			KeyExchangeECDH_RSA, KeyExchangeECDHE_PSK:
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(p.PublicKey) })
		case KeyExchangePSK:
		default:
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(p.PublicKey) })
		}
	})
}
