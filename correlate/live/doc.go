// Package live captures packets from a network interface for the analyzer:
// an AF_PACKET ring (TPACKET_V3, pure Go) bound to one interface, a
// capture filter in tcpdump syntax compiled to classic BPF and attached in
// the kernel, a bounded queue between the ring and the analysis that
// counts what it had to drop, and a pcapng writer that rotates by size or
// time.
//
// Packets come out as source.Packet values numbered from 1, exactly as a
// capture file's would, so the same correlate.Analyzer reads both: a live
// capture is a source that ends when it is stopped.
//
// It is not an analyzer (it never looks past the capture filter), not a
// general tcpdump replacement (the filter language is the common subset
// listed in CompileFilter), and not portable beyond Linux.
package live
