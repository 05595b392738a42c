// Package capture writes the reference implementation's traffic as a pcapng
// file that Wireshark, tshark, gopacket's pcapgo and the analyzer read.
//
// The endpoints hand it UDP datagrams and TCP byte streams; it builds the
// Ethernet/IPv4/UDP/TCP frames (through dissect/packet, with correct
// checksums), fragments IPv4 datagrams larger than the MTU, runs the TCP
// bookkeeping (handshake, segmentation at the MSS, sequence and
// acknowledgment numbers, pure ACKs, FIN exchange), stamps every frame from a
// deterministic Clock, and at Close writes the section header, one Ethernet
// interface with nanosecond timestamps, an optional Decryption Secrets Block
// (an NSS key log, see KeyLog) and one Enhanced Packet Block per frame. The
// same calls give a byte-identical file. Flights connects endpoints that
// write to an io.Writer to a TCP connection, one segment train per flight.
//
// It is not a network stack: there is no loss, retransmission, congestion
// window or reordering unless a caller writes them, and the file is not
// written until Close. It does not read captures.
package capture
