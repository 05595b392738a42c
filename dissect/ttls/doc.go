// Package ttls decodes what EAP-TTLS (RFC 5281) carries inside its TLS
// tunnel: Diameter-style AVPs (User-Name, User-Password, CHAP-Password,
// MS-CHAP-Response, MS-CHAP2-Response, EAP-Message, ...), from which the
// inner authentication method follows.
//
// It is pure: bytes in, typed values out. It does not decrypt the tunnel
// (correlate does) nor decode the inner EAP packets (dissect/eap does).
package ttls
