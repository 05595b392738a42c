package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"sort"

	"github.com/sessionscope/sscope/correlate/report"
)

// JSONSpool writes the JSON report without holding its sessions: each
// session is encoded as it closes (on a goroutine of its own) into a
// temporary file, and only its place there is kept. At the end the
// sessions are copied into the document in the order they started, with
// the findings that span sessions added to the sessions they name.
type JSONSpool struct {
	file  *os.File
	w     *bufio.Writer
	off   int64
	index []spooled
	queue chan *report.Session
	done  chan struct{}
	buf   bytes.Buffer
	err   error
}

type spooled struct {
	id    string
	input int
	frame uint64
	off   int64
	n     int
}

// NewJSONSpool creates the spool file in dir ("" for the system's
// temporary directory); it is removed by Write.
func NewJSONSpool(dir string) (*JSONSpool, error) {
	f, err := os.CreateTemp(dir, "sscope-sessions-*.json")
	if err != nil {
		return nil, err
	}
	s := &JSONSpool{file: f, w: bufio.NewWriterSize(f, 1<<20), queue: make(chan *report.Session, 256), done: make(chan struct{})}
	go s.run()
	return s, nil
}

func (s *JSONSpool) run() {
	defer close(s.done)
	enc := json.NewEncoder(&s.buf)
	enc.SetEscapeHTML(false)
	for sess := range s.queue {
		if s.err != nil {
			continue
		}
		s.buf.Reset()
		if s.err = enc.Encode(sess); s.err != nil {
			continue
		}
		b := bytes.TrimRight(s.buf.Bytes(), "\n")
		if _, s.err = s.w.Write(b); s.err != nil {
			continue
		}
		s.index = append(s.index, spooled{id: sess.ID, input: sess.Input, frame: sess.FirstFrame, off: s.off, n: len(b)})
		s.off += int64(len(b))
	}
	if s.err == nil {
		s.err = s.w.Flush()
	}
}

// Session queues a closed session. It must not change afterwards.
func (s *JSONSpool) Session(sess *report.Session) { s.queue <- sess }

// Write writes the report r (whose Sessions are ignored) with the spooled
// sessions, adding cross to the sessions they name, and removes the spool.
func (s *JSONSpool) Write(w io.Writer, r *report.Report, cross []report.Finding) error {
	close(s.queue)
	<-s.done
	defer os.Remove(s.file.Name())
	defer s.file.Close()
	if s.err != nil {
		return s.err
	}
	sort.SliceStable(s.index, func(i, j int) bool {
		x, y := s.index[i], s.index[j]
		return x.input < y.input || x.input == y.input && x.frame < y.frame
	})
	extra := map[string][][]byte{}
	for _, f := range cross {
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		extra[f.Session] = append(extra[f.Session], b)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	j := jsonWriter{w: bw}
	j.header(r)
	j.raw(`  "sessions": [`)
	compact := make([]byte, 0, 64<<10)
	var text []byte
	for i, e := range s.index {
		if cap(compact) < e.n {
			compact = make([]byte, e.n)
		}
		compact = compact[:e.n]
		if _, err := s.file.ReadAt(compact, e.off); err != nil {
			return err
		}
		sess := compact
		for _, f := range extra[e.id] {
			// Findings is the last member of a session (see report.Session).
			sess = appendToLastArray(sess, f)
		}
		if i > 0 {
			j.raw(",")
		}
		j.raw("\n    ")
		text = appendIndent(text[:0], sess, "    ")
		j.bytes(text)
	}
	if len(s.index) > 0 {
		j.raw("\n  ")
	}
	j.raw("],\n")
	j.trailer(r)
	if j.err != nil {
		return j.err
	}
	return bw.Flush()
}
