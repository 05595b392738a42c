package eap

import (
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// SIMAKA is the data of an EAP-SIM (RFC 4186), EAP-AKA (RFC 4187) or
// EAP-AKA' (RFC 9048) packet: a subtype and a list of attributes.
type SIMAKA struct {
	Method     Type // TypeSIM, TypeAKA or TypeAKAPrime
	Subtype    uint8
	Reserved   uint16
	Attributes []SIMAKAAttribute
}

// SIMAKAAttribute is one AT_* attribute. Value is everything after the
// type and length octets, padding included.
type SIMAKAAttribute struct {
	Type  uint8
	Value []byte
}

// EAP-SIM/AKA attribute types used by helpers here.
const (
	ATIdentity     uint8 = 14
	ATClientError  uint8 = 22
	ATNotification uint8 = 12
)

var simAKAAttributeNames = map[uint8]string{
	1: "AT_RAND", 2: "AT_AUTN", 3: "AT_RES", 4: "AT_AUTS", 6: "AT_PADDING", 7: "AT_NONCE_MT",
	10: "AT_PERMANENT_ID_REQ", 11: "AT_MAC", 12: "AT_NOTIFICATION", 13: "AT_ANY_ID_REQ",
	14: "AT_IDENTITY", 15: "AT_VERSION_LIST", 16: "AT_SELECTED_VERSION", 17: "AT_FULLAUTH_ID_REQ",
	19: "AT_COUNTER", 20: "AT_COUNTER_TOO_SMALL", 21: "AT_NONCE_S", 22: "AT_CLIENT_ERROR_CODE",
	23: "AT_KDF_INPUT", 24: "AT_KDF", 129: "AT_IV", 130: "AT_ENCR_DATA", 132: "AT_NEXT_PSEUDONYM",
	133: "AT_NEXT_REAUTH_ID", 134: "AT_CHECKCODE", 135: "AT_RESULT_IND", 136: "AT_BIDDING",
}

// Name gives the attribute's AT_* name, "AT_<n>" when unknown.
func (a SIMAKAAttribute) Name() string {
	if n, ok := simAKAAttributeNames[a.Type]; ok {
		return n
	}
	return "AT_" + strconv.Itoa(int(a.Type))
}

// SubtypeName names the subtype as Wireshark does.
func (m SIMAKA) SubtypeName() string {
	if m.Method == TypeSIM {
		switch m.Subtype {
		case 10:
			return "Start"
		case 11:
			return "Challenge"
		}
	} else {
		switch m.Subtype {
		case 1:
			return "AKA-Challenge"
		case 2:
			return "AKA-Authentication-Reject"
		case 4:
			return "AKA-Synchronization-Failure"
		case 5:
			return "AKA-Identity"
		}
	}
	switch m.Subtype {
	case 12:
		return "Notification"
	case 13:
		return "Re-authentication"
	case 14:
		return "Client-Error"
	}
	return "Subtype-" + strconv.Itoa(int(m.Subtype))
}

// Attribute returns the value of the first attribute of type t.
func (m SIMAKA) Attribute(t uint8) ([]byte, bool) {
	for _, a := range m.Attributes {
		if a.Type == t {
			return a.Value, true
		}
	}
	return nil, false
}

// Identity returns the identity in AT_IDENTITY (its actual-length prefix
// applied), or "".
func (m SIMAKA) Identity() string {
	v, ok := m.Attribute(ATIdentity)
	if !ok {
		return ""
	}
	s := cryptobyte.String(v)
	var n uint16
	var id []byte
	if !s.ReadUint16(&n) || !s.ReadBytes(&id, int(n)) {
		return ""
	}
	return string(id)
}

// ParseSIMAKA decodes EAP-SIM, EAP-AKA or EAP-AKA' type data.
func ParseSIMAKA(p *Packet) (SIMAKA, error) {
	m := SIMAKA{Method: p.Type}
	switch p.Type {
	case TypeSIM, TypeAKA, TypeAKAPrime:
	default:
		return m, dissect.Errorf(dissect.Unsupported, layer, typeHeaderLen-1, "%s is not EAP-SIM/AKA", p.Type)
	}
	base := p.HeaderLen()
	s := cryptobyte.String(p.Data)
	if !s.ReadUint8(&m.Subtype) || !s.ReadUint16(&m.Reserved) {
		return m, dissect.Errorf(dissect.Truncated, layer, base, "%s header needs 3 bytes, %d", p.Type, len(p.Data))
	}
	for !s.Empty() {
		off := base + len(p.Data) - len(s)
		var t, n uint8
		if !s.ReadUint8(&t) || !s.ReadUint8(&n) {
			return m, dissect.Errorf(dissect.Truncated, layer, off, "attribute header cut short")
		}
		if n == 0 {
			return m, dissect.Errorf(dissect.Malformed, layer, off+1, "attribute %d of length 0", t)
		}
		var v []byte
		if !s.ReadBytes(&v, int(n)*4-2) {
			return m, dissect.Errorf(dissect.Truncated, layer, off, "attribute %d of %d bytes, %d left", t, int(n)*4, len(s)+2)
		}
		m.Attributes = append(m.Attributes, SIMAKAAttribute{Type: t, Value: v})
	}
	return m, nil
}

// Marshal builds the type data. Attribute values are zero-padded so that
// each attribute is a multiple of 4 bytes (at most 1020).
func (m SIMAKA) Marshal() []byte {
	b := []byte{m.Subtype, byte(m.Reserved >> 8), byte(m.Reserved)}
	for _, a := range m.Attributes {
		v := a.Value
		if len(v) > 1018 {
			v = v[:1018]
		}
		n := (len(v) + 2 + 3) / 4
		b = append(b, a.Type, byte(n))
		b = appendFixed(b, v, n*4-2)
	}
	return b
}
