// Package radiusnode is the RADIUS side of the reference implementation:
// a RADIUS server that answers Access-Requests for an EAP server, and the
// NAS (switch or wireless controller) that relays a supplicant's EAP
// packets to it in Access-Requests. Both build and read every packet with
// package dissect/radius, so the samples and the analyzer share one
// encoding.
//
// Server side: Server.Handle takes one datagram and returns the answer. It
// verifies the Message-Authenticator (required on EAP requests, RFC 3579
// section 3.2), answers a retransmitted request from its duplicate cache
// (RFC 5080 section 2.2.2), and signs each answer (Message-Authenticator,
// then Response Authenticator). What to answer is a Handler's business;
// EAPHandler is the Handler that turns an EAPServer's decisions into
// Access-Challenge (EAP-Message split at 253 octets, State), Access-Accept
// (EAP-Success, MS-MPPE-Recv-Key and MS-MPPE-Send-Key from the method's
// MSK, optional Session-Timeout) or Access-Reject (EAP-Failure).
// ListenUDP serves real peers such as eapol_test.
//
// NAS side: NAS.Authenticate runs one authentication of a Supplicant
// (the EAP peer), over a Transport: MemoryTransport hands the datagrams
// to an in-process Server and reports each one to a recorder (the sample
// generator writes them into a capture), UDPTransport talks to a real
// server with retransmissions.
//
// It is not for: accounting, CoA, proxying, RADIUS over TCP or TLS, or
// deciding anything about EAP (package eapauth does that).
package radiusnode
