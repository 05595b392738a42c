package render

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/report"
)

func goldenReport(t *testing.T, path string) *report.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r report.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// The streamed text report holds every session block the whole text
// report holds, each as soon as it is given, then the summary.
func TestTextStreamWritesEachSessionAtOnce(t *testing.T) {
	r := goldenReport(t, "../../../samples/lab/captures/P2.golden.json")
	var whole bytes.Buffer
	if err := Text(&whole, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	ts := NewTextStream(&out, TextOptions{})
	for i, s := range r.Sessions {
		before := out.Len()
		ts.Session(s)
		block := out.String()[before:]
		if !strings.Contains(block, "  "+s.ID+"  "+s.Kind) {
			t.Fatalf("session %d not written at once:\n%s", i, block)
		}
		// The same block as in the whole report.
		if !strings.Contains(whole.String(), strings.TrimPrefix(block, "SESSIONS (as they close)\n")) {
			t.Errorf("session %s block differs from the text report's:\n%s", s.ID, block)
		}
	}
	summary := *r
	summary.Sessions = nil
	if err := ts.Summary(&summary); err != nil {
		t.Fatal(err)
	}
	tail := out.String()
	for _, want := range []string{"sessions 2 (2 radius-eap) for 1 client", "FINDINGS", "CLIENTS", "eap-1, eap-2"} {
		if !strings.Contains(tail, want) {
			t.Errorf("summary lacks %q:\n%s", want, tail)
		}
	}
}

// lockedBuffer is written by the NDJSON goroutine and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The streaming NDJSON writer puts a session's line out before the
// summary; the batch one may hold it in its buffer.
func TestNDJSONStreamFlushesEachSession(t *testing.T) {
	r := goldenReport(t, "../../../samples/lab/captures/P2.golden.json")
	var out lockedBuffer
	nd := NewNDJSONStream(&out)
	nd.Session(r.Sessions[0])
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), `"record":"session"`) {
		if time.Now().After(deadline) {
			t.Fatal("the session line was not written before the summary")
		}
		time.Sleep(time.Millisecond)
	}
	if err := nd.Summary(r); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(out.String(), "\n"); lines != 2 {
		t.Errorf("%d lines, want a session and a summary", lines)
	}
}
