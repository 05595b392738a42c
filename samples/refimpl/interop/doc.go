// Package interop proves that the reference implementation under
// samples/refimpl speaks the real protocols, by running it against
// independent peers on 127.0.0.1:
//
//   - its RADIUS/EAP server authenticates wpa_supplicant's eapol_test
//     (PEAP/EAP-MSCHAPv2 with and without TLS session resumption, EAP-TLS,
//     EAP-FAST anonymous provisioning followed by a PAC-based tunnel);
//   - its supplicant and NAS authenticate against FreeRADIUS 3 (PEAP,
//     EAP-TLS) and against hostapd's integrated EAP server in RADIUS-server
//     mode (EAP-FAST).
//
// Each side is judged by the peer's own verdict, read from its debug output
// (for example "OpenSSL: Handshake finished - resumed=1", "MPPE keys OK",
// "Valid Crypto-Binding TLV received"), and by the truth our endpoint
// recorded; never by the analyzer.
//
// The package holds only what those tests need: configuration templates for
// FreeRADIUS, hostapd and eapol_test, a launcher for daemons run as child
// processes, and readers of the peers' output. It is not a capture generator
// and nothing outside the tests should import it. The tests skip when a
// peer's binary is missing; PACKAGES names the Debian packages that provide
// them.
package interop
