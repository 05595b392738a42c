package eapfast

import (
	"github.com/sessionscope/sscope/dissect/tls"
)

// KeyBlockPrefixLen is how many key_block octets come before EAP-FAST's
// session_key_seed (RFC 4851 section 5.1): both MAC keys, both encryption
// keys and both IVs. For CBC suites the IVs are counted as the block size
// although TLS 1.1 and later take no IV from the key_block: RFC 4851 lays
// the key_block out as TLS 1.0 did, and OpenSSL (hence hostapd and
// wpa_supplicant, openssl_get_keyblock_size) counts them. ok is false for
// a suite dissect/tls does not know.
func KeyBlockPrefixLen(suite uint16, v tls.Version) (n int, ok bool) {
	spec, err := tls.NewCipherSpec(suite, v)
	if err != nil {
		return 0, false
	}
	iv := spec.FixedIVLen
	if spec.Mode == tls.ModeCBC {
		iv = spec.BlockSize
	}
	return 2 * (spec.MACLen + spec.KeyLen + iv), true
}

// TunnelKeyMaterial returns the n octets of the tunnel's key_block that
// follow the TLS keys: session_key_seed (SessionKeySeedLen), and in an
// anonymous provisioning tunnel the MSCHAPv2 challenges after it
// (ProvisioningKeyBlockLen, see ParseProvisioningKeys). The key_block is
// PRF(master_secret, "key expansion", server_random || client_random).
func TunnelKeyMaterial(masterSecret []byte, suite uint16, v tls.Version, clientRandom, serverRandom [32]byte, n int) ([]byte, bool) {
	used, ok := KeyBlockPrefixLen(suite, v)
	if !ok {
		return nil, false
	}
	ks, err := tls.NewKeySchedule(v, suite)
	if err != nil {
		return nil, false
	}
	kb := ks.KeyBlock(masterSecret, clientRandom, serverRandom, used+n)
	if len(kb) != used+n {
		return nil, false
	}
	return kb[used:], true
}
