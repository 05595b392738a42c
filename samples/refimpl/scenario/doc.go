// Package scenario plays the P, T and F scenarios of the product's
// scenario list with the reference implementation's endpoints and writes
// each as a sample: a pcapng capture (with its TLS secrets in a Decryption
// Secrets Block), the same secrets as an NSS key log, the client's PAC
// file for EAP-FAST, and the expected verdicts, taken from what the
// endpoints themselves did.
//
// A scenario is a server policy plus a client state, not a script of
// bytes: the endpoints' state machines decide every message.
package scenario
