package eapfast

import "github.com/sessionscope/sscope/dissect"

// Value is a decoded phase-2 TLV: one of *Result, *IntermediateResult,
// *NAK, *Error, *VendorSpecific, *EAPPayload, *PAC, *CryptoBinding,
// *RequestAction, *IdentityType, *ServerTrustedRoot, *PKCS7.
type Value interface {
	TLVType() TLVType
	// Marshal encodes the whole TLV, header included.
	Marshal() []byte
}

// Decode interprets a TLV returned by Parse. For a type this package does
// not know it returns nil and an Unsupported *dissect.Error (the caller
// decides: an unknown mandatory TLV deserves a NAK, an optional one is
// ignored). On a malformed value it returns what could be decoded and a
// *dissect.Error whose offset is relative to the TLV's first byte.
func Decode(t TLV) (Value, error) {
	var (
		v   Value
		err error
	)
	switch t.Type {
	case TypeResult:
		x := new(Result)
		v, err = x, x.decode(t.Value)
	case TypeIntermediateResult:
		x := new(IntermediateResult)
		v, err = x, x.decode(t.Value)
	case TypeNAK:
		x := new(NAK)
		v, err = x, x.decode(t.Value)
	case TypeError:
		x := new(Error)
		v, err = x, x.decode(t.Value)
	case TypeVendorSpecific:
		x := new(VendorSpecific)
		err = x.decode(t.Value)
		x.Mandatory = t.Mandatory
		v = x
	case TypeEAPPayload:
		x := new(EAPPayload)
		v, err = x, x.decode(t.Value)
	case TypePAC:
		x := new(PAC)
		err = x.decode(t.Value)
		x.Mandatory = t.Mandatory
		v = x
	case TypeCryptoBinding:
		x := new(CryptoBinding)
		v, err = x, x.decode(t.Value)
	case TypeRequestAction:
		x := new(RequestAction)
		err = x.decode(t.Value)
		x.Mandatory = t.Mandatory
		v = x
	case TypeIdentityType:
		x := new(IdentityType)
		err = x.decode(t.Value)
		x.Mandatory = t.Mandatory
		v = x
	case TypeServerTrustedRoot:
		x := new(ServerTrustedRoot)
		err = x.decode(t.Value)
		x.Mandatory = t.Mandatory
		v = x
	case TypePKCS7:
		x := new(PKCS7)
		err = x.decode(t.Value)
		x.Mandatory = t.Mandatory
		v = x
	default:
		return nil, dissect.Errorf(dissect.Unsupported, layer, 0, "%s TLV", t.Type)
	}
	return v, err
}

// ParseValues parses a whole phase-2 payload and decodes every TLV:
// values[i] is tlvs[i] decoded, nil for a type this package does not know.
// The error is the first one met: a malformed value, an unknown mandatory
// TLV, or a payload that ends inside a TLV. Unknown optional TLVs are not
// errors, as RFC 4851 section 4.2 requires of a receiver.
func ParseValues(b []byte) ([]TLV, []Value, error) {
	tlvs, perr := Parse(b)
	var first error
	values := make([]Value, 0, len(tlvs))
	off := 0
	for _, t := range tlvs {
		v, err := Decode(t)
		if err != nil && first == nil && (dissect.KindOf(err) != dissect.Unsupported || t.Mandatory) {
			first = shiftError(err, off)
		}
		values = append(values, v)
		off += len(t.Raw)
	}
	if first == nil {
		first = perr
	}
	return tlvs, values, first
}
