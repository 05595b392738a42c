package eapfast

import (
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

const layer = "eap-fast"

// TLV header bits (RFC 4851 section 4.2): M, R, then a 14-bit type.
const (
	mandatoryBit = 0x8000
	reservedBit  = 0x4000
	typeMask     = 0x3fff
	headerLen    = 4
	maxValueLen  = 0xffff
)

// TLVType is the 14-bit type of a phase-2 TLV.
type TLVType uint16

// Phase-2 TLV types. The numbers are those of the IANA registry "EAP-FAST
// TLV Types" (RFC 4851, RFC 5422), except TypeIdentityType.
const (
	// TypeIdentityType is the Identity-Type TLV of EAP chaining, with
	// which the server asks for (and the peer names) the identity it
	// authenticates next: User or Machine. EAP-FAST version 1 registers
	// no such TLV; Cisco's chaining comes from EAP-FAST version 2
	// (draft-zhou-emu-eap-fastv2, which became TEAP), and the number and
	// layout here are TEAP's (RFC 7170 section 4.2.3, IANA "TEAP TLV
	// Types" value 2). Value 2 is Reserved and unused in the EAP-FAST
	// registry, so it cannot be mistaken for another EAP-FAST TLV. No
	// public source gives a different number for EAP-FAST chaining.
	TypeIdentityType       TLVType = 2
	TypeResult             TLVType = 3
	TypeNAK                TLVType = 4
	TypeError              TLVType = 5
	TypeVendorSpecific     TLVType = 7
	TypeEAPPayload         TLVType = 9
	TypeIntermediateResult TLVType = 10
	TypePAC                TLVType = 11
	TypeCryptoBinding      TLVType = 12
	TypeServerTrustedRoot  TLVType = 18
	TypeRequestAction      TLVType = 19
	TypePKCS7              TLVType = 20
)

// StartAuthorityIDType is the type of the Authority-ID TLV that the
// EAP-FAST Start packet carries outside the tunnel (RFC 4851 section
// 4.1.1). It lives in a different space from the phase-2 TLVs, where 4 is
// the NAK TLV; dissect/eap decodes it (eap.TLSFragment.AuthorityID).
const StartAuthorityIDType = 4

var tlvTypeNames = map[TLVType]string{
	TypeIdentityType:       "Identity-Type",
	TypeResult:             "Result",
	TypeNAK:                "NAK",
	TypeError:              "Error",
	TypeVendorSpecific:     "Vendor-Specific",
	TypeEAPPayload:         "EAP-Payload",
	TypeIntermediateResult: "Intermediate-Result",
	TypePAC:                "PAC",
	TypeCryptoBinding:      "Crypto-Binding",
	TypeServerTrustedRoot:  "Server-Trusted-Root",
	TypeRequestAction:      "Request-Action",
	TypePKCS7:              "PKCS#7",
}

// String names the type as the RFCs do, e.g. "Crypto-Binding", or
// "TLV-21" for a type this package does not know.
func (t TLVType) String() string {
	if n, ok := tlvTypeNames[t]; ok {
		return n
	}
	return "TLV-" + strconv.Itoa(int(t))
}

// TLV is one phase-2 TLV as it appeared on the wire.
type TLV struct {
	Mandatory bool // M bit: the receiver must understand the type
	Reserved  bool // R bit as received; it should be 0
	Type      TLVType
	// Value is the TLV's value (Length octets after the header).
	Value []byte
	// Raw is the whole TLV, header included, as parsed (nil for a TLV
	// built in memory). The Compound MAC is computed over these bytes.
	Raw []byte
}

// AppendMarshal appends the encoded TLV to dst. It fails if the value is
// longer than 65535 octets or the type does not fit 14 bits.
func (t TLV) AppendMarshal(dst []byte) ([]byte, error) {
	if len(t.Value) > maxValueLen {
		return dst, dissect.Errorf(dissect.CapExceeded, layer, -1, "%s TLV value of %d bytes exceeds 65535", t.Type, len(t.Value))
	}
	if t.Type > typeMask {
		return dst, dissect.Errorf(dissect.Malformed, layer, -1, "TLV type %d exceeds 14 bits", uint16(t.Type))
	}
	h := uint16(t.Type)
	if t.Mandatory {
		h |= mandatoryBit
	}
	if t.Reserved {
		h |= reservedBit
	}
	dst = append(dst, byte(h>>8), byte(h), byte(len(t.Value)>>8), byte(len(t.Value)))
	return append(dst, t.Value...), nil
}

// Marshal encodes the TLV; nil if it cannot be encoded (see AppendMarshal).
func (t TLV) Marshal() []byte {
	b, err := t.AppendMarshal(make([]byte, 0, headerLen+len(t.Value)))
	if err != nil {
		return nil
	}
	return b
}

// Parse splits a phase-2 payload (the decrypted application data of one
// EAP-FAST message) into TLVs. It returns every TLV it could read and, if
// the bytes end inside a header or inside a value, a *dissect.Error for
// the rest. Value and Raw alias b.
func Parse(b []byte) ([]TLV, error) {
	var out []TLV
	s := cryptobyte.String(b)
	for !s.Empty() {
		off := len(b) - len(s)
		var h uint16
		var v cryptobyte.String
		if !s.ReadUint16(&h) {
			return out, dissect.Errorf(dissect.Truncated, layer, off, "%d bytes left, a TLV header needs 4", len(b)-off)
		}
		if !s.ReadUint16LengthPrefixed(&v) {
			return out, dissect.Errorf(dissect.Truncated, layer, off, "%s TLV runs past the %d bytes of the payload", TLVType(h&typeMask), len(b))
		}
		end := len(b) - len(s)
		out = append(out, TLV{
			Mandatory: h&mandatoryBit != 0,
			Reserved:  h&reservedBit != 0,
			Type:      TLVType(h & typeMask),
			Value:     v,
			Raw:       b[off:end:end],
		})
	}
	return out, nil
}

// appendTLVs appends the encoding of each TLV; it fails on the first that
// cannot be encoded.
func appendTLVs(dst []byte, tlvs []TLV) ([]byte, error) {
	var err error
	for _, t := range tlvs {
		if dst, err = t.AppendMarshal(dst); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// marshalTLV builds the TLV of a typed value; nil when the value is too
// long for one TLV.
func marshalTLV(mandatory bool, t TLVType, value []byte) []byte {
	return TLV{Mandatory: mandatory, Type: t, Value: value}.Marshal()
}

// valueOf checks that b is one whole TLV of type want and returns it.
func valueOf(b []byte, want TLVType) (TLV, error) {
	tlvs, err := Parse(b)
	if err != nil {
		return TLV{}, err
	}
	if len(tlvs) != 1 {
		return TLV{}, dissect.Errorf(dissect.Malformed, layer, 0, "%d TLVs where one %s TLV was expected", len(tlvs), want)
	}
	if tlvs[0].Type != want {
		return tlvs[0], dissect.Errorf(dissect.Malformed, layer, 0, "%s TLV where %s was expected", tlvs[0].Type, want)
	}
	return tlvs[0], nil
}

// lengthError reports a value whose length the TLV's definition fixes.
func lengthError(t TLVType, got int, want string) error {
	return dissect.Errorf(dissect.Malformed, layer, 2, "%s TLV of length %d, want %s", t, got, want)
}
