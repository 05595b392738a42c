package tls

import "github.com/sessionscope/sscope/dissect"

// Cheap signatures that tell whether the first bytes of a TCP stream or a
// UDP datagram start a TLS or DTLS handshake, whatever the port. They look
// only at headers, allocate nothing and accept only hellos whose lengths
// agree with each other.

// Smallest hello bodies: version, random, session ID length, then for a
// ServerHello cipher suite and compression method (38 bytes); a ClientHello
// carries at least one suite and one compression method (41 bytes).
const (
	minServerHelloBody = 2 + 32 + 1 + 2 + 1
	minClientHelloBody = 2 + 32 + 1 + 2 + 2 + 1 + 1
)

// LooksLikeTLS reports whether b starts like a TLS connection: a handshake
// record (SSL 3.0 to TLS 1.3 record version) whose first handshake message
// is a ClientHello or ServerHello with a plausible length and version, or
// an SSLv2-compatible ClientHello. b needs at least 11 bytes.
func LooksLikeTLS(b []byte) bool {
	if len(b) >= 1 && b[0]&0x80 != 0 {
		return looksLikeSSLv2ClientHello(b)
	}
	if len(b) < 11 || ContentType(b[0]) != ContentHandshake || b[1] != 3 || b[2] > 4 {
		return false
	}
	recLen := int(b[3])<<8 | int(b[4])
	if recLen < 4 || recLen > MaxRecordLength {
		return false
	}
	return plausibleHello(HandshakeType(b[5]), int(b[6])<<16|int(b[7])<<8|int(b[8]), b[9], b[10])
}

// plausibleHello checks a hello's handshake length and the major/minor
// bytes of its version field.
func plausibleHello(t HandshakeType, length int, major, minor byte) bool {
	switch t {
	case HandshakeTypeClientHello:
		if length < minClientHelloBody {
			return false
		}
	case HandshakeTypeServerHello:
		if length < minServerHelloBody {
			return false
		}
	default:
		return false
	}
	if length > dissect.MaxTLSHandshakeMessage {
		return false
	}
	switch major {
	case 3:
		return minor <= 4
	case 0x7f, 0xfb: // TLS 1.3 drafts in server_version
		return t == HandshakeTypeServerHello
	}
	return false
}

// looksLikeSSLv2ClientHello checks an SSL 2.0 record with a CLIENT-HELLO
// (RFC 6101 appendix E.2, RFC 5246 appendix E.2): 2-byte header, message
// type 1, version 0x0002 or 0x0300-0x0303, cipher specs a non-empty
// multiple of 3 bytes, session ID 0 or 16 bytes, challenge 16-32 bytes, and
// lengths that add up to the record length.
func looksLikeSSLv2ClientHello(b []byte) bool {
	if len(b) < 11 || b[0]&0x80 == 0 || b[2] != 1 {
		return false
	}
	recLen := int(b[0]&0x7f)<<8 | int(b[1])
	ver := Version(int(b[3])<<8 | int(b[4]))
	if ver != VersionSSL20 && (ver < VersionSSL30 || ver > VersionTLS12) {
		return false
	}
	specLen := int(b[5])<<8 | int(b[6])
	sidLen := int(b[7])<<8 | int(b[8])
	chLen := int(b[9])<<8 | int(b[10])
	if specLen == 0 || specLen%3 != 0 || (sidLen != 0 && sidLen != 16) || chLen < 16 || chLen > 32 {
		return false
	}
	return 9+specLen+sidLen+chLen == recLen
}

// LooksLikeDTLS reports whether b starts like a DTLS handshake: a
// handshake record with a DTLS record version (1.0, 1.2, 1.3 or the
// pre-RFC 0x0100) holding a ClientHello, ServerHello or HelloVerifyRequest
// fragment whose offsets fit its message and record. b needs at least 25
// bytes.
func LooksLikeDTLS(b []byte) bool {
	if len(b) < DTLSRecordHeaderLen+12 || ContentType(b[0]) != ContentHandshake {
		return false
	}
	if !Version(int(b[1])<<8 | int(b[2])).IsDTLS() {
		return false
	}
	recLen := int(b[11])<<8 | int(b[12])
	if recLen < 12 || recLen > MaxRecordLength {
		return false
	}
	h := b[DTLSRecordHeaderLen:]
	t := HandshakeType(h[0])
	length := int(h[1])<<16 | int(h[2])<<8 | int(h[3])
	fragOff := int(h[6])<<16 | int(h[7])<<8 | int(h[8])
	fragLen := int(h[9])<<16 | int(h[10])<<8 | int(h[11])
	if fragOff+fragLen > length || 12+fragLen > recLen {
		return false
	}
	switch t {
	case HandshakeTypeClientHello:
		return length >= minClientHelloBody+1
	case HandshakeTypeServerHello:
		return length >= minServerHelloBody
	case HandshakeTypeHelloVerifyRequest:
		return length >= 3 && length <= 3+255
	}
	return false
}
