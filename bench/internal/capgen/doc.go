// Package capgen holds the building blocks of the synthetic benchmark
// captures: a fast classic-pcap writer, Internet checksums, link-layer
// encapsulations (plain Ethernet, 802.1Q, QinQ, ERSPAN type II), loading of
// template captures and the per-copy rewriting that turns one template
// conversation into many distinct ones (addresses, ports, RADIUS
// identifiers and client-identifying attributes).
//
// It is for the benchmark generators under bench/ only. It is not a decoder:
// the analyzer never imports it, and it trusts nothing it reads from a
// template beyond what it checks itself (frames it cannot rewrite safely are
// dropped and counted).
package capgen
