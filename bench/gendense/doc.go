// Command gendense writes a RADIUS/EAP-dense classic pcap (Ethernet,
// microsecond timestamps) of a requested size for benchmarking sscope: the
// RADIUS conversations of template captures (-template) copied over and
// over, many open at once (-concurrent), each copy with its own NAS
// address and port, Calling-Station-Id, identifiers and State, with the
// template's relative timing and timestamps that advance like a busy
// RADIUS server's.
//
// Output is deterministic for a given seed, templates and flags. It copies
// what the templates hold and invents nothing: it is not a RADIUS
// simulator, and without -secret the authenticators of rewritten packets
// no longer verify.
package main
