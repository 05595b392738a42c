// Package tlsengine is the reference implementation's TLS 1.2 engine,
// client and server, for playing the scenarios of the sample captures:
// full handshakes with TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
// TLS_RSA_WITH_AES_128_CBC_SHA, TLS_DHE_RSA_WITH_AES_128_CBC_SHA and
// TLS_DH_anon_WITH_AES_128_CBC_SHA; abbreviated handshakes by session ID
// (a per-node SessionCache with a lifetime), by RFC 5077 ticket (a
// TicketKey servers may share) and by EAP-FAST PAC (RFC 4851); client
// certificates; extended master secret (RFC 7627); secure renegotiation
// (RFC 5746) inside an established connection; alerts; NSS key log data.
//
// It is sans-I/O: a Conn consumes record bytes (Feed) and returns the
// records to send, so the same engine runs inside EAP messages and over a
// TCP stream. Every handshake message is built and parsed with the types
// of package dissect/tls. All randomness comes from Config.Rand and every
// construction is deterministic, so fixed seeds give identical bytes.
// Each Conn records what it did in each handshake (HandshakeRecord): that
// is the truth the expected reports of the samples are written from.
//
// It is not a general TLS library: TLS 1.2 only, RSA certificates only,
// P-256 only, no certificate revocation, no constant-time guarantees, and
// its randomness is only as secret as its seed. Never use it to protect
// anything.
package tlsengine
