package ipfrag_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/ipfrag"
	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
)

const corpusDir = "/work/shared/corpus"

// TestReassembleCorpus feeds every IP fragment of every corpus capture to a
// Reassembler. The corpus holds no complete fragmented datagram, only
// crafted and snap-length-cut fragments: each must be refused or held
// with a typed error, never a panic, and held datagrams expire.
func TestReassembleCorpus(t *testing.T) {
	manifest, err := os.ReadFile(filepath.Join(corpusDir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	d := packet.NewDecoder()
	var f packet.Frame
	fragments := 0
	var last time.Time
	r := ipfrag.New(ipfrag.Options{})
	kinds := map[dissect.Kind]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(manifest)), "\n")[1:] {
		file := strings.Split(line, "\t")[0]
		fs, _ := readCapture(filepath.Join(corpusDir, file))
		for _, fr := range fs {
			// A decode error after the IP header still leaves a
			// fragment worth feeding.
			_ = d.Decode(fr.Link, fr.Data, &f)
			if !f.Fragment {
				continue
			}
			fragments++
			_, _, _, err := r.Add(&f, fr.TS, fr.Number)
			if err != nil {
				k := dissect.KindOf(err)
				if k == 0 {
					t.Fatalf("%s #%d: untyped error %v", file, fr.Number, err)
				}
				kinds[k]++
			}
			if fr.TS.After(last) {
				last = fr.TS
			}
		}
	}
	r.Expire(last.Add(time.Hour))
	s := r.Stats()
	t.Logf("%d fragments; errors %v; stats %+v", fragments, kinds, s)
	if fragments == 0 {
		t.Fatal("no fragments found in the corpus")
	}
	if s.Pending != 0 || s.Buffered != 0 {
		t.Fatalf("datagrams left after expiry: %+v", s)
	}
}
