// Package eapfast decodes and encodes what EAP-FAST (RFC 4851) and its
// provisioning profile (RFC 5422) carry inside the TLS tunnel: the TLVs
// of phase 2 (Result, NAK, Error, Vendor-Specific, EAP-Payload,
// Intermediate-Result, PAC, Crypto-Binding, Server-Trusted-Root,
// Request-Action, PKCS#7, and the Identity-Type TLV of EAP chaining), the
// PAC attributes, the key derivations that tie them to the tunnel (T-PRF,
// the master secret of a PAC-based tunnel, the S-IMCK chain, the Compound
// MAC, MSK and EMSK), and wpa_supplicant's PAC file, from which a user's
// PAC-Keys let the analyzer decrypt PAC-based tunnels.
//
// Parse splits a decrypted phase-2 payload into TLVs, Decode interprets
// one, and every typed TLV has Marshal and Unmarshal over the whole TLV,
// so the analyzer and the reference implementation share one definition.
// Numbers come from the IANA EAP-FAST registries except where a type's
// documentation says otherwise (TypeIdentityType, and the Machine
// Authorization and TrustSec PAC types, which have no public number).
//
// It is pure: bytes in, typed values out, no I/O. It does not run the
// method or decrypt the tunnel; the analyzer (correlate) and the reference
// implementation (samples) do. The EAP-FAST Start packet and its
// Authority-ID are decoded by dissect/eap.
package eapfast
