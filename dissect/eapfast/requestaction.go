package eapfast

import "strconv"

// Action is the action a Request-Action TLV asks for.
type Action uint16

// Actions (IANA "EAP-FAST Request-Action TLV Action Codes").
const (
	ActionProcessTLV   Action = 1
	ActionNegotiateEAP Action = 2
)

func (a Action) String() string {
	switch a {
	case ActionProcessTLV:
		return "Process-TLV"
	case ActionNegotiateEAP:
		return "Negotiate-EAP"
	}
	return "Action-" + strconv.Itoa(int(a))
}

// RequestAction is the Request-Action TLV (type 19, RFC 4851 section
// 4.2.9). A peer sends it with Process-TLV in front of a PAC TLV that
// requests a PAC (RFC 5422 section 3.4). RFC 4851 makes it mandatory;
// hostapd sends it optional, hence the field.
type RequestAction struct {
	Mandatory bool
	Action    Action
}

// TLVType returns TypeRequestAction.
func (RequestAction) TLVType() TLVType { return TypeRequestAction }

// Marshal encodes the TLV.
func (r RequestAction) Marshal() []byte {
	return marshalTLV(r.Mandatory, TypeRequestAction, []byte{byte(r.Action >> 8), byte(r.Action)})
}

// Unmarshal decodes one whole Request-Action TLV.
func (r *RequestAction) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypeRequestAction)
	if err != nil {
		return err
	}
	r.Mandatory = t.Mandatory
	return r.decode(t.Value)
}

func (r *RequestAction) decode(v []byte) error {
	if len(v) != 2 {
		return lengthError(TypeRequestAction, len(v), "2")
	}
	r.Action = Action(uint16(v[0])<<8 | uint16(v[1]))
	return nil
}
