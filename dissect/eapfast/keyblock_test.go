package eapfast

import (
	"testing"

	"github.com/sessionscope/sscope/dissect/tls"
)

// The key_block lengths OpenSSL reports ("OpenSSL: keyblock size:
// mac_key_len=20 enc_key_len=16 fixed_iv_len=16" in hostapd's log for
// AES128-SHA; 0, 16, 4 for AES128-GCM-SHA256).
func TestKeyBlockPrefixLen(t *testing.T) {
	for suite, want := range map[uint16]int{
		0xc02f: 2 * (0 + 16 + 4),   // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
		0x002f: 2 * (20 + 16 + 16), // TLS_RSA_WITH_AES_128_CBC_SHA
		0x0033: 2 * (20 + 16 + 16), // TLS_DHE_RSA_WITH_AES_128_CBC_SHA
		0x0034: 2 * (20 + 16 + 16), // TLS_DH_anon_WITH_AES_128_CBC_SHA
		0x003d: 2 * (32 + 32 + 16), // TLS_RSA_WITH_AES_256_CBC_SHA256
	} {
		if got, ok := KeyBlockPrefixLen(suite, tls.VersionTLS12); !ok || got != want {
			t.Errorf("suite %#04x: %d %v, want %d", suite, got, ok, want)
		}
	}
	if _, ok := KeyBlockPrefixLen(0xfafa, tls.VersionTLS12); ok {
		t.Error("an unknown suite was accepted")
	}
}

// TestTunnelKeyMaterialFollowsKeyBlock: the session_key_seed is the 40
// octets after the 104 the CBC suite's keys and IVs take.
func TestTunnelKeyMaterialFollowsKeyBlock(t *testing.T) {
	var cr, sr [32]byte
	for i := range cr {
		cr[i], sr[i] = byte(i), byte(0x80+i)
	}
	ms := make([]byte, 48)
	for i := range ms {
		ms[i] = byte(3 * i)
	}
	ks, err := tls.NewKeySchedule(tls.VersionTLS12, 0x002f)
	if err != nil {
		t.Fatal(err)
	}
	kb := ks.KeyBlock(ms, cr, sr, 104+SessionKeySeedLen)
	got, ok := TunnelKeyMaterial(ms, 0x002f, tls.VersionTLS12, cr, sr, SessionKeySeedLen)
	if !ok || string(got) != string(kb[104:]) {
		t.Fatalf("seed %x, want the 40 octets after 104 of the key_block %x", got, kb[104:])
	}
}
