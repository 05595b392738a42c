package radius

import (
	"encoding/binary"

	"github.com/sessionscope/sscope/dissect"
	"golang.org/x/crypto/cryptobyte"
)

const (
	// HeaderLen is the length of the fixed header: code, identifier,
	// length and authenticator.
	HeaderLen = 20
	// MaxPacketLen is the largest packet RFC 2865 §3 allows. Decoding
	// accepts longer packets (RFC 7930 allows them over TCP and TLS);
	// Marshal does not build them.
	MaxPacketLen = 4096
	// MaxAttributes caps the attributes one packet may decode into: every
	// attribute of the largest RFC 2865 packet fits, a hostile 64 KiB
	// packet of empty attributes does not.
	MaxAttributes = (MaxPacketLen - HeaderLen) / 2
	// MaxAttributeValueLen is the longest value one attribute can carry.
	MaxAttributeValueLen = 253

	layer = "radius"
)

// Packet is one RADIUS packet.
type Packet struct {
	Code       Code
	Identifier uint8
	// Length is the header's length field as decoded, or as Marshal set it.
	Length        uint16
	Authenticator [16]byte
	Attributes    []Attribute
	// Raw is the packet as decoded: the input up to Length (or all of it
	// when the input is shorter). It aliases the input.
	Raw []byte
}

// Parse decodes b into a new Packet. It returns the packet even when err
// is not nil; the packet then holds what could be decoded.
func Parse(b []byte) (*Packet, error) {
	p := new(Packet)
	err := p.DecodeFromBytes(b)
	return p, err
}

// DecodeFromBytes fills p from b, reusing the backing array of
// p.Attributes, so decoding into a reused Packet does not allocate.
//
// Octets past the header's length field are padding and ignored (RFC 2865
// §3); a buffer shorter than the length field is a Truncated error, after
// the attributes that are there have been decoded. An attribute that does
// not fit stops decoding: the attributes before it stay in p and the
// returned *dissect.Error gives the offset of the bad one.
func (p *Packet) DecodeFromBytes(b []byte) error {
	*p = Packet{Attributes: p.Attributes[:0]}
	s := cryptobyte.String(b)
	var code, id uint8
	var length uint16
	var auth []byte
	if !s.ReadUint8(&code) || !s.ReadUint8(&id) || !s.ReadUint16(&length) || !s.ReadBytes(&auth, 16) {
		p.Raw = b
		return dissect.Errorf(dissect.Truncated, layer, len(b), "%d bytes, the header needs %d", len(b), HeaderLen)
	}
	p.Code, p.Identifier, p.Length = Code(code), id, length
	copy(p.Authenticator[:], auth)
	if length < HeaderLen {
		p.Raw = b[:HeaderLen]
		return dissect.Errorf(dissect.Malformed, layer, 2, "length field %d is shorter than the %d-byte header", length, HeaderLen)
	}
	end := int(length)
	short := end > len(b)
	if short {
		end = len(b)
	}
	p.Raw = b[:end]
	err := p.decodeAttributes(p.Raw)
	if short {
		return dissect.Errorf(dissect.Truncated, layer, 2, "length field %d exceeds the %d bytes captured", length, len(b))
	}
	return err
}

// decodeAttributes appends the attributes of packet (header included) to
// p.Attributes.
func (p *Packet) decodeAttributes(packet []byte) error {
	s := cryptobyte.String(packet[HeaderLen:])
	for !s.Empty() {
		off := len(packet) - len(s)
		var typ, l uint8
		var value []byte
		if !s.ReadUint8(&typ) || !s.ReadUint8(&l) {
			return dissect.Errorf(dissect.Truncated, layer, off, "attribute header cut after %d byte", len(s))
		}
		if l < 2 {
			return dissect.Errorf(dissect.Malformed, layer, off, "attribute %s has length %d, less than its 2-byte header", AttributeName(typ), l)
		}
		if !s.ReadBytes(&value, int(l)-2) {
			return dissect.Errorf(dissect.Truncated, layer, off, "attribute %s of length %d runs past the end of the packet", AttributeName(typ), l)
		}
		if typ == AttrVendorSpecific {
			if err := p.appendVendorSpecific(value, off); err != nil {
				return err
			}
			continue
		}
		if err := p.append(Attribute{Type: typ, Value: value, Offset: off}); err != nil {
			return err
		}
	}
	return nil
}

// append adds a to p.Attributes unless the cap is reached.
func (p *Packet) append(a Attribute) error {
	if len(p.Attributes) >= MaxAttributes {
		return dissect.Errorf(dissect.CapExceeded, layer, a.Offset, "more than %d attributes", MaxAttributes)
	}
	p.Attributes = append(p.Attributes, a)
	return nil
}

// appendVendorSpecific adds the sub-attributes of one Vendor-Specific
// attribute whose value (vendor number first) starts at packet offset off,
// or the attribute whole when its vendor data does not split into
// sub-attributes of the common format.
func (p *Packet) appendVendorSpecific(value []byte, off int) error {
	whole := Attribute{Type: AttrVendorSpecific, Value: value, Offset: off}
	if len(value) < 4 {
		return p.append(whole)
	}
	whole.Vendor = binary.BigEndian.Uint32(value)
	data := value[4:]
	if !splitsIntoSubAttributes(data) {
		return p.append(whole)
	}
	subOff := off + 2 + 4
	s := cryptobyte.String(data)
	for !s.Empty() {
		var typ, l uint8
		var v []byte
		// splitsIntoSubAttributes checked every read below.
		s.ReadUint8(&typ)
		s.ReadUint8(&l)
		s.ReadBytes(&v, int(l)-2)
		if err := p.append(Attribute{Type: AttrVendorSpecific, Vendor: whole.Vendor, VendorType: typ, Value: v, Offset: subOff}); err != nil {
			return err
		}
		subOff += int(l)
	}
	return nil
}

// splitsIntoSubAttributes reports whether vendor data is a non-empty run of
// sub-attributes with a non-zero type and a length of at least 2 that ends
// exactly at the end of the data.
func splitsIntoSubAttributes(data []byte) bool {
	if len(data) == 0 {
		return false
	}
	s := cryptobyte.String(data)
	for !s.Empty() {
		var typ, l uint8
		if !s.ReadUint8(&typ) || !s.ReadUint8(&l) || typ == 0 || l < 2 || !s.Skip(int(l)-2) {
			return false
		}
	}
	return true
}
