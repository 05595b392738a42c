package tui

import (
	"fmt"

	"github.com/gdamore/tcell/v2"

	"github.com/sessionscope/sscope/tui/keymap"
	"github.com/sessionscope/sscope/tui/model"
)

// openPrompt opens the command bar (':') or the filter bar ('/').
func (a *App) openPrompt(kind rune) {
	a.promptKind = kind
	a.promptBack = a.app.GetFocus()
	a.promptPrev = a.filter
	a.prompt.SetLabel(string(kind))
	if kind == '/' {
		a.prompt.SetText(a.filter.String())
	} else {
		a.prompt.SetText("")
	}
	a.line.SwitchToPage("prompt")
	a.app.SetFocus(a.prompt)
}

func (a *App) closePrompt() {
	a.line.SwitchToPage("status")
	if a.promptBack != nil {
		a.app.SetFocus(a.promptBack)
	}
	a.updateStatus()
}

func (a *App) promptChanged(text string) {
	if a.promptKind == '/' && a.app.GetFocus() == a.prompt {
		a.applyFilter(model.ParseFilter(text))
	}
}

func (a *App) promptDone(key tcell.Key) {
	switch key {
	case tcell.KeyEnter:
		text := a.prompt.GetText()
		kind := a.promptKind
		a.closePrompt()
		if kind == ':' {
			a.runCommand(text)
		} else {
			a.applyFilter(model.ParseFilter(text))
			a.filterMessage()
		}
	case tcell.KeyEscape:
		if a.promptKind == '/' {
			a.applyFilter(a.promptPrev)
		}
		a.closePrompt()
	}
}

func (a *App) filterMessage() {
	if a.filter.Empty() {
		return
	}
	n := 0
	for _, r := range a.sessions.rows {
		if r.Entry != nil {
			n++
		}
	}
	verb := "pass"
	if n == 1 {
		verb = "passes"
	}
	a.say(fmt.Sprintf("%d session%s %s the filter; %s/%s step through them", n, plural(n), verb, a.keys.Describe(keymap.NextMatch), a.keys.Describe(keymap.PrevMatch)), n == 0)
}

func (a *App) applyFilter(f model.Filter) {
	a.filter = f
	a.refreshSessions()
	a.updateStatus()
}

func (a *App) clearFilter() {
	if a.filter.Empty() {
		return
	}
	a.applyFilter(model.Filter{})
	a.say("filter cleared", false)
}
