package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden outputs of the lab captures")

// TestLabGoldenOutputs analyzes every lab capture (real peers) and compares
// the text and JSON reports with the committed golden files beside them.
// Reviewed changes are accepted with: go test ./cmd/sscope -run Golden -update
func TestLabGoldenOutputs(t *testing.T) {
	caps, _ := filepath.Glob("samples/lab/captures/*.pcapng")
	if len(caps) == 0 {
		t.Fatal("no lab captures")
	}
	for _, c := range caps {
		c := c
		name := strings.TrimSuffix(filepath.Base(c), ".pcapng")
		t.Run(name, func(t *testing.T) {
			text, stderr, code := sscope(t, "analyze", c)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			js, _, code := sscope(t, "analyze", "--json", c)
			if code != 0 {
				t.Fatalf("json exit %d", code)
			}
			reporttest.Report(t, []byte(js))
			golden(t, strings.TrimSuffix(c, ".pcapng")+".golden.txt", text)
			golden(t, strings.TrimSuffix(c, ".pcapng")+".golden.json", js)
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output; first difference:\n%s", path, firstDiff(string(want), got))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n  golden: " + x + "\n  output: " + y
		}
	}
	return "(none)"
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestNDJSONLines checks the streaming format: one valid session per line,
// then one summary line holding everything but the sessions.
func TestNDJSONLines(t *testing.T) {
	out, _, code := sscope(t, "analyze", "--format", "ndjson", "samples/lab/captures/P2.pcapng", "samples/lab/captures/T1.pcapng")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var sessions, summaries int
	var ids []string
	for sc.Scan() {
		var rec struct {
			Record   string            `json:"record"`
			ID       string            `json:"id"`
			Sessions json.RawMessage   `json:"sessions"`
			Clients  []json.RawMessage `json:"clients"`
		}
		line := sc.Bytes()
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		switch rec.Record {
		case "session":
			if summaries > 0 {
				t.Error("a session line after the summary")
			}
			sessions++
			ids = append(ids, rec.ID)
			reporttest.Session(t, line)
		case "summary":
			summaries++
			if rec.Sessions != nil {
				t.Error("the summary line repeats the sessions")
			}
			if len(rec.Clients) != 2 {
				t.Errorf("%d clients in the summary, want 2", len(rec.Clients))
			}
			full := bytes.Replace(line, []byte(`{"record":"summary",`), []byte(`{"sessions":[],`), 1)
			reporttest.Report(t, full)
		default:
			t.Errorf("record %q", rec.Record)
		}
	}
	if sessions != 7 || summaries != 1 {
		t.Errorf("%d session lines (%v) and %d summaries; want 7 and 1", sessions, ids, summaries)
	}
}
