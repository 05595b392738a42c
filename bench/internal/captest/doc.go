// Package captest holds test helpers shared by the benchmark generators'
// tests: reading a capture back with gopacket, verifying checksums with
// gopacket's independent code, and running the tshark oracle.
//
// It is imported by _test.go files only and is not part of any program.
package captest
