// Package radiusconv turns RADIUS packets into sessions. It matches
// requests with responses (client, server, identifier, authenticator),
// counts retransmissions and response times, and ties the rounds of one
// EAP authentication together — from the first Access-Request to the final
// Accept or Reject — by State, EAP identifiers and endpoints. The TLS data
// of TLS-based EAP methods is joined from its fragments and judged by
// package handshake. RADIUS exchanges without EAP (PAP, CHAP, MAB,
// accounting, CoA, Disconnect, Status-Server) become radius sessions.
//
// With key material (Decryption: key logs, RSA keys, EAP-FAST PACs) the
// TLS tunnel of PEAP, EAP-FAST, EAP-TTLS and EAP-TLS is decrypted by
// package tlsdecrypt, record by record, and its phase 2 followed: the
// inner EAP conversations (identities, methods, MSCHAPv2 steps and
// errors), PEAP's Result TLV and fast reconnect, EAP-TTLS's AVPs, and
// EAP-FAST's TLVs (EAP chaining, PACs presented, requested and
// provisioned, cryptobinding checked against the tunnel's keys or judged
// by the server's reaction), with the steps the vendor's server logs. Each
// handshake says what became of the records its keys protect. Without
// keys, what the wire shows is reported and the rest is unknown.
//
// It builds report sessions and hands them on as they close; it does not
// judge them (package rules does) nor print them.
package radiusconv
