// Package source reads captured packets from pcap and pcapng files (also
// gzip-compressed, also from standard input) through gopacket's pcapgo and
// hands them on one at a time with their frame number, time and link type.
// From pcapng files it also keeps the Decryption Secrets Blocks (TLS key
// logs and the like) that pcapgo skips, wherever they stand in the file.
//
// It tells a clean end of file from damage: an empty file, a file that is
// not a capture, and a file cut in the middle of a record each give an
// *InputError that names the file, the reason and where reading stopped, after
// every packet before the damage has been delivered. It does not decode
// packets (that is dissect/packet's job) nor parse secrets (correlate/keys
// reads key logs).
package source
