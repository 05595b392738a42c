package tui

import (
	"errors"
	"fmt"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/tui/frames"
	"github.com/sessionscope/sscope/tui/keymap"
	"github.com/sessionscope/sscope/tui/model"
)

// refreshSessions redraws the session list (and what depends on the
// selected session) after sessions arrived or the filter changed.
func (a *App) refreshSessions() {
	rows := a.store.Rows(a.filter)
	moved := a.sessions.show(rows)
	a.sessions.empty = a.emptySessionsText()
	shown := 0
	for _, r := range rows {
		if r.Entry != nil {
			shown++
		}
	}
	title := fmt.Sprintf(" Sessions (%d) ", a.store.Len())
	if !a.filter.Empty() {
		title = fmt.Sprintf(" Sessions (%d of %d) ", shown, a.store.Len())
	}
	a.sessions.SetTitle(title)
	if e := a.sessions.entry(); moved || e != a.current {
		a.showSession(e)
	} else if e != nil {
		// Same session, maybe with findings added at the end.
		a.timeline.show(e)
		a.summary.setLinesKeep(summaryLines(a.theme, e, a.inputName))
	}
	if a.page == pageFindings {
		a.findings.show(a.store.Findings(a.filter))
	}
}

func (a *App) emptySessionsText() string {
	switch {
	case !a.done:
		return "reading… sessions appear here as they complete"
	case !a.filter.Empty() && a.store.Len() > 0:
		return "no session passes the filter (" + a.keys.Describe(keymap.Back) + " clears it)"
	}
	return "no sessions in this capture"
}

// showSession shows a session's timeline and summary.
func (a *App) showSession(e *model.Entry) {
	if e != a.current {
		a.loaded = map[uint64]frames.Frame{}
		a.loading = map[uint64]bool{}
		a.frameErr = map[uint64]error{}
	}
	a.current = e
	a.timeline.show(e)
	if e == nil {
		a.summary.setLines(nil)
		a.summary.SetTitle(" Session ")
	} else {
		a.summary.setLines(summaryLines(a.theme, e, a.inputName))
		a.summary.SetTitle(" Session " + e.Session.ID + " ")
	}
	a.showEvent()
}

// errNotWritten: a live capture's frame not yet in its file (the file is
// written in blocks); selecting the event again tries again.
var errNotWritten = errors.New("not written to the capture file yet; select the event again in a moment")

// showEvent shows the selected event (after the user moved to it).
func (a *App) showEvent() {
	if ev := a.timeline.event(); ev != nil && errors.Is(a.frameErr[ev.Frame], errNotWritten) {
		delete(a.frameErr, ev.Frame)
	}
	a.renderEvent()
}

// renderEvent shows the selected event's fields and frame, reading the
// frame when it is not at hand.
func (a *App) renderEvent() {
	e, ev := a.current, a.timeline.event()
	if e == nil || ev == nil {
		a.fields.setLines(nil)
		a.hex.setLines(nil)
		a.fields.SetTitle(" Event ")
		a.hex.SetTitle(" Frame ")
		return
	}
	a.fields.SetTitle(fmt.Sprintf(" Event #%d ", ev.Frame))
	a.hex.SetTitle(fmt.Sprintf(" Frame %d ", ev.Frame))
	fs := a.frameState(ev)
	if fs.frame == nil && fs.err == nil && ev.Frame != 0 && ev.Input == e.Session.Input && !a.loading[ev.Frame] {
		a.requestFrames(e, ev)
		fs.loading = true
	}
	if ev.Input != e.Session.Input {
		fs = frameState{err: errors.New("frame of another input")}
	}
	a.fields.setLines(eventLines(a.theme, e, ev, fs, a.inputName, a.fdesc))
	switch {
	case fs.frame != nil:
		data := fs.frame.Data
		a.hex.setContent(func(width int) []textLine {
			lines := frames.HexDump(data, width)
			out := make([]textLine, len(lines))
			for i, l := range lines {
				out[i] = textLine{text: l, style: a.theme.normal}
			}
			return out
		})
	case fs.loading:
		a.hex.setLines([]textLine{{text: "reading…", style: a.theme.dim}})
	default:
		a.hex.setLines(nil)
	}
}

func (a *App) frameState(ev *report.Event) frameState {
	if f, ok := a.loaded[ev.Frame]; ok {
		return frameState{frame: &f}
	}
	if err := a.frameErr[ev.Frame]; err != nil {
		return frameState{err: err}
	}
	return frameState{loading: a.loading[ev.Frame]}
}

// requestFrames reads the selected event's frame with those of the events
// around it.
func (a *App) requestFrames(e *model.Entry, ev *report.Event) {
	s := e.Session
	sel := a.timeline.sel
	var numbers []uint64
	for i := max(0, sel-prefetchAround); i < min(len(s.Timeline), sel+prefetchAround+1); i++ {
		x := &s.Timeline[i]
		if x.Input == s.Input && x.Frame != 0 && !a.loading[x.Frame] {
			if _, ok := a.loaded[x.Frame]; !ok {
				numbers = append(numbers, x.Frame)
			}
		}
	}
	for _, n := range numbers {
		a.loading[n] = true
	}
	a.loader.request(&frameRequest{input: s.Input, numbers: numbers, done: func(fs []frames.Frame, err error) {
		if a.current != e {
			return
		}
		if errors.Is(err, errSuperseded) {
			// Read them when they are asked for again.
			for _, n := range numbers {
				delete(a.loading, n)
			}
			return
		}
		got := map[uint64]bool{}
		for _, f := range fs {
			a.loaded[f.Number] = f
			got[f.Number] = true
		}
		for _, n := range numbers {
			delete(a.loading, n)
			if !got[n] {
				switch {
				case err != nil:
					a.frameErr[n] = err
				case a.inputs.Live && !a.done:
					a.frameErr[n] = errNotWritten
				default:
					a.frameErr[n] = fmt.Errorf("not in %s", a.inputName(s.Input))
				}
			}
		}
		a.showEventKeepScroll()
	}})
}

// showEventKeepScroll redraws the event panes without losing the
// user's scroll position.
func (a *App) showEventKeepScroll() {
	ft, ht := a.fields.top, a.hex.top
	a.renderEvent()
	a.fields.top, a.hex.top = ft, ht
}

func (a *App) inputName(i int) string {
	if i >= 0 && i < len(a.inputs.Names) {
		return a.inputs.Names[i]
	}
	return fmt.Sprintf("input %d", i)
}
