// Command readloop is the benchmark ceiling: it reads a pcap or pcapng file
// with gopacket's pcapgo (ZeroCopyReadPacketData behind a 1 MiB buffered
// reader), counts packets and bytes, and prints the throughput. Any
// analyzer that reads the same file through pcapgo can go no faster.
//
// It decodes nothing beyond the record headers and is not a validator.
package main
