// Package eapol decodes and builds IEEE 802.1X EAPOL frames (the body of an
// Ethernet frame of EtherType 0x888E): EAP-Packet, Start, Logoff, Key and
// the rest by name, and EAPOL-Key descriptors far enough to name the
// 802.11 4-way and group-key handshake messages.
//
// It is for: bytes after the Ethernet (or VLAN) header in, typed frame out,
// and the reverse for the reference implementation. The EAP packet inside an
// EAP-Packet frame is handed to package eap.
//
// It is not for: Ethernet framing, MKA (802.1X-2010 MACsec Key Agreement)
// parameter sets, verifying key MICs or decrypting key data. It does no I/O,
// keeps no globals that change, and never panics on hostile bytes.
package eapol
