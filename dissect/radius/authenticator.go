package radius

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/binary"

	"github.com/sessionscope/sscope/dissect"
	"golang.org/x/crypto/cryptobyte"
)

// The packet authenticators. Which one a packet carries depends on its code:
//
//   - Access-Request, Status-Server: 16 random octets (RFC 2865 §3).
//   - Accounting-Request, CoA-Request, Disconnect-Request:
//     AccountingRequestAuthenticator (RFC 2866 §3, RFC 5176 §2.3).
//   - Every response: ResponseAuthenticator over the response with the
//     request's authenticator (RFC 2865 §3, RFC 2866 §3, RFC 5176 §2.3).
//
// The Message-Authenticator attribute (RFC 3579 §3.2, RFC 5176 §3.4) is an
// HMAC-MD5 keyed with the shared secret over the whole packet with the
// attribute's value zeroed and the authenticator field holding:
//
//   - Access-Request, Status-Server: the packet's own Request Authenticator
//     (pass nil as requestAuthenticator);
//   - responses: the Request Authenticator of the request answered;
//   - Accounting-Request, CoA-Request, Disconnect-Request: 16 zero octets.
//
// A sender therefore sets the Message-Authenticator first, then computes a
// response or accounting-style authenticator over the result.

// ResponseAuthenticator returns MD5(Code | Identifier | Length |
// requestAuthenticator | Attributes | secret) for the response in packet
// (RFC 2865 §3). It covers the packet up to its length field, or all of it
// when shorter; input shorter than a header yields the zero value.
func ResponseAuthenticator(packet []byte, requestAuthenticator [16]byte, secret []byte) [16]byte {
	packet, ok := lengthBounded(packet)
	if !ok {
		return [16]byte{}
	}
	h := md5.New()
	h.Write(packet[:4])
	h.Write(requestAuthenticator[:])
	h.Write(packet[HeaderLen:])
	h.Write(secret)
	var out [16]byte
	h.Sum(out[:0])
	return out
}

// AccountingRequestAuthenticator returns the Request Authenticator of an
// Accounting-Request (RFC 2866 §3), CoA-Request or Disconnect-Request
// (RFC 5176 §2.3): the response formula with 16 zero octets in place of a
// request authenticator.
func AccountingRequestAuthenticator(packet, secret []byte) [16]byte {
	return ResponseAuthenticator(packet, [16]byte{}, secret)
}

// VerifyResponseAuthenticator reports whether the authenticator field of
// the response in packet is right for the request authenticator and
// secret.
func VerifyResponseAuthenticator(packet []byte, requestAuthenticator [16]byte, secret []byte) bool {
	if len(packet) < HeaderLen {
		return false
	}
	want := ResponseAuthenticator(packet, requestAuthenticator, secret)
	return hmac.Equal(want[:], packet[4:HeaderLen])
}

// VerifyAccountingRequestAuthenticator reports whether the authenticator
// field of an Accounting-, CoA- or Disconnect-Request is right for secret.
func VerifyAccountingRequestAuthenticator(packet, secret []byte) bool {
	return VerifyResponseAuthenticator(packet, [16]byte{}, secret)
}

// MessageAuthenticator returns the Message-Authenticator the packet should
// carry: HMAC-MD5 keyed with secret over the packet with the attribute's
// value zeroed and, when requestAuthenticator is not nil, that value in
// the authenticator field (see the comment at the top of this file for
// which value each code takes). The packet must hold exactly one
// Message-Authenticator attribute.
func MessageAuthenticator(packet, secret []byte, requestAuthenticator *[16]byte) ([16]byte, error) {
	packet, off, err := findMessageAuthenticator(packet)
	if err != nil {
		return [16]byte{}, err
	}
	mac := hmac.New(md5.New, secret)
	if requestAuthenticator != nil {
		mac.Write(packet[:4])
		mac.Write(requestAuthenticator[:])
		mac.Write(packet[HeaderLen:off])
	} else {
		mac.Write(packet[:off])
	}
	var zero [16]byte
	mac.Write(zero[:])
	mac.Write(packet[off+16:])
	var out [16]byte
	mac.Sum(out[:0])
	return out, nil
}

// SetMessageAuthenticator computes the Message-Authenticator of packet and
// writes it into the attribute's value in place.
func SetMessageAuthenticator(packet, secret []byte, requestAuthenticator *[16]byte) error {
	sum, err := MessageAuthenticator(packet, secret, requestAuthenticator)
	if err != nil {
		return err
	}
	_, off, _ := findMessageAuthenticator(packet)
	copy(packet[off:off+16], sum[:])
	return nil
}

// VerifyMessageAuthenticator reports whether the packet's
// Message-Authenticator is right for secret and requestAuthenticator.
func VerifyMessageAuthenticator(packet, secret []byte, requestAuthenticator *[16]byte) (bool, error) {
	sum, err := MessageAuthenticator(packet, secret, requestAuthenticator)
	if err != nil {
		return false, err
	}
	packet, off, _ := findMessageAuthenticator(packet)
	return hmac.Equal(sum[:], packet[off:off+16]), nil
}

// lengthBounded returns packet cut to its length field (kept whole when
// shorter than the field says) and whether it holds a header.
func lengthBounded(packet []byte) ([]byte, bool) {
	if len(packet) < HeaderLen {
		return packet, false
	}
	if n := int(binary.BigEndian.Uint16(packet[2:4])); n >= HeaderLen && n < len(packet) {
		packet = packet[:n]
	}
	return packet, true
}

// findMessageAuthenticator returns the packet cut to its length field and
// the offset of the value of its only Message-Authenticator attribute.
func findMessageAuthenticator(packet []byte) ([]byte, int, error) {
	packet, ok := lengthBounded(packet)
	if !ok {
		return packet, 0, dissect.Errorf(dissect.Truncated, layer, len(packet), "%d bytes, the header needs %d", len(packet), HeaderLen)
	}
	found := -1
	s := cryptobyte.String(packet[HeaderLen:])
	for !s.Empty() {
		off := len(packet) - len(s)
		var typ, l uint8
		if !s.ReadUint8(&typ) || !s.ReadUint8(&l) || l < 2 || !s.Skip(int(l)-2) {
			return packet, 0, dissect.Errorf(dissect.Malformed, layer, off, "bad attribute while looking for the Message-Authenticator")
		}
		if typ != AttrMessageAuthenticator {
			continue
		}
		if l != 18 {
			return packet, 0, dissect.Errorf(dissect.Malformed, layer, off, "Message-Authenticator of length %d, want 18", l)
		}
		if found >= 0 {
			return packet, 0, dissect.Errorf(dissect.Malformed, layer, off, "more than one Message-Authenticator")
		}
		found = off + 2
	}
	if found < 0 {
		return packet, 0, dissect.Errorf(dissect.Malformed, layer, -1, "no Message-Authenticator attribute")
	}
	return packet, found, nil
}
