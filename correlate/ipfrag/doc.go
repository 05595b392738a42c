// Package ipfrag reassembles fragmented IPv4 and IPv6 datagrams from the
// fragments dissect/packet flags (Frame.Fragment), so that the UDP or TCP
// header and payload can be decoded as one (packet.DecodeTransport). RADIUS
// packets that carry certificate chains are routinely fragmented.
//
// Datagrams are keyed by IP version, source, destination, protocol and
// identification. Fragments may arrive in any order, duplicated or
// overlapping; the bytes that arrive first win, and disagreeing overlaps are
// counted. Time is capture time, never the wall clock. Every buffer is
// capped: partial datagrams in flight, bytes buffered, fragments per
// datagram, and the 65535-byte limit of a datagram.
//
// It is not a decoder (it never parses headers; dissect/packet did), it does
// not reassemble TCP streams, and a Reassembler is not safe for concurrent
// use: give each capture its own.
package ipfrag
