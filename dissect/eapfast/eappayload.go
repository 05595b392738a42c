package eapfast

import (
	"github.com/sessionscope/sscope/dissect"
)

// EAPPayload is the EAP-Payload TLV (type 9, RFC 4851 section 4.2.7): one
// whole inner EAP packet, header included, optionally followed by TLVs.
// It is always mandatory. Decode the packet with dissect/eap.
type EAPPayload struct {
	Packet []byte // the inner EAP packet, trimmed to its Length field
	TLVs   []TLV
}

// TLVType returns TypeEAPPayload.
func (EAPPayload) TLVType() TLVType { return TypeEAPPayload }

// Marshal encodes the TLV with the M bit set; nil if it is longer than
// 65535 octets.
func (p EAPPayload) Marshal() []byte {
	v, err := appendTLVs(append([]byte(nil), p.Packet...), p.TLVs)
	if err != nil {
		return nil
	}
	return marshalTLV(true, TypeEAPPayload, v)
}

// Unmarshal decodes one whole EAP-Payload TLV.
func (p *EAPPayload) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypeEAPPayload)
	if err != nil {
		return err
	}
	return p.decode(t.Value)
}

func (p *EAPPayload) decode(v []byte) error {
	*p = EAPPayload{}
	if len(v) < 4 {
		return lengthError(TypeEAPPayload, len(v), "at least an EAP header (4)")
	}
	n := int(v[2])<<8 | int(v[3])
	switch {
	case n < 4:
		return dissect.Errorf(dissect.Malformed, layer, headerLen+2, "inner EAP length %d below its header size", n)
	case n > len(v):
		p.Packet = v
		return dissect.Errorf(dissect.Truncated, layer, headerLen+2, "inner EAP length %d, the TLV holds %d", n, len(v))
	}
	p.Packet = v[:n:n]
	tlvs, err := Parse(v[n:])
	p.TLVs = tlvs
	return shiftError(err, headerLen+n)
}
