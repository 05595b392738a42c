package eap

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// Nak lists the methods a peer would accept instead of the one offered:
// a legacy Nak (type 3, RFC 3748 §5.3.1) carries one byte per type (254
// meaning "expanded types, please"); an Expanded Nak (type 254, vendor 0,
// type 3, §5.3.2) carries 8-byte expanded type headers.
type Nak struct {
	Types    []Type
	Expanded []ExpandedType
}

// ParseNak decodes the data of a legacy or expanded Nak Response.
func ParseNak(p *Packet) (Nak, error) {
	var n Nak
	switch {
	case p.Type == TypeNak:
		n.Types = make([]Type, len(p.Data))
		for i, b := range p.Data {
			n.Types[i] = Type(b)
		}
		if len(p.Data) == 0 {
			return n, dissect.Errorf(dissect.Malformed, layer, typeHeaderLen, "Nak without a desired type")
		}
		return n, nil
	case p.IsExpandedNak():
		s := cryptobyte.String(p.Data)
		for !s.Empty() {
			var t uint8
			var e ExpandedType
			off := expandedHeaderLen + len(p.Data) - len(s)
			if !s.ReadUint8(&t) || !s.ReadUint24(&e.Vendor) || !s.ReadUint32(&e.Type) {
				return n, dissect.Errorf(dissect.Truncated, layer, off, "expanded Nak entry needs 8 bytes, %d left", len(p.Data)-(off-expandedHeaderLen))
			}
			if Type(t) != TypeExpanded {
				return n, dissect.Errorf(dissect.Malformed, layer, off, "expanded Nak entry of type %d, want 254", t)
			}
			n.Expanded = append(n.Expanded, e)
		}
		if len(n.Expanded) == 0 {
			return n, dissect.Errorf(dissect.Malformed, layer, expandedHeaderLen, "expanded Nak without a desired type")
		}
		return n, nil
	}
	return n, dissect.Errorf(dissect.Unsupported, layer, typeHeaderLen-1, "%s is not a Nak", p.Type)
}

// Marshal builds the type data of a legacy Nak (Types) or, when Expanded is
// set, of an Expanded Nak. Put it in a Packet with Type TypeNak, or with
// Type TypeExpanded, VendorID 0 and VendorType ExpandedTypeNak.
func (n Nak) Marshal() []byte {
	if len(n.Expanded) > 0 {
		b := make([]byte, 0, 8*len(n.Expanded))
		for _, e := range n.Expanded {
			b = append(b, byte(TypeExpanded), byte(e.Vendor>>16), byte(e.Vendor>>8), byte(e.Vendor),
				byte(e.Type>>24), byte(e.Type>>16), byte(e.Type>>8), byte(e.Type))
		}
		return b
	}
	b := make([]byte, len(n.Types))
	for i, t := range n.Types {
		b[i] = byte(t)
	}
	return b
}
