package eap

import (
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

const layer = "eap"

// Header sizes.
const (
	headerLen         = 4 // Code, Identifier, Length
	typeHeaderLen     = 5 // + Type
	expandedHeaderLen = 12
	maxPacketLen      = 0xffff
)

// Expanded-type vendors and types used by this package (RFC 3748 §5.7).
const (
	VendorIETF      uint32 = 0
	ExpandedTypeNak uint32 = 3 // vendor 0: Expanded Nak
	VendorCisco     uint32 = 9
	VendorMicrosoft uint32 = 311
	maxVendorID     uint32 = 0xffffff
)

// Packet is one EAP packet. DecodeFromBytes fills it without allocating; the
// byte slices alias the input.
type Packet struct {
	Code       Code
	Identifier uint8
	Length     uint16
	// Type is the method type of a Request or Response (the Message Type of
	// an Initiate or Finish); 0 for Success and Failure.
	Type Type
	// VendorID (24 bits) and VendorType are set for the expanded type (254).
	VendorID, VendorType uint32
	// Data is the type data after the (expanded) type header.
	Data []byte
	// Raw is the whole packet, trimmed to Length.
	Raw []byte
}

// DecodeFromBytes decodes b into p. Bytes after Length are ignored (link-layer
// padding); a Length beyond b is Truncated. On error p holds what could be
// decoded.
func (p *Packet) DecodeFromBytes(b []byte) error {
	*p = Packet{}
	s := cryptobyte.String(b)
	var code uint8
	if !s.ReadUint8(&code) || !s.ReadUint8(&p.Identifier) || !s.ReadUint16(&p.Length) {
		return dissect.Errorf(dissect.Truncated, layer, 0, "%d bytes, header needs 4", len(b))
	}
	p.Code = Code(code)
	if p.Length < headerLen {
		return dissect.Errorf(dissect.Malformed, layer, 2, "length %d below header size 4", p.Length)
	}
	if int(p.Length) > len(b) {
		p.Raw = b
		return dissect.Errorf(dissect.Truncated, layer, 2, "length %d, only %d bytes", p.Length, len(b))
	}
	p.Raw = b[:p.Length]
	body := cryptobyte.String(p.Raw[headerLen:])
	switch p.Code {
	case CodeSuccess, CodeFailure:
		if len(body) > 0 {
			p.Data = body
		}
		return nil
	case CodeRequest, CodeResponse, CodeInitiate, CodeFinish:
	default:
		p.Data = body
		return dissect.Errorf(dissect.Unsupported, layer, 0, "code %d", code)
	}
	var t uint8
	if !body.ReadUint8(&t) {
		return dissect.Errorf(dissect.Malformed, layer, headerLen, "%s without a type", p.Code)
	}
	p.Type = Type(t)
	if p.Type == TypeExpanded && (p.Code == CodeRequest || p.Code == CodeResponse) {
		if !body.ReadUint24(&p.VendorID) || !body.ReadUint32(&p.VendorType) {
			p.Data = body
			return dissect.Errorf(dissect.Truncated, layer, typeHeaderLen, "expanded type header needs 7 bytes, %d left", len(body))
		}
	}
	if len(body) > 0 {
		p.Data = body
	}
	return nil
}

// Parse decodes b into a new Packet.
func Parse(b []byte) (*Packet, error) {
	p := new(Packet)
	err := p.DecodeFromBytes(b)
	return p, err
}

// HeaderLen is the size of the header Marshal writes before Data.
func (p *Packet) HeaderLen() int {
	switch p.Code {
	case CodeSuccess, CodeFailure:
		return headerLen
	}
	if p.Type == TypeExpanded && (p.Code == CodeRequest || p.Code == CodeResponse) {
		return expandedHeaderLen
	}
	return typeHeaderLen
}

// AppendMarshal appends the encoded packet to dst. Length is computed from
// the fields (p.Length is ignored). It fails if the packet would exceed
// 65535 bytes or VendorID does not fit 24 bits.
func (p *Packet) AppendMarshal(dst []byte) ([]byte, error) {
	n := p.HeaderLen() + len(p.Data)
	if n > maxPacketLen {
		return dst, dissect.Errorf(dissect.CapExceeded, layer, -1, "packet of %d bytes exceeds 65535", n)
	}
	if p.VendorID > maxVendorID {
		return dst, dissect.Errorf(dissect.Malformed, layer, -1, "vendor id %d exceeds 24 bits", p.VendorID)
	}
	dst = append(dst, byte(p.Code), p.Identifier, byte(n>>8), byte(n))
	switch p.HeaderLen() {
	case typeHeaderLen:
		dst = append(dst, byte(p.Type))
	case expandedHeaderLen:
		dst = append(dst, byte(p.Type), byte(p.VendorID>>16), byte(p.VendorID>>8), byte(p.VendorID),
			byte(p.VendorType>>24), byte(p.VendorType>>16), byte(p.VendorType>>8), byte(p.VendorType))
	}
	return append(dst, p.Data...), nil
}

// Marshal encodes the packet; nil if it cannot be encoded (see AppendMarshal).
func (p *Packet) Marshal() []byte {
	b, err := p.AppendMarshal(make([]byte, 0, p.HeaderLen()+len(p.Data)))
	if err != nil {
		return nil
	}
	return b
}

// IsExpandedNak reports whether p is an Expanded Nak (type 254, vendor 0, type 3).
func (p *Packet) IsExpandedNak() bool {
	return p.Type == TypeExpanded && p.VendorID == VendorIETF && p.VendorType == ExpandedTypeNak
}

// MethodName names what the packet carries the way the report does: "PEAP",
// "EAP-FAST", "EAP-TLS", "EAP-TTLS", "TEAP", "EAP-MSCHAPv2", "EAP-MD5",
// "EAP-GTC", "Identity", "Nak", "Expanded(vendor=9,type=3)"; "" for Success
// and Failure.
func (p *Packet) MethodName() string {
	switch p.Code {
	case CodeRequest, CodeResponse:
	default:
		return ""
	}
	switch p.Type {
	case TypeNak:
		return "Nak"
	case TypeMD5:
		return "EAP-MD5"
	case TypeGTC:
		return "EAP-GTC"
	case TypeOTP:
		return "EAP-OTP"
	case TypeLEAP:
		return "LEAP"
	case TypePWD:
		return "EAP-pwd"
	case TypeExpanded:
		if p.IsExpandedNak() {
			return "Nak"
		}
		return ExpandedType{Vendor: p.VendorID, Type: p.VendorType}.String()
	}
	return p.Type.String()
}

// ExpandedType names a method by vendor (24 bits) and vendor type.
type ExpandedType struct {
	Vendor, Type uint32
}

func (e ExpandedType) String() string {
	return "Expanded(vendor=" + strconv.FormatUint(uint64(e.Vendor), 10) + ",type=" + strconv.FormatUint(uint64(e.Type), 10) + ")"
}
