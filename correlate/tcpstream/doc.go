// Package tcpstream turns the TCP segments of the connections the analyzer
// follows into ordered byte streams, one per direction, through gopacket's
// reassembly package: out-of-order segments are put in order,
// retransmissions and overlaps dropped, and bytes the capture lost are
// reported as gaps rather than silently joined. Every byte handed on keeps
// the frame it arrived in, so protocol messages can be attributed to frames.
//
// It decides nothing about protocols: which connections to follow, and what
// the bytes mean, are the caller's.
package tcpstream
