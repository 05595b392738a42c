package eap

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// MD5Challenge is the data of an MD5-Challenge Request or Response
// (RFC 3748 §5.4): Value-Size, Value (the challenge, or the MD5 response —
// a secret-derived value), then an optional Name.
type MD5Challenge struct {
	Value []byte
	Name  string
}

// ParseMD5 decodes MD5-Challenge type data.
func ParseMD5(data []byte) (MD5Challenge, error) {
	var m MD5Challenge
	s := cryptobyte.String(data)
	var v cryptobyte.String
	if !s.ReadUint8LengthPrefixed(&v) {
		if len(data) > 0 {
			m.Value = data[1:]
		}
		return m, dissect.Errorf(dissect.Truncated, layer, 0, "MD5 value size %d, %d bytes", firstByte(data), len(data)-1)
	}
	m.Value = v
	m.Name = string(s)
	if len(v) == 0 {
		return m, dissect.Errorf(dissect.Malformed, layer, 0, "MD5 value size 0")
	}
	return m, nil
}

// Marshal builds MD5-Challenge type data (Value is cut to 255 bytes).
func (m MD5Challenge) Marshal() []byte {
	v := m.Value
	if len(v) > 255 {
		v = v[:255]
	}
	b := make([]byte, 0, 1+len(v)+len(m.Name))
	b = append(b, byte(len(v)))
	b = append(b, v...)
	return append(b, m.Name...)
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}
