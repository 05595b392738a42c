package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/sessionscope/sscope/correlate/report"
)

// TextStream writes the text report of a capture that is still running:
// each session as it closes (its handshakes, timeline and findings), then
// at the end a summary — the header, every finding (including those made
// across sessions at the end) and each client's sessions by id.
type TextStream struct {
	w     *bufio.Writer
	t     *textWriter
	n     int
	kinds map[string]int
	err   error
}

// NewTextStream writes to w.
func NewTextStream(w io.Writer, o TextOptions) *TextStream {
	if o.Width <= 0 {
		o.Width = 100
	}
	bw := bufio.NewWriter(w)
	return &TextStream{w: bw, t: &textWriter{w: bw, width: o.Width}, kinds: map[string]int{}}
}

// Session writes one closed session and flushes it.
func (s *TextStream) Session(sess *report.Session) {
	s.n++
	s.kinds[sess.Kind]++
	if s.err != nil {
		return
	}
	if s.n == 1 {
		s.t.line("SESSIONS (as they close)")
	}
	s.t.session(sess)
	s.err = s.w.Flush()
}

// Summary writes the end of the report and returns the first write error.
func (s *TextStream) Summary(r *report.Report) error {
	if s.err != nil {
		return s.err
	}
	if s.n > 0 {
		s.t.line("")
	}
	s.t.headerWith(r, s.n, s.kinds)
	s.t.findings(r)
	if len(r.Clients) > 0 {
		s.t.line("CLIENTS")
		for _, c := range r.Clients {
			s.t.wrapped(fmt.Sprintf("  %s  (%s): ", c.Label, c.Key), 6, strings.Join(c.Sessions, ", "))
		}
	}
	s.t.problems(r)
	return s.w.Flush()
}
