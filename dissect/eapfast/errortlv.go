package eapfast

import "strconv"

// ErrorCode is the code of an Error TLV.
type ErrorCode uint32

// Error codes (IANA "EAP-FAST Error-TLV Error-Codes", RFC 4851 section
// 4.2.6).
const (
	ErrorTunnelCompromise        ErrorCode = 2001
	ErrorUnexpectedTLVsExchanged ErrorCode = 2002
)

func (c ErrorCode) String() string {
	switch c {
	case ErrorTunnelCompromise:
		return "Tunnel_Compromise_Error"
	case ErrorUnexpectedTLVsExchanged:
		return "Unexpected_TLVs_Exchanged"
	}
	return "Error-" + strconv.FormatUint(uint64(c), 10)
}

// Error is the Error TLV (type 5, RFC 4851 section 4.2.6), always
// mandatory.
type Error struct {
	Code ErrorCode
}

// TLVType returns TypeError.
func (Error) TLVType() TLVType { return TypeError }

// Marshal encodes the TLV with the M bit set.
func (e Error) Marshal() []byte {
	return marshalTLV(true, TypeError, []byte{byte(e.Code >> 24), byte(e.Code >> 16), byte(e.Code >> 8), byte(e.Code)})
}

// Unmarshal decodes one whole Error TLV.
func (e *Error) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypeError)
	if err != nil {
		return err
	}
	return e.decode(t.Value)
}

func (e *Error) decode(v []byte) error {
	if len(v) != 4 {
		return lengthError(TypeError, len(v), "4")
	}
	e.Code = ErrorCode(uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3]))
	return nil
}
