package interop

import (
	"os"
	"testing"
)

// The readers of the peers' output must not panic on any text (a peer of
// another version, a truncated log).
func FuzzParsePeerOutput(f *testing.F) {
	for _, p := range []string{"../../lab/captures/P2.client.log", "../../lab/captures/P2.server.log",
		"testdata/eapol_test-fast-provisioning.log", "testdata/eapol_test-fast-pac.log", "testdata/hostapd-fast.log"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("MPPE keys OK: 99999999999999999999  mismatch: -1\nEAP-FAST: Wrote 99999999999999999999999 PAC entries\n")
	f.Fuzz(func(t *testing.T, out string) {
		ParseEapolTest(out)
		ParseFreeRADIUSLog(out)
		ParseHostapdLog(out)
	})
}
