package radiusnode

import "github.com/sessionscope/sscope/dissect/radius"

// Handler decides the answer to one Access-Request. The Server has already
// checked the request's Message-Authenticator and that it is not a
// retransmission.
type Handler interface {
	// ServeRADIUS returns the answer, or nil to discard the request
	// silently.
	ServeRADIUS(req *Request) *Response
}

// HandlerFunc adapts a function to a Handler.
type HandlerFunc func(req *Request) *Response

// ServeRADIUS calls f(req).
func (f HandlerFunc) ServeRADIUS(req *Request) *Response { return f(req) }

// Request is an Access-Request as the Server received it.
type Request struct {
	// Source names the sender (its UDP address), the key of the duplicate
	// cache.
	Source string
	// Packet is the decoded request; its values alias the datagram.
	Packet *radius.Packet
}

// Response is what a Handler answers. The Server fills the identifier,
// echoes Proxy-State, hides the MPPE keys with the shared secret, appends
// the Message-Authenticator and computes the Response Authenticator.
type Response struct {
	// Code is Access-Accept, Access-Reject or Access-Challenge.
	Code radius.Code
	// Attributes in the order they are sent (EAP-Message included, split
	// already: see radius.EAPMessageAttributes).
	Attributes []radius.Attribute
	// MPPERecvKey and MPPESendKey, when set, are sent as the Microsoft
	// MS-MPPE-Recv-Key and MS-MPPE-Send-Key attributes (RFC 2548), hidden
	// with the Request Authenticator of the request answered.
	MPPERecvKey, MPPESendKey []byte
}
