// Package radius decodes and builds RADIUS packets (RFC 2865, RFC 2866,
// RFC 5176 and the attribute RFCs that extend them).
//
// It is for: turning the bytes of one RADIUS datagram into a Packet whose
// attributes alias the input; naming codes, attributes, vendors and
// enumerated values as the FreeRADIUS dictionaries spell them; formatting
// attribute values for reports with secrets redacted; and building packets
// with the same types, including the User-Password, MPPE-key and
// Tunnel-Password hiding, the Response and Accounting-Request
// Authenticators and the Message-Authenticator (RFC 3579, RFC 5176), so the
// reference implementation and the analyzer share one encoding.
//
// It is not for: sending or receiving packets, matching requests with
// responses, tracking retransmissions or sessions (package correlate does
// that), or decoding the EAP packets carried in EAP-Message attributes
// (package dissect/eap does that). Decoding is pure: no I/O, no clocks, no
// state between calls.
package radius
