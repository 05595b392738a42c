package scenario

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sessionscope/sscope/samples/expect"
)

// committed is where the samples live in the repository.
const committed = "../../scenarios"

// TestGenerateReproducesCommittedSamples plays every scenario again and
// compares each file with the committed one byte for byte: the samples
// are the reference implementation's output, not hand-edited files.
func TestGenerateReproducesCommittedSamples(t *testing.T) {
	dir := t.TempDir()
	for _, s := range All() {
		t.Run(s.ID, func(t *testing.T) {
			names, err := Generate(dir, s)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range names {
				got, _ := os.ReadFile(filepath.Join(dir, name))
				want, err := os.ReadFile(filepath.Join(committed, name))
				if err != nil {
					t.Fatalf("%s is not committed (run `go run ./cmd/sscope samples generate`): %v", name, err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the committed file (%d vs %d bytes): regenerate with `go run ./cmd/sscope samples generate` and review the diff", name, len(got), len(want))
				}
			}
		})
	}
}

// TestCommittedSamplesVerify runs the replay validation: the analyzer
// must give every expected verdict it supports.
func TestCommittedSamplesVerify(t *testing.T) {
	paths, err := expect.Find(committed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(All()) {
		t.Errorf("%d expected files for %d scenarios", len(paths), len(All()))
	}
	for _, p := range paths {
		r := expect.Verify(p)
		if r.Err != nil {
			t.Errorf("%s: %v", p, r.Err)
			continue
		}
		if len(r.Checks) < 10 {
			t.Errorf("%s: only %d checks: the expected file says too little", p, len(r.Checks))
		}
		for _, c := range r.Checks {
			if c.Status == expect.Fail {
				t.Errorf("%s %s %s: want %s, got %s", r.Scenario, c.Item, c.Field, c.Want, c.Got)
			}
		}
	}
}

// TestTwoRunsIdentical guards determinism within one process too (no
// state leaks between scenario runs).
func TestTwoRunsIdentical(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, id := range []string{"P2", "T2"} {
		s, _ := Lookup([]string{id})
		if _, err := Generate(a, s[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := Generate(b, s[0]); err != nil {
			t.Fatal(err)
		}
		x, _ := os.ReadFile(filepath.Join(a, id+".pcapng"))
		y, _ := os.ReadFile(filepath.Join(b, id+".pcapng"))
		if !bytes.Equal(x, y) || len(x) == 0 {
			t.Errorf("%s: two runs differ", id)
		}
	}
}
