// Package keys holds the key material a user gives the analyzer to decrypt
// TLS: NSS key logs (the SSLKEYLOGFILE format of browsers, OpenSSL, Go's
// crypto/tls and the reference implementation), the key logs of pcapng
// Decryption Secrets Blocks, and RSA private keys of servers that use RSA
// key exchange. A Store merges every source and answers by client random
// (and, for RSA, by encrypted premaster secret).
//
// Input is untrusted: every line is read with a length cap, each malformed
// line is reported with its source and line number and skipped, and the
// number of sessions kept is capped.
//
// It is not a decrypter (package correlate/tlsdecrypt is) and it does not
// read captures (package correlate/source hands it the Decryption Secrets
// Blocks it finds).
package keys
