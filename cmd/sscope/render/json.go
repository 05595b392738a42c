package render

import (
	"encoding/json"
	"io"
	"sync"

	"github.com/sessionscope/sscope/correlate/report"
)

// JSON writes the whole report as one indented JSON document.
func JSON(w io.Writer, r *report.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// NDJSON writes one session per line as sessions close, then one summary
// line: the report without its sessions. Every line has a "record" field:
// "session" or "summary".
type NDJSON struct {
	mu  sync.Mutex
	enc *json.Encoder
	err error
}

// NewNDJSON writes to w.
func NewNDJSON(w io.Writer) *NDJSON {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &NDJSON{enc: enc}
}

type sessionLine struct {
	Record string `json:"record"`
	*report.Session
}

type summaryLine struct {
	Record string `json:"record"`
	*report.Report
	Sessions *struct{} `json:"sessions,omitempty"`
}

// Session writes one session line.
func (n *NDJSON) Session(s *report.Session) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.err == nil {
		n.err = n.enc.Encode(sessionLine{Record: "session", Session: s})
	}
}

// Summary writes the final line and returns the first write error.
func (n *NDJSON) Summary(r *report.Report) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.err == nil {
		n.err = n.enc.Encode(summaryLine{Record: "summary", Report: r})
	}
	return n.err
}
