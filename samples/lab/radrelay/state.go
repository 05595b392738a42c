package main

import "golang.org/x/crypto/cryptobyte"

// RADIUS packet codes the relay cares about (RFC 2865 section 3).
const (
	codeAccessRequest   = 1
	codeAccessAccept    = 2
	codeAccessReject    = 3
	codeAccessChallenge = 11
)

// attrState is the RADIUS State attribute type (RFC 2865 section 5.24).
const attrState = 24

// radiusHeaderLen is the fixed RADIUS header: code, identifier, length and
// the 16-byte authenticator.
const radiusHeaderLen = 20

// packetInfo holds the fields the relay routes on.
type packetInfo struct {
	Code       uint8
	Identifier uint8
	State      []byte // aliases the packet; nil when absent
}

// parsePacket reads the RADIUS header and looks for a State attribute. It
// reports false for anything that is not a well-formed RADIUS packet: the
// declared length must fit the datagram and the attributes must tile it.
func parsePacket(b []byte) (packetInfo, bool) {
	var info packetInfo
	s := cryptobyte.String(b)
	var length uint16
	if !s.ReadUint8(&info.Code) || !s.ReadUint8(&info.Identifier) || !s.ReadUint16(&length) {
		return packetInfo{}, false
	}
	if int(length) < radiusHeaderLen || int(length) > len(b) {
		return packetInfo{}, false
	}
	// Octets past the declared length are padding (RFC 2865 section 3).
	attrs := cryptobyte.String(b[4:length])
	if !attrs.Skip(16) {
		return packetInfo{}, false
	}
	for !attrs.Empty() {
		var typ uint8
		var value cryptobyte.String
		if !attrs.ReadUint8(&typ) || !readAttrValue(&attrs, &value) {
			return packetInfo{}, false
		}
		if typ == attrState && info.State == nil {
			info.State = value
		}
	}
	return info, true
}

// readAttrValue reads an attribute length octet (which counts the type and
// length octets too) and the value it announces.
func readAttrValue(s *cryptobyte.String, value *cryptobyte.String) bool {
	var l uint8
	if !s.ReadUint8(&l) || l < 2 {
		return false
	}
	return s.ReadBytes((*[]byte)(value), int(l)-2)
}
