// Package correlate is the analysis pipeline: it takes captured packets from
// package source, decodes them (dissect/packet), reassembles IP fragments
// (correlate/ipfrag) and TCP streams (correlate/tcpstream), follows RADIUS
// and EAP conversations (correlate/radiusconv) and TLS connections
// (correlate/tlsconn, correlate/handshake), and builds the report of
// correlate/report: sessions per client with their timelines. The TLS
// tunnels of EAP methods are decrypted with the key material of Options
// (key logs, RSA keys, PAC files) and the inputs' pcapng Decryption
// Secrets Blocks (correlate/keys, correlate/tlsdecrypt).
//
// Data flows one way, once: a packet that cannot matter is dropped right
// after its transport header, and memory grows with the sessions in
// progress, not with the capture. Findings are not made here: a Judge
// (package rules) is handed every session as it closes.
package correlate
