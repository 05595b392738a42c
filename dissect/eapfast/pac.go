package eapfast

import (
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// PACKeyLen is the length of a PAC-Key (RFC 5422 section 4.2.2).
const PACKeyLen = 32

// PACAttribute is a PAC attribute this package does not interpret.
type PACAttribute struct {
	Type  PACAttrType
	Value []byte
}

// PACInfo is the PAC-Info attribute (RFC 5422 section 4.2.4): what the
// peer may know about a PAC.
type PACInfo struct {
	// Lifetime is the PAC-Lifetime: when the PAC expires, in seconds
	// since 1970-01-01 UTC; 0 when absent.
	Lifetime uint32
	AID      []byte // A-ID: the authority (server) that issued the PAC
	IID      []byte // I-ID: the identity the PAC was issued to
	AIDInfo  []byte // A-ID-Info: a human-readable name of the authority
	// Type is the PAC-Type; 0 when absent, which means a Tunnel PAC.
	Type  PACType
	Other []PACAttribute
}

// PACType returns Type, or PACTypeTunnel when the PAC-Info names none
// (RFC 5422 section 4.2.4).
func (i PACInfo) PACType() PACType {
	if i.Type == 0 {
		return PACTypeTunnel
	}
	return i.Type
}

// Expiry returns the PAC-Lifetime as a time; the zero time when absent.
func (i PACInfo) Expiry() time.Time {
	if i.Lifetime == 0 {
		return time.Time{}
	}
	return time.Unix(int64(i.Lifetime), 0).UTC()
}

// PAC is the PAC TLV (type 11, RFC 5422 section 4.2). The same TLV
// delivers a PAC (PAC-Key, PAC-Opaque, PAC-Info), acknowledges one
// (PAC-Acknowledgement), requests one (PAC-Type) and presents an
// authorization PAC inside the tunnel (PAC-Opaque alone).
type PAC struct {
	Mandatory bool
	Key       []byte   // PAC-Key, 32 octets; nil when absent
	Opaque    []byte   // PAC-Opaque; nil when absent
	Info      *PACInfo // PAC-Info; nil when absent
	// Ack is the result of a PAC-Acknowledgement; 0 when absent.
	Ack Status
	// Type is a PAC-Type attribute outside PAC-Info (a PAC request);
	// 0 when absent.
	Type  PACType
	Other []PACAttribute
}

// TLVType returns TypePAC.
func (PAC) TLVType() TLVType { return TypePAC }

// Marshal encodes the TLV, attributes in the order Key, Opaque, Info,
// Acknowledgement, Type, others; nil if it is longer than 65535 octets.
func (p PAC) Marshal() []byte {
	v, ok := p.marshalAttributes()
	if !ok {
		return nil
	}
	return marshalTLV(p.Mandatory, TypePAC, v)
}

func (p PAC) marshalAttributes() ([]byte, bool) {
	var b cryptobyte.Builder
	addAttr(&b, PACAttrPACKey, p.Key)
	addAttr(&b, PACAttrPACOpaque, p.Opaque)
	if p.Info != nil {
		b.AddUint16(uint16(PACAttrPACInfo))
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { p.Info.build(b) })
	}
	if p.Ack != 0 {
		addAttr(&b, PACAttrPACAcknowledgement, []byte{byte(p.Ack >> 8), byte(p.Ack)})
	}
	if p.Type != 0 {
		addAttr(&b, PACAttrPACType, []byte{byte(p.Type >> 8), byte(p.Type)})
	}
	for _, a := range p.Other {
		addAnyAttr(&b, a.Type, a.Value)
	}
	v, err := b.Bytes()
	return v, err == nil
}

func (i *PACInfo) build(b *cryptobyte.Builder) {
	if i.Lifetime != 0 {
		l := i.Lifetime
		addAttr(b, PACAttrPACLifetime, []byte{byte(l >> 24), byte(l >> 16), byte(l >> 8), byte(l)})
	}
	addAttr(b, PACAttrAID, i.AID)
	addAttr(b, PACAttrIID, i.IID)
	addAttr(b, PACAttrAIDInfo, i.AIDInfo)
	if i.Type != 0 {
		addAttr(b, PACAttrPACType, []byte{byte(i.Type >> 8), byte(i.Type)})
	}
	for _, a := range i.Other {
		addAnyAttr(b, a.Type, a.Value)
	}
}

// addAttr adds a PAC attribute; nothing when v is empty. A value too long
// for its 16-bit length makes the builder fail.
func addAttr(b *cryptobyte.Builder, t PACAttrType, v []byte) {
	if len(v) == 0 {
		return
	}
	addAnyAttr(b, t, v)
}

