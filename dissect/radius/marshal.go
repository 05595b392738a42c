package radius

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// vsaHeaderLen is the octets a Vendor-Specific attribute spends before a
// sub-attribute value: type, length, vendor number, vendor type, vendor
// length.
const vsaHeaderLen = 2 + 4 + 2

// Marshal builds the packet from Code, Identifier, Authenticator and
// Attributes, sets p.Length and the attributes' Offset to where they were
// written, and returns the bytes. Each vendor sub-attribute is wrapped in a
// Vendor-Specific attribute of its own; a VSA kept whole is written as is.
// It fails when a value does not fit one attribute (253 octets, 247 for a
// vendor sub-attribute) or the packet would exceed MaxPacketLen.
func (p *Packet) Marshal() ([]byte, error) {
	return p.AppendMarshal(nil)
}

// AppendMarshal is Marshal appending to dst, so a caller that reuses dst
// builds packets without allocating.
func (p *Packet) AppendMarshal(dst []byte) ([]byte, error) {
	start := len(dst)
	dst = append(dst, byte(p.Code), p.Identifier, 0, 0)
	dst = append(dst, p.Authenticator[:]...)
	for i := range p.Attributes {
		a := &p.Attributes[i]
		a.Offset = len(dst) - start
		if a.IsVendorSub() {
			if len(a.Value) > MaxAttributeValueLen-vsaHeaderLen+2 {
				return dst[:start], fmt.Errorf("radius: %s value of %d bytes does not fit one attribute (at most %d)",
					a.Name(), len(a.Value), MaxAttributeValueLen-vsaHeaderLen+2)
			}
			dst = append(dst, AttrVendorSpecific, byte(vsaHeaderLen+len(a.Value)))
			dst = binary.BigEndian.AppendUint32(dst, a.Vendor)
			a.Offset = len(dst) - start
			dst = append(dst, a.VendorType, byte(2+len(a.Value)))
			dst = append(dst, a.Value...)
			continue
		}
		if len(a.Value) > MaxAttributeValueLen {
			return dst[:start], fmt.Errorf("radius: %s value of %d bytes does not fit one attribute (at most %d)",
				a.Name(), len(a.Value), MaxAttributeValueLen)
		}
		dst = append(dst, a.Type, byte(2+len(a.Value)))
		dst = append(dst, a.Value...)
	}
	n := len(dst) - start
	if n > MaxPacketLen {
		return dst[:start], fmt.Errorf("radius: packet of %d bytes exceeds %d", n, MaxPacketLen)
	}
	binary.BigEndian.PutUint16(dst[start+2:], uint16(n))
	p.Length = uint16(n)
	return dst, nil
}

// Constructors for attribute values, for code that builds packets.

// TextAttribute returns a standard attribute with a text or string value.
func TextAttribute(t uint8, s string) Attribute { return Attribute{Type: t, Value: []byte(s)} }

// BytesAttribute returns a standard attribute whose value is b (aliased).
func BytesAttribute(t uint8, b []byte) Attribute { return Attribute{Type: t, Value: b} }

// Uint32Attribute returns a standard attribute with a four-octet integer
// value.
func Uint32Attribute(t uint8, v uint32) Attribute {
	return Attribute{Type: t, Value: binary.BigEndian.AppendUint32(nil, v)}
}

// TaggedUint32Attribute returns a tagged integer tunnel attribute: the tag
// octet, then the low 24 bits of v (RFC 2868 §3.1).
func TaggedUint32Attribute(t uint8, tag uint8, v uint32) Attribute {
	b := binary.BigEndian.AppendUint32(nil, v&0x00ffffff)
	b[0] = tag
	return Attribute{Type: t, Value: b}
}

// TaggedTextAttribute returns a tagged string tunnel attribute: the tag
// octet (0x01-0x1F), then s (RFC 2868 §3).
func TaggedTextAttribute(t uint8, tag uint8, s string) Attribute {
	return Attribute{Type: t, Value: append([]byte{tag}, s...)}
}

// AddrAttribute returns a standard attribute whose value is addr: four
// octets for an IPv4 address, sixteen for an IPv6 one.
func AddrAttribute(t uint8, addr netip.Addr) Attribute {
	if addr.Is4() {
		b := addr.As4()
		return Attribute{Type: t, Value: b[:]}
	}
	b := addr.As16()
	return Attribute{Type: t, Value: b[:]}
}

// VendorAttribute returns a vendor sub-attribute.
func VendorAttribute(vendor uint32, t uint8, value []byte) Attribute {
	return Attribute{Type: AttrVendorSpecific, Vendor: vendor, VendorType: t, Value: value}
}

// CiscoAVPairAttribute returns a Cisco-AVPair sub-attribute "name=value".
func CiscoAVPairAttribute(name, value string) Attribute {
	return VendorAttribute(VendorCisco, CiscoAVPair, []byte(name+"="+value))
}
