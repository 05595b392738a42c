package correlate_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/rules"
)

const corpusDir = "../../shared/corpus"

// corpusEntry is one row of the corpus MANIFEST.tsv.
type corpusEntry struct {
	file, protocols, oracle, notes string
}

func readManifest(t *testing.T) []corpusEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	var out []corpusEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 11 {
			continue
		}
		out = append(out, corpusEntry{file: c[0], protocols: c[5], oracle: c[9], notes: c[10]})
	}
	return out
}

// oracleRow is one frame of a tshark oracle file.
type oracleRow struct {
	frame     uint64
	hsTypes   []int
	sessionID string
}

func readOracle(t *testing.T, path string) []oracleRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var out []oracleRow
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 12 || c[10] == "" {
			continue
		}
		n, _ := strconv.ParseUint(c[0], 10, 64)
		r := oracleRow{frame: n, sessionID: c[11]}
		for _, x := range strings.Split(c[10], ",") {
			v, _ := strconv.Atoi(x)
			r.hsTypes = append(r.hsTypes, v)
		}
		out = append(out, r)
	}
	return out
}

func has(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func analyzeCorpus(t *testing.T, path string) *report.Report {
	t.Helper()
	rep, _ := correlate.AnalyzeFiles([]string{path}, correlate.Options{
		TLSDetect: true, Judge: rules.New(), KeepSessions: true, Version: "test",
	}, nil)
	return rep
}

var factRe = regexp.MustCompile(`(resumed_sid|resumed_ticket)=(\d+)`)

// oracleExceptions are the corpus frames where our reading of the bytes
// differs from tshark 4.0's, each checked by hand. Key: file, frame.
var oracleExceptions = map[string]string{}

func TestCorpusHandshakesAgreeWithTshark(t *testing.T) {
	for _, e := range readManifest(t) {
		e := e
		t.Run(e.file, func(t *testing.T) {
			rep := analyzeCorpus(t, filepath.Join(corpusDir, e.file))
			if !strings.Contains(e.protocols, "tls") {
				return
			}
			chSID := map[uint64]string{}
			shSID := map[uint64]string{}
			abbrevSID, abbrevTicket := 0, 0
			for _, s := range rep.Sessions {
				for _, h := range s.Handshakes {
					if h.Renegotiation && h.FirstFrame == 0 {
						continue
					}
					chSID[h.FirstFrame] = h.ClientSessionID
					if h.ServerHelloFrame != 0 {
						shSID[h.ServerHelloFrame] = h.ServerSessionID
					}
					if h.Kind == report.HandshakeAbbreviated && h.Resumption != nil {
						switch *h.Resumption {
						case report.ResumeSessionID:
							abbrevSID++
						case report.ResumeTicket:
							abbrevTicket++
						}
					}
				}
			}
			var missing []string
			for _, r := range readOracle(t, filepath.Join(corpusDir, e.oracle)) {
				key := e.file + "#" + strconv.FormatUint(r.frame, 10)
				if why, ok := oracleExceptions[key]; ok {
					t.Logf("frame %d: differs from tshark on purpose: %s", r.frame, why)
					continue
				}
				if has(r.hsTypes, 1) {
					got, ok := chSID[r.frame]
					if !ok {
						missing = append(missing, "ClientHello@"+strconv.FormatUint(r.frame, 10))
					} else if got != r.sessionID {
						t.Errorf("frame %d ClientHello session ID %q, tshark %q", r.frame, got, r.sessionID)
					}
				}
				if has(r.hsTypes, 2) {
					got, ok := shSID[r.frame]
					if !ok {
						missing = append(missing, "ServerHello@"+strconv.FormatUint(r.frame, 10))
					} else if got != r.sessionID {
						t.Errorf("frame %d ServerHello session ID %q, tshark %q", r.frame, got, r.sessionID)
					}
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				t.Errorf("hellos tshark saw that we did not: %v", missing)
			}
			facts := map[string]int{}
			for _, m := range factRe.FindAllStringSubmatch(e.notes, -1) {
				n, _ := strconv.Atoi(m[2])
				facts[m[1]] = n
			}
			if abbrevSID != facts["resumed_sid"] || abbrevTicket != facts["resumed_ticket"] {
				t.Errorf("abbreviated handshakes: %d by session ID, %d by ticket; manifest says %d and %d",
					abbrevSID, abbrevTicket, facts["resumed_sid"], facts["resumed_ticket"])
			}
		})
	}
}
