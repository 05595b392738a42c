// Package tlsdecrypt decrypts the records of one TLS or DTLS connection
// (or of the TLS tunnel of one EAP conversation) with keys the user gave:
// NSS key log secrets, RSA private keys, the master secret of a session
// seen earlier in the capture, or a master secret the caller derives
// itself (EAP-FAST PAC-Key, AnyConnect X-DTLS-Master-Secret).
//
// A caller makes one Decrypter per connection (New), sharing one Keys
// store and one SessionCache across the analysis, and hands it every
// record of the connection, both directions, in the order they were sent
// (Record): plaintext handshake records, ChangeCipherSpec, protected
// records alike. For TCP those are the records of each direction's byte
// stream; for EAP the records of the TLS data joined from EAP-TLS
// fragments; for DTLS the records of each datagram. It reads the
// handshake itself (ClientHello, ServerHello, ClientKeyExchange,
// NewSessionTicket, Finished, KeyUpdate), because renegotiations and TLS
// 1.3 show theirs only once decrypted, and returns each record's
// plaintext: application data, alerts, and the handshake messages of
// encrypted handshakes (content type handshake), or a typed *Error saying
// why a protected record was not decrypted (no key for that client
// random, MAC check failed, unsupported suite, handshake not captured).
// Gap tells it about lost bytes; SSLv2ClientHello about an SSL 2.0
// hello, which no record carries.
//
// TLS 1.0 to 1.3, DTLS 1.0 and 1.2 and Cisco's DTLS 0.9 are decrypted;
// SSL 3.0, DTLS 1.3, TLS 1.3 drafts and compressed records are reported
// as unsupported, and so are suites dissect/tls has no cipher for. A
// DTLS renegotiation is not followed.
//
// It is not an analyzer of handshakes (correlate/handshake judges them)
// and holds no keys of its own (correlate/keys does); the record framing
// and cryptography are dissect/tls's.
package tlsdecrypt
