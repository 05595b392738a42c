// Package eap decodes and builds EAP packets (RFC 3748) and the method data
// support engineers need to read an authentication: Identity, Notification,
// legacy and expanded Nak, MD5-Challenge, GTC, EAP-MSCHAPv2, EAP-SIM/AKA/AKA',
// EAP-pwd, Cisco LEAP, and the TLS-based methods (EAP-TLS, EAP-TTLS, PEAP,
// EAP-FAST, TEAP) whose TLS records travel fragmented across EAP rounds.
//
// It is for: one EAP packet in (already joined from RADIUS EAP-Message
// attributes, or taken from an EAPOL frame or an IKEv2 EAP payload), typed
// fields out; the same types build packets for the reference implementation
// (every message type has a Marshal beside its parser); and the Reassembler
// that joins the TLS fragments of one direction of one conversation.
//
// It is not for: deciding which packets belong to which conversation,
// decrypting tunnels, parsing the TLS records it reassembles (package tls),
// nor RADIUS or EAPOL framing. It does no I/O, keeps no globals that change,
// and never panics on hostile bytes: every decoder returns what it could
// decode plus a *dissect.Error for the rest.
//
// Fields that carry secrets (GTC responses, MSCHAPv2 NT-Response, MD5
// values) are decoded like any other field; redacting them is the job of
// whoever prints them.
package eap
