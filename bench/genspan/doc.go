// Command genspan writes a span-port-like classic pcap (Ethernet,
// microsecond timestamps) of a requested size for benchmarking sscope:
// mostly irrelevant traffic (many concurrent TCP flows with handshakes and
// teardowns, HTTP-like and bulk transfers, DNS, syslog, RTP, QUIC, ARP,
// ICMP, some frames 802.1Q/QinQ-tagged or mirrored inside ERSPAN type II,
// TCP port 443 flows that carry no TLS handshake, and synthetic but
// well-formed TLS 1.2/1.3 handshakes), and every so often a copy of the
// real conversations of a template capture (-template), rewritten so every
// copy is a distinct conversation with the template's relative timing.
//
// Output is deterministic for a given seed, templates and flags. It is a
// benchmark input generator, not a traffic simulator: payloads are random
// bytes, TLS handshakes are well-formed but not cryptographically valid, and
// TCP never loses or reorders a segment.
package main
