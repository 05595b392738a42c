package eapauth

import "github.com/sessionscope/sscope/dissect/eap"

// Verdict is where a method, or a whole conversation, stands.
type Verdict uint8

const (
	// Continue: more rounds to come.
	Continue Verdict = iota
	// Succeeded: the method authenticated the other side.
	Succeeded
	// Failed: it did not; the conversation ends in EAP-Failure.
	Failed
)

func (v Verdict) String() string {
	switch v {
	case Continue:
		return "continue"
	case Succeeded:
		return "succeeded"
	case Failed:
		return "failed"
	}
	return "verdict?"
}

// ServerMethod is one EAP method on the authenticator's side, for one
// conversation. The Authenticator frames its type data in EAP packets,
// numbers them and ends the conversation with EAP-Success or EAP-Failure
// when the method gives its verdict.
type ServerMethod interface {
	// Type is the EAP type of the method's packets.
	Type() eap.Type
	// Start returns the type data of the method's first request, whose
	// EAP Identifier is id.
	Start(id uint8) ([]byte, error)
	// Handle consumes the peer's response (a packet of the method's
	// type) and returns the type data of the next request (Identifier
	// id) with Continue, or no data with Succeeded or Failed.
	Handle(resp *eap.Packet, id uint8) ([]byte, Verdict, error)
	// MSK returns the Master Session Key once the method succeeded, nil
	// if it derives none.
	MSK() []byte
}

// PeerMethod is one EAP method on the peer's side, for one conversation.
type PeerMethod interface {
	// Type is the EAP type of the method's packets.
	Type() eap.Type
	// Handle consumes a request of the method and returns the type data
	// of the response.
	Handle(req *eap.Packet) ([]byte, error)
	// Verdict is the method's own conclusion so far: Succeeded once it
	// has authenticated the server (or at least has nothing left to
	// check) and derived its keys, Failed when it gave up.
	Verdict() Verdict
	// MSK returns the Master Session Key once derived, nil otherwise.
	MSK() []byte
}

// ServerMethodFactory makes the server side of a method for one
// conversation.
type ServerMethodFactory func(ctx *ServerContext) (ServerMethod, error)

// PeerMethodFactory makes the peer side of a method for one conversation.
type PeerMethodFactory func(ctx *PeerContext) (PeerMethod, error)

// ServerContext is what a server method knows of its conversation.
type ServerContext struct {
	// Server is the node: its configuration, policy and session cache.
	Server *Server
	// Identity is the identity of the conversation's Identity round.
	Identity string
	// Outcome is the conversation's truth; methods add what they did.
	Outcome *Outcome
}

// PeerContext is what a peer method knows of its conversation.
type PeerContext struct {
	// Peer is the supplicant: configuration, TLS sessions kept.
	Peer *Peer
	// Credentials are the identity and secrets of this conversation.
	Credentials Credentials
	// Outcome is the conversation's truth; methods add what they did.
	Outcome *Outcome
}

// methodName names a method type the way reports do ("PEAP", "EAP-TLS",
// "EAP-MSCHAPv2", ...).
func methodName(t eap.Type) string {
	return (&eap.Packet{Code: eap.CodeRequest, Type: t}).MethodName()
}
