package tui

import (
	"github.com/rivo/tview"

	"github.com/sessionscope/sscope/tui/keymap"
)

// binding is what an action does in a view.
type binding struct {
	action keymap.Action
	help   string
	run    func()
}

// view is a component of the screen with its own key map.
type view interface {
	tview.Primitive
	// name titles the view's section of the help screen.
	name() string
	bindings() []binding
}

// run runs the view's binding for an action; it reports whether there was
// one.
func runBinding(v view, a keymap.Action) bool {
	for _, b := range v.bindings() {
		if b.action == a {
			b.run()
			return true
		}
	}
	return false
}

// listBindings are the movement keys of a list.
func listBindings(l *list, what string) []binding {
	return []binding{
		{keymap.Up, "previous " + what, l.up},
		{keymap.Down, "next " + what, l.down},
		{keymap.Top, "first " + what, l.first},
		{keymap.Bottom, "last " + what, l.last},
		{keymap.PageUp, "one page up", l.pageUp},
		{keymap.PageDown, "one page down", l.pageDown},
	}
}

// scrollBindings are the movement keys of a text pane.
func scrollBindings(p *textPane) []binding {
	return []binding{
		{keymap.Up, "scroll up", p.up},
		{keymap.Down, "scroll down", p.down},
		{keymap.Top, "top", p.first},
		{keymap.Bottom, "bottom", p.last},
		{keymap.PageUp, "one page up", p.pageUp},
		{keymap.PageDown, "one page down", p.pageDown},
	}
}
