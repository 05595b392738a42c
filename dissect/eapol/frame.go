package eapol

import (
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

const layer = "eapol"

// EtherType is the Ethernet type of EAPOL frames (and of pre-authentication
// frames, 0x88C7, which carry the same format).
const (
	EtherType        = 0x888e
	EtherTypePreauth = 0x88c7
)

// Type is the EAPOL packet type (IEEE 802.1X-2020 §11.3.2).
type Type uint8

// EAPOL packet types.
const (
	TypeEAPPacket            Type = 0
	TypeStart                Type = 1
	TypeLogoff               Type = 2
	TypeKey                  Type = 3
	TypeEncapsulatedASF      Type = 4
	TypeMKA                  Type = 5
	TypeAnnouncementGeneric  Type = 6
	TypeAnnouncementSpecific Type = 7
	TypeAnnouncementReq      Type = 8
)

func (t Type) String() string {
	switch t {
	case TypeEAPPacket:
		return "EAP-Packet"
	case TypeStart:
		return "Start"
	case TypeLogoff:
		return "Logoff"
	case TypeKey:
		return "Key"
	case TypeEncapsulatedASF:
		return "Encapsulated-ASF-Alert"
	case TypeMKA:
		return "MKA"
	case TypeAnnouncementGeneric:
		return "Announcement (Generic)"
	case TypeAnnouncementSpecific:
		return "Announcement (Specific)"
	case TypeAnnouncementReq:
		return "Announcement-Req"
	}
	return "Type-" + strconv.Itoa(int(t))
}

const headerLen = 4

// Frame is one EAPOL frame. DecodeFromBytes fills it without allocating;
// Body aliases the input.
type Frame struct {
	Version uint8 // 1 (802.1X-2001), 2 (-2004), 3 (-2010 and later)
	Type    Type
	Length  uint16 // body length as sent; Marshal computes its own
	Body    []byte
}

// DecodeFromBytes decodes b into f. Bytes after Length (Ethernet padding)
// are ignored; a Length beyond b is Truncated and Body holds what arrived.
func (f *Frame) DecodeFromBytes(b []byte) error {
	*f = Frame{}
	s := cryptobyte.String(b)
	var t uint8
	if !s.ReadUint8(&f.Version) || !s.ReadUint8(&t) || !s.ReadUint16(&f.Length) {
		return dissect.Errorf(dissect.Truncated, layer, 0, "%d bytes, header needs 4", len(b))
	}
	f.Type = Type(t)
	if int(f.Length) > len(s) {
		f.Body = nonEmpty(s)
		return dissect.Errorf(dissect.Truncated, layer, 2, "body length %d, %d bytes", f.Length, len(s))
	}
	f.Body = nonEmpty(s[:f.Length])
	return nil
}

// Marshal encodes the frame; Length is len(Body), nil if Body exceeds 65535.
func (f *Frame) Marshal() []byte {
	if len(f.Body) > 0xffff {
		return nil
	}
	b := make([]byte, 0, headerLen+len(f.Body))
	b = append(b, f.Version, byte(f.Type), byte(len(f.Body)>>8), byte(len(f.Body)))
	return append(b, f.Body...)
}

func nonEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
