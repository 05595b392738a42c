package tui

import (
	"github.com/rivo/tview"
)

// layout sizes the panes for the screen width and the pane last focused
// on the main page: that pane gets the wider share, and the bottom shows
// the session summary (sessions) or the event (timeline, fields, hex).
func (a *App) layout(width int) {
	hexWidth := 41 // 8 bytes a line
	if width >= 74+46 {
		hexWidth = 74 // 16 bytes a line
	}
	a.eventFlex.ResizeItem(a.hex, hexWidth, 0)
	switch a.lastMain {
	case a.sessions, a.summary:
		a.top.ResizeItem(a.sessions, 0, 2).ResizeItem(a.timeline, 0, 1)
		if name, _ := a.bottom.GetFrontPage(); name != "summary" {
			a.bottom.SwitchToPage("summary")
		}
	default:
		a.top.ResizeItem(a.sessions, 0, 1).ResizeItem(a.timeline, 0, 2)
		if name, _ := a.bottom.GetFrontPage(); name != "event" {
			a.bottom.SwitchToPage("event")
		}
	}
}

// focus moves the focus to a view.
func (a *App) focus(v view) {
	a.app.SetFocus(v)
}

// focusChanged notes the focused view; the next draw arranges the screen
// around it (see layout). Arranging now would move panes under a mouse
// click still being delivered.
func (a *App) focusChanged(v view) {
	switch v {
	case a.sessions, a.summary, a.timeline, a.fields, a.hex:
		a.lastMain = v
	case a.findings, a.findingDetail:
		a.lastFind = v
	}
}

func (a *App) focusedView() view {
	f := a.app.GetFocus()
	for _, v := range append(a.allViews(), a.help) {
		if tview.Primitive(v) == f {
			return v
		}
	}
	return nil
}

func (a *App) cyclePane(d int) {
	cycle := a.mainCycle()
	if a.page == pageFindings {
		cycle = a.findCycle()
	} else if a.page != pageMain {
		return
	}
	cur := a.focusedView()
	i := 0
	for j, v := range cycle {
		if v == cur {
			i = j
		}
	}
	a.focus(cycle[(i+d+len(cycle))%len(cycle)])
}

func (a *App) showPage(name string) {
	a.page = name
	a.pages.SwitchToPage(name)
	switch name {
	case pageMain:
		a.focus(a.lastMain)
	case pageFindings:
		a.findings.show(a.store.Findings(a.filter))
		a.findingDetail.setLines(findingDetail(a.theme, a.findings.ref()))
		a.focus(a.lastFind)
	case pageHelp:
		a.focus(a.help)
	}
}

func (a *App) toggleFindings() {
	if a.page == pageFindings {
		a.showPage(pageMain)
		return
	}
	a.showPage(pageFindings)
}

// openFinding goes to the selected finding's session, on the event of the
// first frame it names there.
func (a *App) openFinding() {
	r := a.findings.ref()
	if r == nil {
		return
	}
	a.showPage(pageMain)
	if !a.sessions.selectKey(r.Entry.Session.ID) {
		return
	}
	// The first of the finding's frames that the session's timeline has
	// (a finding across sessions also names frames of other sessions).
	s := r.Entry.Session
find:
	for _, n := range r.Finding.Frames {
		for i, ev := range s.Timeline {
			if ev.Frame == n && ev.Input == s.Input {
				a.timeline.selectIndex(i)
				break find
			}
		}
	}
	a.focus(a.timeline)
}

func (a *App) openHelp() {
	if a.page == pageHelp {
		a.closeHelp()
		return
	}
	a.helpReturn, a.helpFocus = a.page, a.app.GetFocus()
	views := []view{a.sessions, a.summary, a.timeline, a.fields, a.hex, a.findings, a.findingDetail, a.help}
	a.help.setLines(helpLines(a.theme, a.keys, a.globalBindings(), views, a.opts.KeyFile))
	a.page = pageHelp
	a.pages.SwitchToPage(pageHelp)
	a.focus(a.help)
}

func (a *App) closeHelp() {
	a.page = a.helpReturn
	a.pages.SwitchToPage(a.helpReturn)
	if a.helpFocus != nil {
		a.app.SetFocus(a.helpFocus)
	}
}
