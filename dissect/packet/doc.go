// Package packet decodes captured frames from the link layer down to UDP and
// TCP: Ethernet II (802.3/LLC frames are recognised and skipped), 802.1Q and
// QinQ tags, Linux cooked captures (SLL and SLL2), BSD and OpenBSD loopback,
// raw IPv4/IPv6, IPv4 options, IPv6 extension headers, IP fragments (flagged,
// not reassembled), and the encapsulations a span port delivers: GRE
// (RFC 2784/2890) carrying Ethernet or IP, ERSPAN types I, II and III,
// VXLAN, and IP-in-IP.
//
// It is the analyzer's fast path: every packet of a capture goes through
// Decoder.Decode before anything decides whether the packet can matter, so
// Decode reads the raw bytes by hand with explicit bounds checks, fills a
// caller-owned Frame that is reused for every packet, and allocates nothing
// for well-formed frames. Slices in the Frame alias the input.
//
// Marshal builds a frame from a Frame (for the reference implementation and
// tests); Decode of its output gives the Frame back.
//
// It is not a general protocol dissector: it does not reassemble IP
// fragments (package correlate/ipfrag does), does not follow TCP streams,
// does not verify checksums, and decodes nothing above the UDP/TCP header.
package packet
