// Command tlsfarm builds the lab's "TLS servers behind a round-robin load
// balancer" (scenarios T1-T3 of SCENARIOS.md) out of the standard library:
//
//	tlsfarm proxy  -listen ADDR -backend ADDR -backend ADDR ...
//	tlsfarm server -listen ADDR -cert FILE -key FILE [-ticket-key FILE] -name NAME
//
// "proxy" hands each new TCP connection to the next backend in turn and
// copies bytes both ways without looking at them. "server" is a TLS 1.2 server
// on Go's crypto/tls that issues session tickets sealed with the key in
// -ticket-key (so several servers can share it, RFC 5077) and logs for every
// connection whether the handshake resumed a session, as the server itself
// saw it.
//
// It is for producing lab captures (samples/lab/tls.sh). It is not a load
// balancer or web server for any other use: no health checks, no timeouts
// beyond the lab's, one short answer per connection.
package main
