package radiusnode

import (
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
)

// EAPServer is the EAP authenticator behind a RADIUS server (package
// eapauth implements it).
type EAPServer interface {
	// ServeEAP processes one EAP packet of the peer, joined from the
	// request's EAP-Message attributes. state is the request's State
	// attribute: nil starts a new conversation, anything else names one
	// the EAPServer returned earlier.
	ServeEAP(state, eapMessage []byte) EAPAnswer
}

// EAPAnswer is an EAPServer's decision on one EAP packet.
type EAPAnswer struct {
	// EAP is the packet to send: an EAP-Request goes in an
	// Access-Challenge, EAP-Success in an Access-Accept, EAP-Failure in an
	// Access-Reject. Nil discards the request silently.
	EAP []byte
	// State names the conversation in the Access-Challenge (RFC 3579
	// section 2.1); unused otherwise.
	State []byte
	// MSK is the method's Master Session Key on success (RFC 5247); the
	// Access-Accept carries it as MS-MPPE-Recv-Key (first 32 octets) and
	// MS-MPPE-Send-Key (next 32).
	MSK []byte
}

// EAPHandler is the Handler of a RADIUS server doing EAP (RFC 3579).
type EAPHandler struct {
	EAP EAPServer
	// SessionTimeout, when positive, is sent in Access-Accept (whole
	// seconds).
	SessionTimeout time.Duration
}

// ServeRADIUS passes the request's EAP packet and State to the EAPServer
// and wraps its answer. A request without EAP-Message is rejected.
func (h *EAPHandler) ServeRADIUS(req *Request) *Response {
	msg, ok := req.Packet.EAPMessage()
	if !ok {
		return &Response{Code: radius.CodeAccessReject}
	}
	state, _ := req.Packet.State()
	ans := h.EAP.ServeEAP(state, msg)
	if len(ans.EAP) < 4 {
		return nil
	}
	var resp Response
	switch eap.Code(ans.EAP[0]) {
	case eap.CodeRequest:
		resp.Code = radius.CodeAccessChallenge
	case eap.CodeSuccess:
		resp.Code = radius.CodeAccessAccept
	case eap.CodeFailure:
		resp.Code = radius.CodeAccessReject
	default:
		return nil
	}
	resp.Attributes = radius.EAPMessageAttributes(ans.EAP)
	switch resp.Code {
	case radius.CodeAccessChallenge:
		if len(ans.State) > 0 {
			resp.Attributes = append(resp.Attributes, radius.BytesAttribute(radius.AttrState, ans.State))
		}
	case radius.CodeAccessAccept:
		if h.SessionTimeout > 0 {
			resp.Attributes = append(resp.Attributes, radius.Uint32Attribute(radius.AttrSessionTimeout, uint32(h.SessionTimeout/time.Second)))
		}
		resp.MPPERecvKey, resp.MPPESendKey = SplitMSK(ans.MSK)
	}
	return &resp
}

// SplitMSK returns the MS-MPPE-Recv-Key and MS-MPPE-Send-Key values for a
// Master Session Key: its first and second 32 octets (RFC 5216 section
// 2.3 and the RADIUS usage of RFC 3579); a shorter MSK (EAP-MSCHAPv2's 32
// octets) is split in halves. An empty MSK gives no keys.
func SplitMSK(msk []byte) (recv, send []byte) {
	if len(msk) < 2 {
		return nil, nil
	}
	half := 32
	if len(msk) < 64 {
		half = len(msk) / 2
	}
	return msk[:half:half], msk[half : 2*half : 2*half]
}
