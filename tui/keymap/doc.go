// Package keymap binds keys to the terminal UI's actions and reads the
// user's remapping from a JSON file (~/.config/sscope/keys.json, or the
// file $SSCOPE_KEYS names).
//
// Keys are written the way tcell names them: a single character ("j",
// "G", "/", "?"), a named key ("Enter", "Esc", "Tab", "Backtab", "Up",
// "PgDn", "Home", "F1"), optionally with modifiers ("Ctrl-F", "Alt-x",
// "Shift-Up"). A map binds each key to at most one action; what an action
// does depends on the view that has focus, which is the views' business,
// not this package's. It knows nothing about sessions or reports.
package keymap
