package tls

import (
	"fmt"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// SSL 2.0 framing and hellos (the SSL 2.0 draft; RFC 6101 appendix E.2 and
// RFC 5246 appendix E.2 for the SSLv2-compatible ClientHello that TLS
// servers accept). Only the cleartext messages before CLIENT-MASTER-KEY are
// decoded; everything after it is encrypted.

// SSLv2MsgType is an SSL 2.0 message type.
type SSLv2MsgType uint8

// SSL 2.0 message types.
const (
	SSLv2Error              SSLv2MsgType = 0
	SSLv2ClientHello        SSLv2MsgType = 1
	SSLv2ClientMasterKey    SSLv2MsgType = 2
	SSLv2ClientFinished     SSLv2MsgType = 3
	SSLv2ServerHello        SSLv2MsgType = 4
	SSLv2ServerVerify       SSLv2MsgType = 5
	SSLv2ServerFinished     SSLv2MsgType = 6
	SSLv2RequestCertificate SSLv2MsgType = 7
	SSLv2ClientCertificate  SSLv2MsgType = 8
)

func (t SSLv2MsgType) String() string {
	switch t {
	case SSLv2Error:
		return "ERROR"
	case SSLv2ClientHello:
		return "CLIENT-HELLO"
	case SSLv2ClientMasterKey:
		return "CLIENT-MASTER-KEY"
	case SSLv2ClientFinished:
		return "CLIENT-FINISHED"
	case SSLv2ServerHello:
		return "SERVER-HELLO"
	case SSLv2ServerVerify:
		return "SERVER-VERIFY"
	case SSLv2ServerFinished:
		return "SERVER-FINISHED"
	case SSLv2RequestCertificate:
		return "REQUEST-CERTIFICATE"
	case SSLv2ClientCertificate:
		return "CLIENT-CERTIFICATE"
	}
	return fmt.Sprintf("SSLv2MsgType(%d)", uint8(t))
}

// SSLv2Record is one SSL 2.0 record. Message and Padding alias the input.
type SSLv2Record struct {
	Header  []byte // 2 bytes, or 3 when the record is padded
	Message []byte // the message (or, once encrypted, MAC and data)
	Padding []byte
}

// MsgType returns the first byte of the message (meaningful while the
// connection is in the clear).
func (r SSLv2Record) MsgType() (SSLv2MsgType, bool) {
	if len(r.Message) == 0 {
		return 0, false
	}
	return SSLv2MsgType(r.Message[0]), true
}

// IsSSLv2Record reports whether b starts with an SSL 2.0 two-byte record
// header (high bit set). It says nothing about the content; use
// LooksLikeTLS to recognise a connection.
func IsSSLv2Record(b []byte) bool { return len(b) > 0 && b[0]&0x80 != 0 }

// ParseSSLv2Record parses one SSL 2.0 record at the start of b: a 2-byte
// header (high bit set, 15-bit length) or a 3-byte header (high bits 00,
// 14-bit length, then a padding length). As with ParseRecord, a partial
// record gives a Truncated error and n == 0.
func ParseSSLv2Record(b []byte) (rec SSLv2Record, n int, err error) {
	s := cryptobyte.String(b)
	var hdr uint16
	if !s.ReadUint16(&hdr) {
		return SSLv2Record{}, 0, dissect.Errorf(dissect.Truncated, "sslv2", len(b), "record header cut short")
	}
	var length, pad int
	hlen := 2
	if hdr&0x8000 != 0 {
		length = int(hdr & 0x7fff)
	} else {
		if hdr&0x4000 != 0 {
			return SSLv2Record{}, 0, dissect.Errorf(dissect.Malformed, "sslv2", 0, "security escape records are not SSL 2.0 data")
		}
		length = int(hdr & 0x3fff)
		var p uint8
		if !s.ReadUint8(&p) {
			return SSLv2Record{}, 0, dissect.Errorf(dissect.Truncated, "sslv2", len(b), "record header cut short")
		}
		pad, hlen = int(p), 3
	}
	if pad > length {
		return SSLv2Record{}, 0, dissect.Errorf(dissect.Malformed, "sslv2", 2, "padding %d longer than record %d", pad, length)
	}
	var body []byte
	if !s.ReadBytes(&body, length) {
		return SSLv2Record{}, 0, dissect.Errorf(dissect.Truncated, "sslv2", len(b), "record announces %d bytes, have %d", length, len(b)-hlen)
	}
	rec.Header, rec.Message, rec.Padding = b[:hlen], body[:length-pad], body[length-pad:]
	return rec, hlen + length, nil
}

// MarshalSSLv2Record frames msg in an SSL 2.0 record with a 2-byte header
// and no padding. It returns nil if msg exceeds 32767 bytes.
func MarshalSSLv2Record(msg []byte) []byte {
	if len(msg) > 0x7fff {
		return nil
	}
	out := make([]byte, 2+len(msg))
	out[0], out[1] = 0x80|byte(len(msg)>>8), byte(len(msg))
	copy(out[2:], msg)
	return out
}

// ParseSSLv2ClientHello parses an SSL 2.0 CLIENT-HELLO message (starting
// with its message type byte, as in SSLv2Record.Message). Cipher specs of
// the form 0x00xxyy also land in CipherSuites; the challenge is also copied,
// right-aligned, into Random, as TLS servers do.
func ParseSSLv2ClientHello(msg []byte) (*ClientHello, error) {
	m := &ClientHello{SSLv2: true, Raw: msg}
	s := cryptobyte.String(msg)
	var typ uint8
	var ver, specLen, sidLen, chLen uint16
	if !s.ReadUint8(&typ) || !s.ReadUint16(&ver) || !s.ReadUint16(&specLen) || !s.ReadUint16(&sidLen) || !s.ReadUint16(&chLen) {
		return m, dissect.Errorf(dissect.Truncated, "sslv2", len(msg), "CLIENT-HELLO header cut short")
	}
	m.Version = Version(ver)
	if SSLv2MsgType(typ) != SSLv2ClientHello {
		return m, dissect.Errorf(dissect.Malformed, "sslv2", 0, "message type %s, want CLIENT-HELLO", SSLv2MsgType(typ))
	}
	var specs, sid, challenge []byte
	if !s.ReadBytes(&specs, int(specLen)) || !s.ReadBytes(&sid, int(sidLen)) || !s.ReadBytes(&challenge, int(chLen)) {
		return m, dissect.Errorf(dissect.Truncated, "sslv2", len(msg)-len(s), "CLIENT-HELLO lengths overrun the message")
	}
	m.SessionID, m.SSLv2Challenge = sid, challenge
	var err error
	if len(specs)%3 != 0 {
		err = dissect.Errorf(dissect.Malformed, "sslv2", 3, "cipher specs length %d is not a multiple of 3", len(specs))
	}
	for i := 0; i+3 <= len(specs); i += 3 {
		spec := uint32(specs[i])<<16 | uint32(specs[i+1])<<8 | uint32(specs[i+2])
		m.SSLv2CipherSpecs = append(m.SSLv2CipherSpecs, spec)
		if spec>>16 == 0 {
			m.CipherSuites = append(m.CipherSuites, uint16(spec))
			if uint16(spec) == TLS_EMPTY_RENEGOTIATION_INFO_SCSV {
				m.SecureRenegotiationSupported = true
			}
		}
	}
	if len(challenge) > 32 {
		copy(m.Random[:], challenge[len(challenge)-32:])
	} else {
		copy(m.Random[32-len(challenge):], challenge)
	}
	if !s.Empty() && err == nil {
		err = dissect.Errorf(dissect.Malformed, "sslv2", len(msg)-len(s), "%d bytes after the challenge", len(s))
	}
	return m, err
}

// marshalSSLv2 builds the SSL 2.0 CLIENT-HELLO message: SSLv2CipherSpecs
// when set, else CipherSuites as 0x00xxyy specs; SSLv2Challenge when set,
// else the last 16 bytes of Random.
func (m *ClientHello) marshalSSLv2() []byte {
	specs := m.SSLv2CipherSpecs
	if specs == nil {
		for _, cs := range m.CipherSuites {
			specs = append(specs, uint32(cs))
		}
	}
	challenge := m.SSLv2Challenge
	if challenge == nil {
		challenge = m.Random[16:]
	}
	return build(func(b *cryptobyte.Builder) {
		if len(specs)*3 > 0xffff || len(m.SessionID) > 0xffff || len(challenge) > 0xffff {
			b.SetError(errTooLong)
			return
		}
		b.AddUint8(uint8(SSLv2ClientHello))
		b.AddUint16(uint16(m.Version))
		b.AddUint16(uint16(len(specs) * 3))
		b.AddUint16(uint16(len(m.SessionID)))
		b.AddUint16(uint16(len(challenge)))
		for _, sp := range specs {
			b.AddUint24(sp)
		}
		b.AddBytes(m.SessionID)
		b.AddBytes(challenge)
	})
}

// SSLv2ServerHelloMsg is an SSL 2.0 SERVER-HELLO message.
type SSLv2ServerHelloMsg struct {
	Raw             []byte
	SessionIDHit    bool
	CertificateType uint8 // 1: X.509
	Version         Version
	Certificate     []byte
	CipherSpecs     []uint32
	ConnectionID    []byte
}

// Unmarshal parses a SERVER-HELLO message (starting with its type byte).
func (m *SSLv2ServerHelloMsg) Unmarshal(msg []byte) error {
	*m = SSLv2ServerHelloMsg{Raw: msg, CipherSpecs: m.CipherSpecs[:0]}
	s := cryptobyte.String(msg)
	var typ, hit uint8
	var ver, certLen, specLen, cidLen uint16
	if !s.ReadUint8(&typ) || !s.ReadUint8(&hit) || !s.ReadUint8(&m.CertificateType) || !s.ReadUint16(&ver) ||
		!s.ReadUint16(&certLen) || !s.ReadUint16(&specLen) || !s.ReadUint16(&cidLen) {
		return dissect.Errorf(dissect.Truncated, "sslv2", len(msg), "SERVER-HELLO header cut short")
	}
	m.SessionIDHit, m.Version = hit != 0, Version(ver)
	if SSLv2MsgType(typ) != SSLv2ServerHello {
		return dissect.Errorf(dissect.Malformed, "sslv2", 0, "message type %s, want SERVER-HELLO", SSLv2MsgType(typ))
	}
	var specs []byte
	if !s.ReadBytes(&m.Certificate, int(certLen)) || !s.ReadBytes(&specs, int(specLen)) || !s.ReadBytes(&m.ConnectionID, int(cidLen)) {
		return dissect.Errorf(dissect.Truncated, "sslv2", len(msg)-len(s), "SERVER-HELLO lengths overrun the message")
	}
	for i := 0; i+3 <= len(specs); i += 3 {
		m.CipherSpecs = append(m.CipherSpecs, uint32(specs[i])<<16|uint32(specs[i+1])<<8|uint32(specs[i+2]))
	}
	if len(specs)%3 != 0 {
		return dissect.Errorf(dissect.Malformed, "sslv2", 7, "cipher specs length %d is not a multiple of 3", len(specs))
	}
	if !s.Empty() {
		return dissect.Errorf(dissect.Malformed, "sslv2", len(msg)-len(s), "%d bytes after the connection ID", len(s))
	}
	return nil
}

// Marshal builds the SERVER-HELLO message. It returns nil if a field is
// longer than 65535 bytes.
func (m *SSLv2ServerHelloMsg) Marshal() []byte {
	return build(func(b *cryptobyte.Builder) {
		if len(m.Certificate) > 0xffff || len(m.CipherSpecs)*3 > 0xffff || len(m.ConnectionID) > 0xffff {
			b.SetError(errTooLong)
			return
		}
		b.AddUint8(uint8(SSLv2ServerHello))
		hit := uint8(0)
		if m.SessionIDHit {
			hit = 1
		}
		b.AddUint8(hit)
		b.AddUint8(m.CertificateType)
		b.AddUint16(uint16(m.Version))
		b.AddUint16(uint16(len(m.Certificate)))
		b.AddUint16(uint16(len(m.CipherSpecs) * 3))
		b.AddUint16(uint16(len(m.ConnectionID)))
		b.AddBytes(m.Certificate)
		for _, sp := range m.CipherSpecs {
			b.AddUint24(sp)
		}
		b.AddBytes(m.ConnectionID)
	})
}

// SSLv2CipherSpecName names a 3-byte SSL 2.0 cipher spec; specs of the
// form 0x00xxyy are TLS cipher suites and are named by CipherSuiteName.
func SSLv2CipherSpecName(spec uint32) string {
	switch spec {
	case 0x010080:
		return "SSL2_RC4_128_WITH_MD5"
	case 0x020080:
		return "SSL2_RC4_128_EXPORT40_WITH_MD5"
	case 0x030080:
		return "SSL2_RC2_128_CBC_WITH_MD5"
	case 0x040080:
		return "SSL2_RC2_128_CBC_EXPORT40_WITH_MD5"
	case 0x050080:
		return "SSL2_IDEA_128_CBC_WITH_MD5"
	case 0x060040:
		return "SSL2_DES_64_CBC_WITH_MD5"
	case 0x0700c0:
		return "SSL2_DES_192_EDE3_CBC_WITH_MD5"
	case 0x080080:
		return "SSL2_RC4_64_WITH_MD5"
	}
	if spec>>16 == 0 {
		return CipherSuiteName(uint16(spec))
	}
	return fmt.Sprintf("0x%06x", spec)
}
