// Package fastpac holds the PACs (Protected Access Credentials) of the
// reference EAP-FAST endpoints: on the server, the sealing of PAC-Opaques
// under the server's master keys and the issuing of PACs; on the peer, a
// PAC store that reads and writes wpa_supplicant's PAC file, so that a
// sample's PACs can be handed to wpa_supplicant, to Wireshark-like tools
// and to the analyzer.
//
// The PAC-Opaque format is this implementation's own (RFC 5422 leaves it
// to the server): AES-256-GCM over the PAC-Key, identity, type and expiry,
// with the authority's A-ID as associated data. Every random byte comes
// from the caller's io.Reader, so a fixed seed gives fixed bytes.
//
// It is not a decoder (dissect/eapfast decodes PAC TLVs and reads PAC
// files) and it does not run EAP-FAST (package eapfast of the reference
// implementation does).
package fastpac
