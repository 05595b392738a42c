// Package handshake follows TLS and DTLS connections record by record and
// judges each handshake: full, abbreviated, failed or incomplete; what the
// client offered for resumption; whether a real resumption attempt was
// refused; client certificate, anonymous suite, renegotiation, alerts.
//
// The same Observer serves TLS over TCP (bytes from the TCP reassembler),
// TLS inside EAP (bytes joined from EAP fragments) and DTLS over UDP
// (datagrams), so a handshake is judged the same way wherever it ran. It
// does not decrypt anything itself: a caller with keys hands it the
// plaintext of the protected records it opened (Decrypted), so that a
// renegotiation inside an established tunnel is read and judged like a
// handshake in clear. It does not know about sessions or reports beyond
// producing report.TLSHandshake values and timeline events.
package handshake
