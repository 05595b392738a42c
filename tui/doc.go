// Package tui is the terminal UI of sscope ("sscope tui"): a tview/tcell
// application over the session model of correlate/report.
//
// The screen: on the left the clients and their sessions (kind, identity,
// outcome, handshake verdict, findings, coloured by severity); on the right
// the selected session's timeline; below, the selected session's summary,
// or the selected event's decoded fields and its frame's hex dump; a
// findings view; a help view; one status line that doubles as the command
// and filter bar.
//
// Each view is a small component with its own key map (see keymap for the
// keys, which the user may remap); App is the one place that knows the
// whole screen: layout, focus, the command bar and what each view shows.
// The views hold no analysis: sessions, verdicts and findings come from
// correlate and rules through a Source, which delivers sessions as they
// close, so a large file can be browsed while it is still being read and a
// live capture (a stream of sessions) appends to the list without moving
// the user's selection.
package tui
