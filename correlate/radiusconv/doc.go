// Package radiusconv turns RADIUS packets into sessions. It matches
// requests with responses (client, server, identifier, authenticator),
// counts retransmissions and response times, and ties the rounds of one
// EAP authentication together — from the first Access-Request to the final
// Accept or Reject — by State, EAP identifiers and endpoints. The TLS data
// of TLS-based EAP methods is joined from its fragments and judged by
// package handshake. RADIUS exchanges without EAP (PAP, CHAP, MAB,
// accounting, CoA, Disconnect, Status-Server) become radius sessions.
//
// It builds report sessions and hands them on as they close; it does not
// judge them (package rules does) nor print them.
package radiusconv
