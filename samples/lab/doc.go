// Package lab holds captures of real, independent peers (FreeRADIUS with
// eapol_test for PEAP; OpenSSL and Go's crypto/tls behind a round-robin TCP
// proxy for TLS resumption; hostapd with eapol_test for EAP-FAST PAC
// provisioning and a PAC-based tunnel, with the PAC file and key log the
// peers wrote) with the ground truth those peers reported, for scenarios P,
// T and F of SCENARIOS.md. The scripts beside this file (make.sh, peap.sh,
// tls.sh, fast.sh, truth.py, truth_fast.py) regenerate them; the
// test in this package checks every truth file against the bytes of its
// capture.
//
// It is not a decoder and has no code the analyzer imports; it is not the
// project's reference implementation (samples/ has that), whose captures
// come from our own code rather than from other implementations.
package lab
