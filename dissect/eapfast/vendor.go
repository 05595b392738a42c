package eapfast

import "golang.org/x/crypto/cryptobyte"

// VendorSpecific is the Vendor-Specific TLV (type 7, RFC 4851 section
// 4.2.5). The vendor's TLVs are kept as bytes: their format is the
// vendor's.
type VendorSpecific struct {
	Mandatory bool
	VendorID  uint32 // SMI network management private enterprise code
	Data      []byte // the Vendor TLVs
}

// TLVType returns TypeVendorSpecific.
func (VendorSpecific) TLVType() TLVType { return TypeVendorSpecific }

// Marshal encodes the TLV; nil if Data is too long for one TLV.
func (v VendorSpecific) Marshal() []byte {
	b := append([]byte{byte(v.VendorID >> 24), byte(v.VendorID >> 16), byte(v.VendorID >> 8), byte(v.VendorID)}, v.Data...)
	return marshalTLV(v.Mandatory, TypeVendorSpecific, b)
}

// Unmarshal decodes one whole Vendor-Specific TLV.
func (v *VendorSpecific) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypeVendorSpecific)
	if err != nil {
		return err
	}
	v.Mandatory = t.Mandatory
	return v.decode(t.Value)
}

func (v *VendorSpecific) decode(b []byte) error {
	s := cryptobyte.String(b)
	v.Data = nil
	if !s.ReadUint32(&v.VendorID) {
		return lengthError(TypeVendorSpecific, len(b), "at least 4")
	}
	if len(s) > 0 {
		v.Data = s
	}
	return nil
}
