package eapfast

import (
	"encoding/json"
	"testing"

	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// The key_block lengths OpenSSL reports ("OpenSSL: keyblock size:
// mac_key_len=20 enc_key_len=16 fixed_iv_len=16" in hostapd's log for
// AES128-SHA; 0, 16, 4 for AES128-GCM-SHA256).
func TestKeyBlockUsed(t *testing.T) {
	for suite, want := range map[uint16]int{
		tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 2 * (0 + 16 + 4),
		tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA:          2 * (20 + 16 + 16),
		tlsengine.TLS_DHE_RSA_WITH_AES_128_CBC_SHA:      2 * (20 + 16 + 16),
		tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA:      2 * (20 + 16 + 16),
		0x003d: 2 * (32 + 32 + 16), // TLS_RSA_WITH_AES_256_CBC_SHA256
	} {
		if got, ok := keyBlockUsed(suite); !ok || got != want {
			t.Errorf("suite %#04x: %d %v, want %d", suite, got, ok, want)
		}
	}
	for _, suite := range []uint16{0x0005 /* RC4 */, 0xcca8 /* ChaCha20 */, 0xfafa} {
		if _, ok := keyBlockUsed(suite); ok {
			t.Errorf("suite %#04x accepted", suite)
		}
	}
}

func TestTruthJSON(t *testing.T) {
	b, err := json.Marshal(Truth{Tunnel: "pac", PACInClientHello: "machine", PACsProvisioned: []string{"machine-authorization"},
		Chaining: ChainingUserFailed, Cryptobinding: "verified", Steps: []Step{{Code: StepMachinePAC}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"provisioning":null,"tunnel":"pac","pac_in_client_hello":"machine","pacs_presented":[],` +
		`"pacs_provisioned":["machine-authorization"],"chaining":"user-failed-machine-succeeded","cryptobinding":"verified"}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	if StepText(StepCryptobindingOK) != "EAP-FAST cryptobinding verification passed" || StepText(1) != "" {
		t.Fatal("step texts")
	}
}
