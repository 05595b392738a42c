// Package eapauth is the EAP side of the reference implementation: the
// EAP server of a RADIUS node and the supplicant, with PEAPv0 and
// EAP-TLS over the project's TLS engine and EAP-MSCHAPv2 (inner or
// outer). Each conversation records its truth in an Outcome, kept by both
// ends, from which the sample generator writes expected reports.
//
// It is not for: RADIUS framing (package radiusnode carries the packets;
// Server implements its EAPServer and PeerConversation its Supplicant),
// EAPOL, or real security (see package tlsengine).
//
// # Conversations
//
// Authenticator runs one conversation on the server side on whole EAP
// packets: Identity round (or the peer's Identity response first, when a
// NAS asked), the first method of the policy that a factory makes, a
// legacy Nak from the peer (switch to the first type it wants that policy
// allows), the method's rounds, then EAP-Success or EAP-Failure.
// PeerConversation is the peer's side: it answers Identity, runs the
// method proposed when it accepts it, and Naks with its own list
// otherwise. Neither knows what carries its packets, so tunnels run inner
// conversations with the same types: Server.NewInnerConversation and
// Peer.Conversation.
//
// Server is a node: policy (the vendor's switches: EnableSessionResume,
// SessionTimeout, EnableFastReconnect, AllowedMethods), certificate, TLS
// session cache, user database; it keys conversations by the RADIUS State
// it hands out. Peer is a supplicant: credentials, and the TLS session of
// each method kept between authentications, offered again when
// SessionResumption is on.
//
// # Methods
//
// A method plugs in with a factory (ServerConfig.Factories,
// PeerConfig.Factories) making, per conversation, a ServerMethod
//
//	Type() eap.Type
//	Start(id uint8) ([]byte, error)                           // first request's type data
//	Handle(resp *eap.Packet, id uint8) ([]byte, Verdict, error) // next request, or Succeeded/Failed
//	MSK() []byte
//
// or a PeerMethod
//
//	Type() eap.Type
//	Handle(req *eap.Packet) ([]byte, error) // response's type data
//	Verdict() Verdict
//	MSK() []byte
//
// The framework frames, numbers and ends; methods see only type data and
// their context (ServerContext, PeerContext), where they record what they
// did in the Outcome. NewMSCHAPv2Server and NewMSCHAPv2Peer are exported
// so a tunnel can give them challenges derived from its keys.
//
// # TLS-based methods
//
// TLSServer and TLSPeer are the framing all TLS-based methods share,
// parameterised by EAP type and version: Start (S flag, optional payload
// such as EAP-FAST's Authority-ID TLV), version bits, fragments of at
// most MaxFragment octets of TLS data with L and M, reassembly of the
// other side's fragments (lengths checked, capped), acknowledgements,
// alerts and the acknowledgement of alerts (RFC 5216 section 2.1). Each is
// itself a ServerMethod or PeerMethod; the method on top implements two
// hooks:
//
//	TunnelEstablished(l) (TLSStep, error)         // the first handshake is done
//	ApplicationData(l, data []byte) (TLSStep, error) // decrypted data (server: also empty acknowledgements)
//
// and answers with a TLSStep: plaintext to send in the tunnel, raw
// records (a renegotiation's HelloRequest), or a final verdict. Embedding
// the layer lets the method override MSK (EAP-FAST derives it from its
// crypto-binding chain; EAP-TLS and PEAP use the layer's RFC 5216 key).
//
// EAP-TLS (eaptls.go) requests a client certificate in full handshakes
// and answers an empty one with a fatal handshake_failure alert. PEAPv0
// (peap.go) runs the inner conversation with compressed headers and ends
// with the Result TLV in an Extensions packet (type 33); with fast
// reconnect on and a resumed session the server sends the Result TLV at
// once, and a peer with fast reconnect off refuses that.
package eapauth
