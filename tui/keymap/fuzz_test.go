package keymap

import (
	"strings"
	"testing"
)

// FuzzRead: any key file is read or rejected, never half-applied: a map
// that is returned binds every key to exactly one action.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		`{"down": ["j", "Down", "Ctrl-N"], "quit": ["q", "Ctrl-Q"]}`,
		`{"up": ["Ctrl-P", "Up"], "help": ["F1", "?"], "filter": ["Ctrl-S"]}`,
		`{"next-pane": ["Tab", "Ctrl-W"], "prev-pane": ["Shift-Tab"], "enter": ["Enter", "l"], "back": ["Esc", "h"]}`,
		`{"command": [":", "Alt-x"], "findings": ["F"], "top": ["Home"], "bottom": ["End"]}`,
		`{"page-down": ["PgDn", "Space"], "page-up": ["PgUp", "b"]}`,
		`{}`, `{"down": []}`, `[]`, `{"down": "j"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		m, err := Read(strings.NewReader(data))
		if err != nil {
			return
		}
		seen := map[Key]Action{}
		for _, ai := range Actions() {
			for _, k := range m.Keys(ai.Action) {
				if k == Reserved {
					t.Fatalf("%s bound to the reserved key", ai.Action)
				}
				if prev, dup := seen[k]; dup {
					t.Fatalf("key %q bound to %s and %s", k, prev, ai.Action)
				}
				seen[k] = ai.Action
				if got := m.byKey[k]; got != ai.Action {
					t.Fatalf("key %q: byKey says %s, byAction %s", k, got, ai.Action)
				}
			}
		}
		if len(seen) != len(m.byKey) {
			t.Fatalf("%d keys by action, %d by key", len(seen), len(m.byKey))
		}
	})
}

// FuzzParse: a key that parses has one written form that parses to itself.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"j", "G", "Ctrl-F", "ctrl+b", "Alt-x", "Shift-Up", "PgDn", "Space", "Escape", "Shift-Tab", "F12", "é"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(k.String())
		if err != nil || again != k {
			t.Fatalf("Parse(%q) = %q, which parses to %q, %v", s, k, again, err)
		}
	})
}
