package keymap

// Action is something the user can ask of the UI. What it does depends on
// the view with focus (see the views' key maps).
type Action string

// The actions, in the order help lists them.
const (
	Up        Action = "up"
	Down      Action = "down"
	Top       Action = "top"
	Bottom    Action = "bottom"
	PageUp    Action = "page-up"
	PageDown  Action = "page-down"
	NextPane  Action = "next-pane"
	PrevPane  Action = "prev-pane"
	Enter     Action = "enter"
	Back      Action = "back"
	Filter    Action = "filter"
	NextMatch Action = "next-match"
	PrevMatch Action = "prev-match"
	Findings  Action = "findings"
	Help      Action = "help"
	Command   Action = "command"
	Quit      Action = "quit"
)

// ActionInfo describes an action for help screens and error messages.
type ActionInfo struct {
	Action      Action
	Description string
	Default     []Key
}

var actions = []ActionInfo{
	{Up, "move up", []Key{"Up", "k"}},
	{Down, "move down", []Key{"Down", "j"}},
	{Top, "go to the first line", []Key{"g", "Home"}},
	{Bottom, "go to the last line", []Key{"G", "End"}},
	{PageUp, "one page up", []Key{"PgUp", "Ctrl-B"}},
	{PageDown, "one page down", []Key{"PgDn", "Ctrl-F"}},
	{NextPane, "next pane", []Key{"Tab"}},
	{PrevPane, "previous pane", []Key{"Backtab"}},
	{Enter, "drill in", []Key{"Enter"}},
	{Back, "go back", []Key{"Esc"}},
	{Filter, "filter sessions", []Key{"/"}},
	{NextMatch, "next match", []Key{"n"}},
	{PrevMatch, "previous match", []Key{"N"}},
	{Findings, "findings view", []Key{"f"}},
	{Help, "help (this screen)", []Key{"?"}},
	{Command, "command bar", []Key{":"}},
	{Quit, "quit", []Key{"q"}},
}

// Actions lists every action with its description and default keys.
func Actions() []ActionInfo {
	out := make([]ActionInfo, len(actions))
	copy(out, actions)
	return out
}

func known(a Action) bool {
	for _, ai := range actions {
		if ai.Action == a {
			return true
		}
	}
	return false
}
