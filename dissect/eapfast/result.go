package eapfast

import (
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// Status is the status of a Result or Intermediate-Result TLV, and the
// result of a PAC-Acknowledgement.
type Status uint16

// Status values (RFC 4851 sections 4.2.2 and 4.2.4).
const (
	StatusSuccess Status = 1
	StatusFailure Status = 2
)

func (s Status) String() string {
	switch s {
	case StatusSuccess:
		return "Success"
	case StatusFailure:
		return "Failure"
	}
	return "Status-" + strconv.Itoa(int(s))
}

// Result is the Result TLV (type 3, RFC 4851 section 4.2.2): the final
// outcome of phase 2, always mandatory.
type Result struct {
	Status Status
}

// TLVType returns TypeResult.
func (Result) TLVType() TLVType { return TypeResult }

// Marshal encodes the TLV with the M bit set.
func (r Result) Marshal() []byte {
	return marshalTLV(true, TypeResult, []byte{byte(r.Status >> 8), byte(r.Status)})
}

// Unmarshal decodes one whole Result TLV.
func (r *Result) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypeResult)
	if err != nil {
		return err
	}
	return r.decode(t.Value)
}

func (r *Result) decode(v []byte) error {
	if len(v) != 2 {
		return lengthError(TypeResult, len(v), "2")
	}
	r.Status = Status(uint16(v[0])<<8 | uint16(v[1]))
	return nil
}

// IntermediateResult is the Intermediate-Result TLV (type 10, RFC 4851
// section 4.2.4): the outcome of one inner method, always mandatory. In
// EAP chaining the server sends one after each inner method, together
// with a Crypto-Binding TLV.
type IntermediateResult struct {
	Status Status
	// TLVs are the optional TLVs carried after the status.
	TLVs []TLV
}

// TLVType returns TypeIntermediateResult.
func (IntermediateResult) TLVType() TLVType { return TypeIntermediateResult }

// Marshal encodes the TLV with the M bit set; nil if the TLVs make it
// longer than 65535 octets.
func (r IntermediateResult) Marshal() []byte {
	v, err := appendTLVs([]byte{byte(r.Status >> 8), byte(r.Status)}, r.TLVs)
	if err != nil {
		return nil
	}
	return marshalTLV(true, TypeIntermediateResult, v)
}

// Unmarshal decodes one whole Intermediate-Result TLV.
func (r *IntermediateResult) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypeIntermediateResult)
	if err != nil {
		return err
	}
	return r.decode(t.Value)
}

func (r *IntermediateResult) decode(v []byte) error {
	*r = IntermediateResult{}
	s := cryptobyte.String(v)
	var st uint16
	if !s.ReadUint16(&st) {
		return lengthError(TypeIntermediateResult, len(v), "at least 2")
	}
	r.Status = Status(st)
	tlvs, err := Parse(s)
	r.TLVs = tlvs
	return shiftError(err, headerLen+2)
}

// shiftError moves the offset of a *dissect.Error by n (the position of
// the parsed bytes inside the enclosing TLV).
func shiftError(err error, n int) error {
	if e, ok := err.(*dissect.Error); ok && e.Offset >= 0 {
		e.Offset += n
	}
	return err
}
