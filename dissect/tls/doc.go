// Package tls decodes and encodes the cleartext part of TLS and DTLS: record
// framing, handshake message reassembly, every handshake message of SSL 3.0
// to TLS 1.3 and DTLS 0.9 to DTLS 1.3 (ClientHello with its extensions,
// ServerHello, Certificate, key exchanges, tickets, Finished, ...), alerts,
// the SSLv2 hello messages, the IANA name registries (cipher suites, named
// groups, signature schemes, extensions, alerts) and tolerant X.509
// certificate summaries.
//
// Every message type has Unmarshal (parse a handshake body) and Marshal (build
// one) in the same place, so the analyzer and the reference implementation of
// the protocols share one set of types. Parsing reads untrusted bytes through
// golang.org/x/crypto/cryptobyte, never panics, keeps the raw bytes beside the
// parsed fields, and returns what it could decode plus a *dissect.Error for
// the rest. Buffers that grow (handshake reassembly) are capped.
//
// It also holds the cryptography both share: the TLS 1.0 to 1.2 key
// schedule (PRFs, master and extended master secret, key block, Finished),
// the TLS 1.3 HKDF schedule and traffic keys, RSA premaster transport, and
// the record protection of one direction (RecordCipher: AES-CBC, 3DES-CBC,
// RC4, NULL with HMAC, AES-GCM, ChaCha20-Poly1305, TLS 1.3 AEAD).
//
// It is not a TLS implementation: it runs no handshake, finds no keys,
// keeps no connection state beyond one direction's handshake reassembly or
// record cipher, and does not reassemble TCP or join EAP fragments (callers
// hand it ordered bytes). Deciding whether a handshake was full or
// abbreviated across both directions is the job of package correlate, and
// so is deciding which keys decrypt which records.
package tls
