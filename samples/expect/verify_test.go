package expect

import (
	"strings"
	"testing"
)

const samplesDir = "../scenarios"

func samplePaths(t *testing.T) []string {
	t.Helper()
	paths, err := Find(samplesDir, nil)
	if err != nil {
		t.Skipf("no samples: %v", err)
	}
	return paths
}

// TestSamplesWithKeys: analyzed with the keys each sample comes with (its
// Decryption Secrets Block, key log and PAC file), every verdict of every
// sample passes, tunnel verdicts included.
func TestSamplesWithKeys(t *testing.T) {
	for _, p := range samplePaths(t) {
		r := Verify(p)
		if r.Err != nil {
			t.Errorf("%s: %v", p, r.Err)
			continue
		}
		for _, c := range r.Checks {
			if c.Status != Pass {
				t.Errorf("%s %s %s: want %s, got %s (%s)", r.Scenario, c.Item, c.Field, c.Want, c.Got, c.Status)
			}
		}
	}
}

// TestSamplesWithoutKeys: analyzed with no key at all, nothing is wrong:
// each verdict is right, or excused because it needs the tunnel the report
// says was not decrypted. The tunnel verdicts of the EAP samples must be
// among the excused (the analyzer must not claim what it cannot see).
func TestSamplesWithoutKeys(t *testing.T) {
	excused := map[string]int{}
	for _, p := range samplePaths(t) {
		r := VerifyWith(p, Options{NoKeys: true})
		if r.Err != nil {
			t.Errorf("%s: %v", p, r.Err)
			continue
		}
		for _, c := range r.Checks {
			switch c.Status {
			case Fail:
				t.Errorf("%s %s %s: want %s, got %s", r.Scenario, c.Item, c.Field, c.Want, c.Got)
			case NotSupported:
				excused[r.Scenario]++
				if !strings.Contains(c.Reason, "needs") {
					t.Errorf("%s %s: excused without a reason: %q", r.Scenario, c.Field, c.Reason)
				}
			}
		}
	}
	for _, id := range []string{"P1", "F1", "F3", "F7"} {
		if excused[id] == 0 {
			t.Errorf("%s: no verdict needed keys; was the tunnel decrypted without them?", id)
		}
	}
}

// TestNotSupportedOnlyWithoutDecryption: an excusable field is excused only
// while the report says the tunnel was not decrypted.
func TestNotSupportedOnlyWithoutDecryption(t *testing.T) {
	if _, ok := notSupported("eap.fast.chaining", false); !ok {
		t.Error("chaining not excused without decryption")
	}
	if _, ok := notSupported("eap.fast.chaining", true); ok {
		t.Error("chaining excused although decrypted")
	}
	if _, ok := notSupported("eap.method", false); ok {
		t.Error("a field visible without keys is excused")
	}
}
