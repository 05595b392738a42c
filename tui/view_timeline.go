package tui

import (
	"fmt"
	"strconv"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/tui/keymap"
	"github.com/sessionscope/sscope/tui/model"
)

// timelineView lists the selected session's events.
type timelineView struct {
	*list
	entry *model.Entry
	// open drills into the selected event; back returns to the sessions.
	open, back func()
	// selected is told the event now selected (nil for none).
	selected func(ev *report.Event)
}

// Timeline columns: finding marker, time since the session's start, frame,
// direction, layer, event and detail.
var timelineColumns = []column{
	{min: 1, max: 1},
	{min: 6, max: 12, shrink: 2, drop: 2},
	{min: 3, max: 9, shrink: 1},
	{min: 1, max: 1, drop: 1},
	{min: 3, max: 6, shrink: 3, drop: 3},
	{min: 8, shrink: 9},
}

func newTimelineView(t *theme) *timelineView {
	v := &timelineView{list: newList(t, timelineColumns)}
	v.empty = "select a session"
	v.changed = func(int) {
		if v.selected != nil {
			v.selected(v.event())
		}
	}
	v.activate = func(int) {
		if v.open != nil {
			v.open()
		}
	}
	return v
}

func (v *timelineView) name() string { return "Timeline" }

func (v *timelineView) bindings() []binding {
	return append(listBindings(v.list, "event"),
		binding{keymap.Enter, "inspect the event's frame", func() { v.open() }},
		binding{keymap.Back, "back to the sessions", func() { v.back() }},
	)
}

// event is the selected event, or nil.
func (v *timelineView) event() *report.Event {
	if v.entry == nil || v.sel < 0 || v.sel >= len(v.entry.Session.Timeline) {
		return nil
	}
	return &v.entry.Session.Timeline[v.sel]
}

// show shows a session's timeline (nil: none). Showing the same session
// again keeps the selected event.
func (v *timelineView) show(e *model.Entry) {
	if e != v.entry {
		v.sel, v.top = -1, 0
	}
	v.entry = e
	if e == nil {
		v.empty = "select a session"
		v.setRows(nil)
		v.SetTitle(" Timeline ")
		return
	}
	s := e.Session
	marks := frameMarks(s.Findings)
	rows := make([]listRow, len(s.Timeline))
	for i := range s.Timeline {
		ev := &s.Timeline[i]
		sev := ""
		if ev.Input == s.Input {
			sev = marks[ev.Frame]
		}
		text := ev.Event
		if ev.Detail != "" {
			text += ": " + ev.Detail
		}
		rows[i] = listRow{
			key:   strconv.Itoa(i),
			cells: []string{severityMarker(sev), fmt.Sprintf("%+.3f", ev.Time.Sub(s.Start.Time).Seconds()), fmt.Sprintf("#%d", ev.Frame), arrow(ev.Direction), ev.Layer, text},
			style: v.theme.severity(sev),
		}
	}
	v.empty = "no events"
	v.setRows(rows)
	if v.sel < 0 && len(rows) > 0 {
		v.sel = 0
	}
	v.SetTitle(fmt.Sprintf(" Timeline %s (%d) ", s.ID, len(rows)))
}

// frameMarks gives, per frame a finding names, the worst severity naming
// it. A finding's frames are frames of its session's input.
func frameMarks(fs []report.Finding) map[uint64]string {
	m := make(map[uint64]string)
	for _, f := range fs {
		for _, n := range f.Frames {
			if model.SeverityRank(f.Severity) > model.SeverityRank(m[n]) {
				m[n] = f.Severity
			}
		}
	}
	return m
}

func arrow(dir string) string {
	switch dir {
	case report.C2S:
		return "→"
	case report.S2C:
		return "←"
	}
	return " "
}
