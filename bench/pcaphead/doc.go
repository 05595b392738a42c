// Command pcaphead copies the first records of a classic pcap file, up to a
// byte budget, into a new file: the file header and whole records only, so
// the prefix is a valid capture. The benchmark script uses it to run slow
// tools on a prefix of a multi-gigabyte capture.
//
// It reads classic pcap only (any byte order, micro- or nanosecond
// timestamps) and is not a pcap repair tool: it stops at the first record
// it cannot trust.
package main
