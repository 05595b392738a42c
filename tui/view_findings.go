package tui

import (
	"fmt"
	"strconv"

	"github.com/sessionscope/sscope/tui/keymap"
	"github.com/sessionscope/sscope/tui/model"
)

// findingsView lists every finding of the sessions passing the filter,
// most severe first.
type findingsView struct {
	*list
	refs []model.FindingRef
	// open goes to the selected finding's session; back leaves the view.
	open, back func()
	selected   func(f *model.FindingRef)
}

// Findings columns: severity marker, finding ID, session, summary.
var findingColumns = []column{
	{min: 1, max: 1},
	{min: 8, max: 40, shrink: 2},
	{min: 5, max: 14, shrink: 1, drop: 1},
	{min: 10, shrink: 9},
}

func newFindingsView(t *theme) *findingsView {
	v := &findingsView{list: newList(t, findingColumns)}
	v.empty = "no findings"
	v.changed = func(int) {
		if v.selected != nil {
			v.selected(v.ref())
		}
	}
	v.activate = func(int) {
		if v.open != nil {
			v.open()
		}
	}
	return v
}

func (v *findingsView) name() string { return "Findings" }

func (v *findingsView) bindings() []binding {
	return append(listBindings(v.list, "finding"),
		binding{keymap.Enter, "go to the finding's session and frame", func() { v.open() }},
		binding{keymap.Back, "back to the sessions", func() { v.back() }},
	)
}

func (v *findingsView) ref() *model.FindingRef {
	if v.sel >= 0 && v.sel < len(v.refs) {
		return &v.refs[v.sel]
	}
	return nil
}

func (v *findingsView) show(refs []model.FindingRef) {
	v.refs = refs
	rows := make([]listRow, len(refs))
	for i, r := range refs {
		f := r.Finding
		rows[i] = listRow{
			// The same finding ID may occur twice in a session: the key
			// adds its place among the session's findings.
			key:   f.Session + "/" + f.ID + "/" + strconv.Itoa(indexInSession(r)),
			cells: []string{severityMarker(f.Severity), f.ID, f.Session, f.Summary},
			style: v.theme.severity(f.Severity),
		}
	}
	v.setRows(rows)
	if v.sel < 0 && len(rows) > 0 {
		v.sel = 0
	}
	v.SetTitle(fmt.Sprintf(" Findings (%d) ", len(refs)))
}

func indexInSession(r model.FindingRef) int {
	for i, f := range r.Entry.Session.Findings {
		if f.ID == r.Finding.ID && f.Summary == r.Finding.Summary {
			return i
		}
	}
	return 0
}

// findingDetailView shows the selected finding in full.
type findingDetailView struct {
	*textPane
	back func()
}

func newFindingDetailView(t *theme) *findingDetailView {
	return &findingDetailView{textPane: newTextPane(t)}
}

func (v *findingDetailView) name() string { return "Finding detail" }

func (v *findingDetailView) bindings() []binding {
	return append(scrollBindings(v.textPane), binding{keymap.Back, "back to the findings list", func() { v.back() }})
}

func findingDetail(t *theme, r *model.FindingRef) []textLine {
	if r == nil {
		return nil
	}
	f := r.Finding
	e := r.Entry
	out := []textLine{
		{text: fmt.Sprintf("%s  %s", f.ID, f.Severity), style: t.severity(f.Severity).Bold(true)},
		{text: f.Summary, style: t.normal, indent: 2},
		field(t, "session", fmt.Sprintf("%s  %s  %s  %s", e.Session.ID, e.Kind, e.Identity, e.Session.Outcome)),
	}
	if len(f.Frames) > 0 {
		out = append(out, field(t, "frames", frameList(f.Frames)))
	}
	if f.Hint != "" {
		out = append(out, field(t, "hint", f.Hint))
	}
	return out
}
