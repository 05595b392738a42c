package tui

import (
	"fmt"

	"github.com/sessionscope/sscope/tui/keymap"
	"github.com/sessionscope/sscope/tui/model"
)

// sessionsView lists clients and their sessions.
type sessionsView struct {
	*list
	rows []model.Row
	// open drills into the selected session; back leaves a filter.
	open, back func()
	// selected is told the session now selected (nil for none).
	selected func(e *model.Entry)
}

// Session list columns: findings (severity letter of the worst and how
// many: "W2"), ID, kind, identity, outcome, handshake verdict, the worst
// finding's ID.
var sessionColumns = []column{
	{min: 2, max: 3},
	{min: 5, max: 14, shrink: 1},
	{min: 3, max: 10, shrink: 2, drop: 2},
	{min: 11, max: 28, shrink: 6},
	{min: 7, max: 10, shrink: 3, drop: 1},
	{min: 7, max: 16, shrink: 4},
	{min: 8, max: 40, shrink: 5, drop: 3},
}

func newSessionsView(t *theme) *sessionsView {
	v := &sessionsView{list: newList(t, sessionColumns)}
	v.empty = "no sessions yet"
	v.changed = func(int) {
		if v.selected != nil {
			v.selected(v.entry())
		}
	}
	v.activate = func(int) {
		if v.open != nil {
			v.open()
		}
	}
	return v
}

func (v *sessionsView) name() string { return "Sessions" }

func (v *sessionsView) bindings() []binding {
	return append(listBindings(v.list, "session"),
		binding{keymap.Enter, "open the session's timeline", func() { v.open() }},
		binding{keymap.Back, "clear the filter", func() { v.back() }},
	)
}

// entry is the selected session, or nil.
func (v *sessionsView) entry() *model.Entry {
	if v.sel >= 0 && v.sel < len(v.rows) {
		return v.rows[v.sel].Entry
	}
	return nil
}

// show replaces the rows, keeping the selected session selected. It
// reports whether the selection moved to another session.
func (v *sessionsView) show(rows []model.Row) bool {
	v.rows = rows
	lr := make([]listRow, len(rows))
	for i, r := range rows {
		if r.Entry == nil {
			n := len(r.Client.Entries)
			count := fmt.Sprintf("%d session%s", n, plural(n))
			if r.Shown != n {
				count = fmt.Sprintf("%d of %d sessions", r.Shown, n)
			}
			lr[i] = listRow{key: "client:" + r.Client.Key, header: fmt.Sprintf("%s  (%s)", r.Client.Label, count)}
			continue
		}
		lr[i] = sessionRow(v.theme, r.Entry)
	}
	return v.setRows(lr)
}

func sessionRow(t *theme, e *model.Entry) listRow {
	s := e.Session
	count := ""
	if n := e.Findings(); n > 0 {
		count = fmt.Sprintf("%s%d", severityMarker(e.Severity), min(n, 99))
	}
	return listRow{
		key:   s.ID,
		cells: []string{count, s.ID, e.Kind, e.Identity, s.Outcome, e.Verdict, e.Worst},
		style: t.severity(e.Severity),
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
