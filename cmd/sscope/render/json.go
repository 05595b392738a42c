package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/sessionscope/sscope/correlate/report"
)

// header writes the fields before the sessions.
func (j *jsonWriter) header(r *report.Report) {
	j.raw("{\n")
	j.field("schema", r.Schema, false)
	j.field("generator", r.Generator, false)
	j.field("inputs", r.Inputs, false)
	j.field("options", r.Options, false)
	j.field("stats", r.Stats, false)
}

// trailer writes the fields after the sessions and closes the document.
func (j *jsonWriter) trailer(r *report.Report) {
	j.field("clients", r.Clients, false)
	j.field("findings", r.Findings, false)
	j.field("problems", r.Problems, true)
	j.raw("}\n")
}

type jsonWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	err error
}

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

func (j *jsonWriter) field(name string, v any, last bool) {
	j.raw(`  "` + name + `": `)
	j.value(v, "  ")
	if last {
		j.raw("\n")
	} else {
		j.raw(",\n")
	}
}

// bytes writes JSON text as it is.
func (j *jsonWriter) bytes(b []byte) {
	if j.err == nil {
		_, j.err = j.w.Write(b)
	}
}

// value writes v indented as if it started at the given indentation.
func (j *jsonWriter) value(v any, indent string) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	enc := json.NewEncoder(&j.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(indent, "  ")
	if j.err = enc.Encode(v); j.err != nil {
		return
	}
	b := bytes.TrimRight(j.buf.Bytes(), "\n")
	_, j.err = j.w.Write(b)
}

// NDJSON writes one session per line as sessions close, then one summary
// line: the report without its sessions. Every line has a "record" field:
// "session" or "summary". Sessions are encoded on a goroutine of their own,
// so that writing overlaps the analysis; the order of lines is the order
// of Session calls.
type NDJSON struct {
	enc   *json.Encoder
	flush func() error
	queue chan *report.Session
	done  chan struct{}
	err   error
}

// NewNDJSON writes to w.
func NewNDJSON(w io.Writer) *NDJSON { return newNDJSON(w, false) }

// NewNDJSONStream writes to w and flushes whenever no session is waiting,
// so that each line is out as soon as its session closes (live capture).
func NewNDJSONStream(w io.Writer) *NDJSON { return newNDJSON(w, true) }

func newNDJSON(w io.Writer, flushIdle bool) *NDJSON {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := &NDJSON{enc: enc, queue: make(chan *report.Session, 256), done: make(chan struct{})}
	go func() {
		defer close(n.done)
		for s := range n.queue {
			if n.err == nil {
				n.err = n.enc.Encode(sessionLine{Record: "session", Session: s})
			}
			if n.err == nil && flushIdle && len(n.queue) == 0 {
				n.err = bw.Flush()
			}
		}
		if n.err == nil {
			n.err = bw.Flush()
		}
	}()
	n.flush = bw.Flush
	return n
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

// Session queues one session line. The session must not change afterwards.
func (n *NDJSON) Session(s *report.Session) { n.queue <- s }

// Summary waits for the session lines, writes the final line and returns
// the first write error.
func (n *NDJSON) Summary(r *report.Report) error {
	close(n.queue)
	<-n.done
	if n.err == nil {
		n.err = n.enc.Encode(summaryLine{Record: "summary", Report: r})
	}
	if n.err == nil {
		n.err = n.flush()
	}
	return n.err
}
