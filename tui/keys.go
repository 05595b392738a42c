package tui

import (
	"fmt"

	"github.com/gdamore/tcell/v2"

	"github.com/sessionscope/sscope/tui/keymap"
)

// onKey turns key presses into actions: the focused view's first, then
// the global ones.
func (a *App) onKey(ev *tcell.EventKey) *tcell.EventKey {
	if ev == a.wake {
		a.runPosted()
		return nil // tview redraws
	}
	if a.app.GetFocus() == a.prompt {
		return ev
	}
	if keymap.OfEvent(ev) == keymap.Reserved {
		a.Stop()
		return nil
	}
	act, ok := a.keys.Lookup(ev)
	if !ok {
		return nil
	}
	a.message = ""
	if v := a.focusedView(); v != nil && runBinding(v, act) {
		a.updateStatus()
		return nil
	}
	for _, b := range a.globalBindings() {
		if b.action == act {
			b.run()
			break
		}
	}
	a.updateStatus()
	return nil
}

// globalBindings are the actions every view shares.
func (a *App) globalBindings() []binding {
	return []binding{
		{keymap.NextPane, "next pane", func() { a.cyclePane(1) }},
		{keymap.PrevPane, "previous pane", func() { a.cyclePane(-1) }},
		{keymap.Filter, "filter the sessions", func() { a.openPrompt('/') }},
		{keymap.NextMatch, "next session passing the filter", func() { a.step(1) }},
		{keymap.PrevMatch, "previous session passing the filter", func() { a.step(-1) }},
		{keymap.Findings, "findings view (again: back)", a.toggleFindings},
		{keymap.Command, "command bar", func() { a.openPrompt(':') }},
		{keymap.Help, "help", a.openHelp},
		{keymap.Quit, "quit", a.Stop},
	}
}

// step selects the next (d=1) or previous (d=-1) session passing the
// filter, or finding in the findings view.
func (a *App) step(d int) {
	if a.page == pageFindings {
		l := a.findings.list
		if len(l.rows) == 0 {
			return
		}
		l.selectIndex((l.sel + d + len(l.rows)) % len(l.rows))
		a.say(fmt.Sprintf("finding %d of %d", l.sel+1, len(l.rows)), false)
		return
	}
	if a.filter.Empty() {
		a.say("no filter: "+a.keys.Describe(keymap.Filter)+" filters the sessions", false)
		return
	}
	var idx []int
	pos := -1
	for i, r := range a.sessions.rows {
		if r.Entry != nil {
			if i == a.sessions.sel {
				pos = len(idx)
			}
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		a.say("no session passes the filter", true)
		return
	}
	next := 0
	if pos >= 0 {
		next = (pos + d + len(idx)) % len(idx)
	} else if d < 0 {
		next = len(idx) - 1
	}
	a.sessions.selectIndex(idx[next])
	a.say(fmt.Sprintf("match %d of %d", next+1, len(idx)), false)
}
