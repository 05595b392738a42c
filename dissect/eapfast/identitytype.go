package eapfast

import "strconv"

// Identity names whose credentials an EAP chaining step authenticates.
type Identity uint16

// Identity-Type values (RFC 7170 section 4.2.3, IANA "TEAP Identity-Type
// TLV (value 2) Registry"); see TypeIdentityType for why these apply.
const (
	IdentityUser    Identity = 1
	IdentityMachine Identity = 2
)

func (i Identity) String() string {
	switch i {
	case IdentityUser:
		return "User"
	case IdentityMachine:
		return "Machine"
	}
	return "Identity-" + strconv.Itoa(int(i))
}

// IdentityType is the Identity-Type TLV of EAP chaining: in a request the
// identity the server wants authenticated next, in a response the one the
// peer offers (which may differ: a peer without user credentials answers
// Machine).
type IdentityType struct {
	Mandatory bool
	Identity  Identity
}

// TLVType returns TypeIdentityType.
func (IdentityType) TLVType() TLVType { return TypeIdentityType }

// Marshal encodes the TLV.
func (t IdentityType) Marshal() []byte {
	return marshalTLV(t.Mandatory, TypeIdentityType, []byte{byte(t.Identity >> 8), byte(t.Identity)})
}

// Unmarshal decodes one whole Identity-Type TLV.
func (t *IdentityType) Unmarshal(b []byte) error {
	tlv, err := valueOf(b, TypeIdentityType)
	if err != nil {
		return err
	}
	t.Mandatory = tlv.Mandatory
	return t.decode(tlv.Value)
}

func (t *IdentityType) decode(v []byte) error {
	if len(v) != 2 {
		return lengthError(TypeIdentityType, len(v), "2")
	}
	t.Identity = Identity(uint16(v[0])<<8 | uint16(v[1]))
	return nil
}
