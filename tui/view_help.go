package tui

import (
	"fmt"
	"strings"

	"github.com/sessionscope/sscope/tui/keymap"
	"github.com/sessionscope/sscope/tui/model"
)

// helpView lists every key, per view, as the key map binds them, and the
// commands and filter syntax.
type helpView struct {
	*textPane
	close func()
}

func newHelpView(t *theme) *helpView {
	v := &helpView{textPane: newTextPane(t)}
	v.SetTitle(" Help ")
	return v
}

func (v *helpView) name() string { return "Help" }

func (v *helpView) bindings() []binding {
	return append(scrollBindings(v.textPane),
		binding{keymap.Back, "close the help", func() { v.close() }},
		binding{keymap.Help, "close the help", func() { v.close() }},
	)
}

// helpLines writes the help: global keys, then each view's keys, then
// commands and the filter fields.
func helpLines(t *theme, keys *keymap.Map, global []binding, views []view, keyFile string) []textLine {
	var out []textLine
	line := func(k, what string) {
		out = append(out, textLine{text: fmt.Sprintf("  %-16s %s", k, what), style: t.normal, indent: 19})
	}
	out = append(out, textLine{text: "Keys (every key is listed; remap them in " + keyFile + ")", style: t.title, indent: 2})
	out = append(out, heading(t, "Everywhere"))
	for _, b := range global {
		line(keys.Describe(b.action), b.help)
	}
	line(string(keymap.Reserved), "quit (always)")
	line("mouse", "click selects and focuses, double click drills in, wheel scrolls")
	for _, v := range views {
		out = append(out, heading(t, v.name()))
		for _, b := range v.bindings() {
			line(keys.Describe(b.action), b.help)
		}
	}
	out = append(out, heading(t, "Commands (type "+keys.Describe(keymap.Command)+" then the command, Enter runs it, Esc cancels)"))
	for _, c := range commandHelp {
		line(c[0], c[1])
	}
	out = append(out, heading(t, "Filter (type "+keys.Describe(keymap.Filter)+", the list follows as you type, Enter keeps it, Esc restores)"))
	out = append(out, textLine{text: "  Words must all match (case-insensitive, anywhere in the session's identity, MAC, IP, kind, verdict, outcome, finding IDs, client). field:word matches one field, !word excludes. Fields: " + strings.Join(model.Fields(), ", ") + ". Examples: refused, kind:peap, mac:02-00-5e, finding:tls-resumption-refused, !outcome:success.", style: t.normal, indent: 2})
	out = append(out, textLine{text: fmt.Sprintf("  %s / %s step through the sessions passing the filter (in the findings view, through the findings).", keys.Describe(keymap.NextMatch), keys.Describe(keymap.PrevMatch)), style: t.normal, indent: 2})
	return out
}
