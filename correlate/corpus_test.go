package correlate_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/report/reporttest"
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
	if _, err := os.Stat(path); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	rep, _ := correlate.AnalyzeFiles([]string{path}, correlate.Options{
		TLSDetect: true, Judge: rules.New(), KeepSessions: true, Version: "test",
	}, nil)
	reporttest.Value(t, rep)
	return rep
}

var factRe = regexp.MustCompile(`(d?tls)\[([^\]]*)\]`)

// facts reads the automatic facts of a MANIFEST note, e.g.
// "tls[full=4 resumed_ticket=1 sh=5]" → facts["tls"]["resumed_ticket"] = 1.
func facts(notes string) map[string]map[string]int {
	out := map[string]map[string]int{"tls": {}, "dtls": {}}
	for _, m := range factRe.FindAllStringSubmatch(notes, -1) {
		for _, kv := range strings.Fields(m[2]) {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				continue
			}
			n, err := strconv.Atoi(v)
			if err == nil {
				out[m[1]][k] = n
			}
		}
	}
	return out
}

// oracleExceptions are the corpus frames where our reading of the bytes
// differs from tshark 4.0's, each checked by hand. Key: file#frame.
var oracleExceptions = map[string]string{
	// A pure SSL 2.0 session: tshark puts SSLv2 message types into
	// tls.handshake.type, where 2 is CLIENT-MASTER-KEY (and 4 is
	// SERVER-HELLO), not a TLS ServerHello.
	"zeek/Traces/tls/ssl-v2.pcap#8": "SSLv2 CLIENT-MASTER-KEY, not a ServerHello",
}

// hello is a ClientHello, ServerHello or HelloRetryRequest we decoded.
type hello struct {
	client    bool
	sessionID string
}

// hellos maps frames to the hellos decoded in them, from the timelines:
// each hello event belongs to the handshake whose frames enclose it. A
// HelloRetryRequest echoes the client's legacy session ID (RFC 8446 §4.1.3).
func hellos(rep *report.Report) map[uint64][]hello {
	out := map[uint64][]hello{}
	for _, s := range rep.Sessions {
		for _, e := range s.Timeline {
			if e.Layer != "tls" && e.Layer != "dtls" {
				continue
			}
			var client bool
			switch e.Event {
			case "ClientHello":
				client = true
			case "ServerHello", "HelloRetryRequest":
			default:
				continue
			}
			for _, h := range s.Handshakes {
				if e.Frame < h.FirstFrame || e.Frame > h.LastFrame {
					continue
				}
				id := h.ServerSessionID
				if client || e.Event == "HelloRetryRequest" {
					id = h.ClientSessionID
				}
				out[e.Frame] = append(out[e.Frame], hello{client: client, sessionID: id})
				break
			}
		}
	}
	return out
}

func TestCorpusHandshakesAgreeWithTshark(t *testing.T) {
	for _, e := range readManifest(t) {
		e := e
		t.Run(e.file, func(t *testing.T) {
			rep := analyzeCorpus(t, filepath.Join(corpusDir, e.file))
			if !strings.Contains(e.protocols, "tls") && !strings.Contains(e.protocols, "dtls") {
				return
			}
			seen := hellos(rep)
			var missing []string
			for _, r := range readOracle(t, filepath.Join(corpusDir, e.oracle)) {
				key := e.file + "#" + strconv.FormatUint(r.frame, 10)
				if why, ok := oracleExceptions[key]; ok {
					t.Logf("frame %d differs from tshark on purpose: %s", r.frame, why)
					continue
				}
				for _, want := range []struct {
					typ    int
					client bool
				}{{1, true}, {2, false}} {
					if !has(r.hsTypes, want.typ) {
						continue
					}
					found := false
					for _, h := range seen[r.frame] {
						if h.client != want.client {
							continue
						}
						found = true
						if h.sessionID != r.sessionID {
							t.Errorf("frame %d hello (client=%v) session ID %q, tshark %q", r.frame, want.client, h.sessionID, r.sessionID)
						}
					}
					if !found {
						missing = append(missing, fmt.Sprintf("type %d@%d", want.typ, r.frame))
					}
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				t.Errorf("hellos tshark saw that we did not: %v", missing)
			}
			// Resumption verdicts against the manifest's facts: per
			// stream with a ServerHello, resumed_sid counts abbreviated
			// handshakes whose ServerHello repeats the offered session
			// ID, resumed_ticket those that offered a ticket.
			f := facts(e.notes)
			got := map[string]map[string]int{"tls": {}, "dtls": {}}
			for _, s := range rep.Sessions {
				proto := "tls"
				if s.Kind == report.KindDTLS {
					proto = "dtls"
				} else if s.Kind != report.KindTLS {
					continue
				}
				for _, h := range s.Handshakes {
					if h.Resumption == nil || h.Renegotiation {
						continue
					}
					switch *h.Resumption {
					case report.ResumeSessionID:
						got[proto]["resumed_sid"]++
					case report.ResumeTicket:
						got[proto]["resumed_ticket"]++
					}
				}
			}
			for _, proto := range []string{"tls", "dtls"} {
				for _, k := range []string{"resumed_sid", "resumed_ticket"} {
					if got[proto][k] != f[proto][k] {
						t.Errorf("%s %s: we count %d, the manifest %d", proto, k, got[proto][k], f[proto][k])
					}
				}
			}
		})
	}
}
