package eapfast

import (
	"golang.org/x/crypto/cryptobyte"
)

// NAK is the NAK TLV (type 4, RFC 4851 section 4.2.3): the receiver does
// not support a mandatory TLV. It is always mandatory.
type NAK struct {
	VendorID uint32  // 0 for IETF TLVs
	NAKType  TLVType // the type that was not understood
	// TLVs are optional TLVs that the sender proposes instead.
	TLVs []TLV
}

// TLVType returns TypeNAK.
func (NAK) TLVType() TLVType { return TypeNAK }

// Marshal encodes the TLV with the M bit set; nil if the TLVs make it
// longer than 65535 octets.
func (n NAK) Marshal() []byte {
	v := []byte{byte(n.VendorID >> 24), byte(n.VendorID >> 16), byte(n.VendorID >> 8), byte(n.VendorID),
		byte(n.NAKType >> 8), byte(n.NAKType)}
	v, err := appendTLVs(v, n.TLVs)
	if err != nil {
		return nil
	}
	return marshalTLV(true, TypeNAK, v)
}

// Unmarshal decodes one whole NAK TLV.
func (n *NAK) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypeNAK)
	if err != nil {
		return err
	}
	return n.decode(t.Value)
}

func (n *NAK) decode(v []byte) error {
	*n = NAK{}
	s := cryptobyte.String(v)
	var typ uint16
	if !s.ReadUint32(&n.VendorID) || !s.ReadUint16(&typ) {
		return lengthError(TypeNAK, len(v), "at least 6")
	}
	n.NAKType = TLVType(typ)
	tlvs, err := Parse(s)
	n.TLVs = tlvs
	return shiftError(err, headerLen+6)
}
