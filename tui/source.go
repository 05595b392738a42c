package tui

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
)

// Source delivers sessions to the UI. Run is called once, in a goroutine
// of its own, and returns when the input has ended.
type Source interface {
	// Describe names the inputs for the status line and says where their
	// frames can be read back.
	Describe() Inputs
	Run(feed *Feed)
}

// Inputs describes what a source reads.
type Inputs struct {
	// Names are shown in the status line.
	Names []string
	// Files are the capture files by input index, for frame views and
	// :export ("" where there is none, e.g. a live capture not written to
	// a file).
	Files []string
	// Live marks a source that runs until stopped (live capture); its
	// status shows drop counters.
	Live bool
	// Stop stops a live source early (nil when it cannot be).
	Stop func()
}

// Progress is how far a source has read.
type Progress struct {
	// Input is the index of the input being read, Path its name.
	Input int
	Path  string
	// Read and Total are bytes of the input (Total -1 when unknown);
	// Packets counts packets of all inputs so far.
	Read, Total int64
	Packets     uint64
}

// LiveStats are a live capture's counters.
type LiveStats struct {
	Packets uint64
	// KernelDrops are packets the kernel dropped before we read them;
	// Drops those we dropped ourselves (queue full).
	KernelDrops uint64
	Drops       uint64
}

// Final is what a source says when its input has ended.
type Final struct {
	// Report is the final report (stats, inputs, problems); its sessions
	// may be empty (they were delivered one by one).
	Report *report.Report
	// Cross are the findings made across sessions at the end, each naming
	// the session it belongs to.
	Cross []report.Finding
	// Errors are the inputs that could not be (fully) read.
	Errors []error
}

// Feed is where a source delivers. It is safe for concurrent use; the UI
// takes what has arrived a few times a second. A session handed to the
// feed belongs to the UI from then on: the sender must not change it.
type Feed struct {
	mu       sync.Mutex
	sessions []*report.Session
	progress *Progress
	final    *Final
	live     func() LiveStats
}

// Session delivers a closed session.
func (f *Feed) Session(s *report.Session) {
	f.mu.Lock()
	f.sessions = append(f.sessions, s)
	f.mu.Unlock()
}

// Progress reports how far reading has come.
func (f *Feed) Progress(p Progress) {
	f.mu.Lock()
	f.progress = &p
	f.mu.Unlock()
}

// Finish says the input has ended.
func (f *Feed) Finish(fin Final) {
	f.mu.Lock()
	f.final = &fin
	f.mu.Unlock()
}

// take returns what arrived since the last call.
func (f *Feed) take() (ss []*report.Session, p *Progress, fin *Final) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ss, f.sessions = f.sessions, nil
	p, f.progress = f.progress, nil
	fin, f.final = f.final, nil
	return
}

// Files is the source of one or more capture files read together by one
// analysis, as "sscope analyze" reads them. Options are those of the
// analysis; OnSession and KeepSessions are set by the source.
func Files(paths []string, o correlate.Options) Source {
	return &fileSource{paths: paths, opts: o}
}

type fileSource struct {
	paths []string
	opts  correlate.Options
}

func (fs *fileSource) Describe() Inputs {
	in := Inputs{}
	for _, p := range fs.paths {
		in.Names = append(in.Names, filepath.Base(p))
		if p == "-" {
			in.Files = append(in.Files, "")
		} else {
			in.Files = append(in.Files, p)
		}
	}
	return in
}

func (fs *fileSource) Run(feed *Feed) {
	o := fs.opts
	o.OnSession = feed.Session
	// The UI keeps the sessions; the analyzer need not.
	o.KeepSessions = false
	a := correlate.New(o)
	var errs []error
	var before uint64
	for i, path := range fs.paths {
		total := int64(-1)
		if st, err := os.Stat(path); err == nil && path != "-" {
			total = st.Size()
		}
		feed.Progress(Progress{Input: i, Path: path, Total: total, Packets: before})
		var n uint64
		err := a.ReadFile(path, func(input int, _ string, consumed int64, packets uint64) {
			n = packets
			feed.Progress(Progress{Input: i, Path: path, Read: consumed, Total: total, Packets: before + packets})
		})
		before += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	rep := a.Finish()
	feed.Finish(Final{Report: rep, Cross: a.CrossFindings(), Errors: errs})
}

// StreamOptions describe a stream of sessions (a live capture).
type StreamOptions struct {
	// Name is shown in the status line (e.g. "live eth0").
	Name string
	// CaptureFile is where the captured frames are written, if they are
	// (frame views and :export read it); "" when they are not.
	CaptureFile string
	// Stats returns the capture's counters; it is called from the UI's
	// goroutine and must be safe for that. Nil shows no counters.
	Stats func() LiveStats
	// Stop stops the capture (":stop"); the stream then ends. Nil: the
	// capture stops only when the UI quits.
	Stop func()
}

// Stream is the source of sessions that arrive on a channel as they close
// (a live capture). The stream ends when the channel is closed; findings
// made across sessions at the end may follow on cross, which may be nil.
func Stream(sessions <-chan *report.Session, cross <-chan []report.Finding, o StreamOptions) Source {
	return &streamSource{sessions: sessions, cross: cross, opts: o}
}

type streamSource struct {
	sessions <-chan *report.Session
	cross    <-chan []report.Finding
	opts     StreamOptions
}

func (ss *streamSource) Describe() Inputs {
	return Inputs{Names: []string{ss.opts.Name}, Files: []string{ss.opts.CaptureFile}, Live: true, Stop: ss.opts.Stop}
}

func (ss *streamSource) Run(feed *Feed) {
	feed.mu.Lock()
	feed.live = ss.opts.Stats
	feed.mu.Unlock()
	for s := range ss.sessions {
		feed.Session(s)
	}
	var cross []report.Finding
	if ss.cross != nil {
		cross = <-ss.cross
	}
	feed.Finish(Final{Cross: cross})
}

// liveStats returns the live counters, if the source has them.
func (f *Feed) liveStats() (LiveStats, bool) {
	f.mu.Lock()
	fn := f.live
	f.mu.Unlock()
	if fn == nil {
		return LiveStats{}, false
	}
	return fn(), true
}