// addAnyAttr adds a PAC attribute, also when v is empty.
func addAnyAttr(b *cryptobyte.Builder, t PACAttrType, v []byte) {
	b.AddUint16(uint16(t))
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(v) })
}

// Unmarshal decodes one whole PAC TLV. On error p holds what could be
// decoded.
func (p *PAC) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypePAC)
	if err != nil {
		return err
	}
	err = p.decode(t.Value)
	p.Mandatory = t.Mandatory
	return err
}

func (p *PAC) decode(v []byte) error {
	*p = PAC{}
	var first error
	note := func(err error) {
		if first == nil {
			first = err
		}
	}
	base := headerLen
	err := walkAttributes(v, base, func(t PACAttrType, val []byte, off int) {
		switch t {
		case PACAttrPACKey:
			p.Key = val
			if len(val) != PACKeyLen {
				note(dissect.Errorf(dissect.Malformed, layer, off, "PAC-Key of %d bytes, want %d", len(val), PACKeyLen))
			}
		case PACAttrPACOpaque:
			p.Opaque = val
		case PACAttrPACInfo:
			info := new(PACInfo)
			if err := info.decode(val, off+4); err != nil {
				note(err)
			}
			p.Info = info
		case PACAttrPACAcknowledgement:
			if u, ok := uint16Of(val); ok {
				p.Ack = Status(u)
			} else {
				note(dissect.Errorf(dissect.Malformed, layer, off, "PAC-Acknowledgement of %d bytes, want 2", len(val)))
			}
		case PACAttrPACType:
			if u, ok := uint16Of(val); ok {
				p.Type = PACType(u)
			} else {
				note(dissect.Errorf(dissect.Malformed, layer, off, "PAC-Type of %d bytes, want 2", len(val)))
			}
		default:
			p.Other = append(p.Other, PACAttribute{Type: t, Value: val})
		}
	})
	if err != nil {
		return err
	}
	return first
}

func (i *PACInfo) decode(v []byte, base int) error {
	*i = PACInfo{}
	var first error
	err := walkAttributes(v, base, func(t PACAttrType, val []byte, off int) {
		bad := func(want string) {
			if first == nil {
				first = dissect.Errorf(dissect.Malformed, layer, off, "%s of %d bytes, want %s", t, len(val), want)
			}
		}
		switch t {
		case PACAttrPACLifetime:
			if len(val) == 4 {
				i.Lifetime = uint32(val[0])<<24 | uint32(val[1])<<16 | uint32(val[2])<<8 | uint32(val[3])
			} else {
				bad("4")
			}
		case PACAttrAID:
			i.AID = val
		case PACAttrIID:
			i.IID = val
		case PACAttrAIDInfo:
			i.AIDInfo = val
		case PACAttrPACType:
			if u, ok := uint16Of(val); ok {
				i.Type = PACType(u)
			} else {
				bad("2")
			}
		default:
			i.Other = append(i.Other, PACAttribute{Type: t, Value: val})
		}
	})
	if err != nil {
		return err
	}
	return first
}

// walkAttributes calls fn for each attribute of v (type with the M and R
// bits cleared, value, offset of the attribute relative to the enclosing
// TLV). Empty values are passed as nil. It stops at the first attribute
// that runs past v.
func walkAttributes(v []byte, base int, fn func(t PACAttrType, val []byte, off int)) error {
	s := cryptobyte.String(v)
	for !s.Empty() {
		off := base + len(v) - len(s)
		var t uint16
		var val cryptobyte.String
		if !s.ReadUint16(&t) || !s.ReadUint16LengthPrefixed(&val) {
			return dissect.Errorf(dissect.Truncated, layer, off, "PAC attribute runs past its %d-byte container", len(v))
		}
		var b []byte
		if len(val) > 0 {
			b = val
		}
		fn(PACAttrType(t&typeMask), b, off)
	}
	return nil
}

func uint16Of(v []byte) (uint16, bool) {
	if len(v) != 2 {
		return 0, false
	}
	return uint16(v[0])<<8 | uint16(v[1]), true
}

// Marshal encodes the PAC-Info's attributes: the value of a PAC-Info
// attribute, and what a wpa_supplicant PAC file stores as PAC-Info. It
// returns nil if they exceed 65535 octets.
func (i PACInfo) Marshal() []byte {
	var b cryptobyte.Builder
	i.build(&b)
	v, err := b.Bytes()
	if err != nil || len(v) > maxValueLen {
		return nil
	}
	return v
}

// ParsePACInfo decodes the attributes of a PAC-Info (see PACInfo.Marshal).
// Offsets in the error are relative to b.
func ParsePACInfo(b []byte) (PACInfo, error) {
	var i PACInfo
	err := i.decode(b, 0)
	return i, err
}
