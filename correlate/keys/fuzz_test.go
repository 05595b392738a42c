package keys

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzKeyLog feeds arbitrary bytes to the key log reader, seeded with the
// key logs of the samples and of the corpus. Whatever the input: no panic,
// every problem names a line that was read, nothing is counted twice, and
// every CLIENT_RANDOM line that parses is found in the store.
func FuzzKeyLog(f *testing.F) {
	seeds, _ := filepath.Glob("../../samples/scenarios/*.keylog")
	seeds = append(seeds, "/work/shared/corpus/scapy/tls_nss_example.keys.txt")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("# comment\r\n\r\nCLIENT_RANDOM 00 11\nRSA 0102030405060708 " + string(bytes.Repeat([]byte("ab"), 48)) + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewStore()
		l := s.AddKeyLog(data, "fuzz")
		for _, p := range l.Problems {
			if p.Line < 1 || p.Line > l.Lines {
				t.Fatalf("problem on line %d of %d", p.Line, l.Lines)
			}
		}
		if l.Added+l.Duplicates+l.Ignored+len(l.Problems)+l.MoreProblems > l.Lines {
			t.Fatalf("%+v counts more outcomes than lines", l)
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			e, ok, _ := parseLine(line)
			if !ok || e.label != LabelClientRandom || len(line) >= MaxKeyLogLine {
				continue
			}
			var cr [32]byte
			copy(cr[:], e.key)
			if sec, found := s.Secrets(cr); !found || len(sec.MasterSecret) != 48 {
				t.Fatalf("line %q not in the store", line)
			}
		}
	})
}
