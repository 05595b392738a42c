// Package tlsconn builds the tls session of one TCP connection that
// carries TLS: it receives the connection's segments and ordered bytes from
// package tcpstream, follows the records with package handshake, and when
// the connection ends hands on a report session with its handshakes,
// timeline and the connection's application-data totals.
package tlsconn
