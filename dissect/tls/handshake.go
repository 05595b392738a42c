package tls

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// Handshake message header sizes: msg_type and a 24-bit length; DTLS adds
// message_seq, fragment_offset and fragment_length (RFC 6347 section
// 4.2.2).
const (
	HandshakeHeaderLen     = 4
	DTLSHandshakeHeaderLen = 12
)

// HandshakeMsg is one handshake message (or, for DTLS, one fragment of one
// as read by ParseHandshakeFragment).
type HandshakeMsg struct {
	Type   HandshakeType
	Length uint32 // length of the whole message body
	Body   []byte
	// Raw is header plus body. For a DTLS message returned by the
	// HandshakeReassembler it is the unfragmented form (fragment_offset 0,
	// fragment_length = Length), the bytes DTLS hashes into the transcript.
	Raw []byte
	// DTLS only.
	MessageSeq     uint16
	FragmentOffset uint32
	FragmentLength uint32
}

// ParseHandshakeFragment reads one handshake message header and the body
// bytes that follow it at the start of b. For TLS the whole body must be
// present (else Truncated, n == 0). For DTLS it reads one fragment:
// FragmentOffset/FragmentLength say which part of the message Body holds.
// Length and fragment bounds are checked against dissect.MaxTLSHandshakeMessage.
func ParseHandshakeFragment(b []byte, dtls bool) (msg HandshakeMsg, n int, err error) {
	layer := "tls"
	if dtls {
		layer = "dtls"
	}
	s := cryptobyte.String(b)
	var typ uint8
	var length uint32
	if !s.ReadUint8(&typ) || !s.ReadUint24(&length) {
		return HandshakeMsg{}, 0, dissect.Errorf(dissect.Truncated, layer, len(b), "handshake header cut short")
	}
	msg.Type, msg.Length = HandshakeType(typ), length
	bodyLen := length
	if dtls {
		if !s.ReadUint16(&msg.MessageSeq) || !s.ReadUint24(&msg.FragmentOffset) || !s.ReadUint24(&msg.FragmentLength) {
			return HandshakeMsg{}, 0, dissect.Errorf(dissect.Truncated, layer, len(b), "DTLS handshake header cut short")
		}
		if uint64(msg.FragmentOffset)+uint64(msg.FragmentLength) > uint64(length) {
			return HandshakeMsg{}, 0, dissect.Errorf(dissect.Malformed, layer, 6, "fragment %d+%d beyond message length %d", msg.FragmentOffset, msg.FragmentLength, length)
		}
		bodyLen = msg.FragmentLength
	} else {
		msg.FragmentLength = length
	}
	if length > dissect.MaxTLSHandshakeMessage {
		return HandshakeMsg{}, 0, dissect.Errorf(dissect.CapExceeded, layer, 1, "handshake message of %d bytes exceeds cap %d", length, dissect.MaxTLSHandshakeMessage)
	}
	if !s.ReadBytes(&msg.Body, int(bodyLen)) {
		return HandshakeMsg{}, 0, dissect.Errorf(dissect.Truncated, layer, len(b), "handshake %s announces %d bytes, have %d", msg.Type, bodyLen, len(s))
	}
	n = len(b) - len(s)
	msg.Raw = b[:n]
	return msg, n, nil
}

// MarshalHandshake builds a TLS handshake message: 4-byte header and body.
// It returns nil if body exceeds 2^24-1 bytes.
func MarshalHandshake(t HandshakeType, body []byte) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddUint8(uint8(t))
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(body) })
	})
}

// MarshalDTLSHandshake builds an unfragmented DTLS handshake message:
// 12-byte header (message_seq seq, fragment_offset 0, fragment_length equal
// to the length) and body. It returns nil if body exceeds 2^24-1 bytes.
func MarshalDTLSHandshake(t HandshakeType, seq uint16, body []byte) []byte {
	return MarshalDTLSHandshakeFragment(t, seq, uint32(len(body)), 0, body)
}

// MarshalDTLSHandshakeFragment builds one DTLS handshake fragment: the
// message of length bytes carries frag at offset.
func MarshalDTLSHandshakeFragment(t HandshakeType, seq uint16, length, offset uint32, frag []byte) []byte {
	return build(func(b *cryptobyte.Builder) {
		if length > 0xffffff || offset > 0xffffff || len(frag) > 0xffffff {
			b.SetError(errTooLong)
			return
		}
		b.AddUint8(uint8(t))
		b.AddUint24(length)
		b.AddUint16(seq)
		b.AddUint24(offset)
		b.AddUint24(uint32(len(frag)))
		b.AddBytes(frag)
	})
}
