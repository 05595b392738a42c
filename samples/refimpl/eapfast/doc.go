// Package eapfast is the reference implementation of EAP-FAST (RFC 4851)
// with dynamic PAC provisioning (RFC 5422) and EAP chaining, server and
// peer, on top of the TLS-based method layer of package eapauth. It plays
// the F scenarios of SCENARIOS.md: PAC-based tunnels from Tunnel and
// Machine PACs, anonymous and authenticated provisioning, PAC-less
// certificate tunnels with renegotiation, inner EAP-MSCHAPv2 and EAP-TLS
// carried in EAP-Payload TLVs, Intermediate-Result and Crypto-Binding
// after each inner method, authorization PACs presented inside the
// tunnel, and the provisioning of Tunnel, Machine, User Authorization and
// Machine Authorization PACs.
//
// Register Server.Factory and Peer.Factory as the EAP type 43 method of
// an eapauth.Server and an eapauth.Peer. Each conversation records its
// truth (Truth, the REPORT.md eap.fast fields plus the server's numbered
// steps) in the eapauth.Outcome's Extra field.
//
// How the phase 2 conversation goes (the server leads):
//
//   - chaining: [Identity-Type User, EAP-Payload Identity request]; the
//     peer answers with the identity type it can do, its identity, and
//     the authorization PACs it holds (PAC TLVs with the PAC-Opaque);
//   - an inner method runs in EAP-Payload TLVs; its end is an
//     Intermediate-Result TLV with a Crypto-Binding TLV (the next
//     Identity-Type request rides along); the peer's Crypto-Binding
//     answer carries its PAC requests (Request-Action + PAC TLV with a
//     PAC-Type), the first time;
//   - the last exchange is a Result TLV, with the approved PACs (the peer
//     acknowledges each), or with a Crypto-Binding TLV when no inner
//     method ran (inner methods skipped on PACs) or when it is the only
//     exchange, as hostapd does;
//   - anonymous provisioning, and authenticated provisioning without
//     AcceptClientOnAuthenticatedProvisioning, end in EAP-Failure after
//     the PACs were delivered, forcing a new authentication with them.
//
// It is not a decoder (dissect/eapfast is, and this package builds every
// TLV with it) and it knows nothing of RADIUS or captures.
package eapfast
