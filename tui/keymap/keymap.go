package keymap

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gdamore/tcell/v2"
)

// Reserved is the key that always quits, whatever the map says.
const Reserved Key = "Ctrl-C"

// Map binds keys to actions; each key to at most one action.
type Map struct {
	byKey    map[Key]Action
	byAction map[Action][]Key
}

// Default returns the built-in bindings: vim/less habits (j/k, g/G, /, n/N,
// ?, :, q) beside the arrow and page keys.
func Default() *Map {
	m := &Map{byKey: make(map[Key]Action), byAction: make(map[Action][]Key)}
	for _, ai := range actions {
		for _, k := range ai.Default {
			m.byKey[k] = ai.Action
		}
		m.byAction[ai.Action] = append([]Key(nil), ai.Default...)
	}
	return m
}

// Lookup returns the action bound to a key press.
func (m *Map) Lookup(ev *tcell.EventKey) (Action, bool) {
	a, ok := m.byKey[OfEvent(ev)]
	return a, ok
}

// Keys returns the keys bound to an action, in the order they were given.
func (m *Map) Keys(a Action) []Key {
	return append([]Key(nil), m.byAction[a]...)
}

// Describe writes the keys of an action for help and hints ("j, Down"),
// or "unbound".
func (m *Map) Describe(a Action) string {
	ks := m.byAction[a]
	if len(ks) == 0 {
		return "unbound"
	}
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = k.String()
	}
	return strings.Join(s, ", ")
}

// First returns the first key bound to an action, or "" when none.
func (m *Map) First(a Action) Key {
	if ks := m.byAction[a]; len(ks) > 0 {
		return ks[0]
	}
	return ""
}

// Bind replaces the keys of action a. A key already bound to another
// action is an error, unless that action is also rebound later by the
// caller; Override applies a whole set of changes at once.
func (m *Map) Bind(a Action, keys []Key) error {
	return m.Override(map[Action][]Key{a: keys})
}

// Override replaces the keys of each action named in changes; actions not
// named keep their keys. The result must bind every key to one action.
func (m *Map) Override(changes map[Action][]Key) error {
	next := make(map[Action][]Key, len(m.byAction))
	for a, ks := range m.byAction {
		next[a] = ks
	}
	names := make([]string, 0, len(changes))
	for a := range changes {
		names = append(names, string(a))
	}
	sort.Strings(names)
	for _, name := range names {
		a := Action(name)
		if !known(a) {
			return fmt.Errorf("unknown action %q (actions: %s)", a, actionNames())
		}
		for _, k := range changes[a] {
			if k == Reserved {
				return fmt.Errorf("action %q: %s always quits and cannot be bound", a, Reserved)
			}
		}
		next[a] = dedupeKeys(changes[a])
	}
	byKey := make(map[Key]Action)
	// Walk actions in a fixed order so that conflicts are reported the
	// same way every time.
	for _, ai := range actions {
		for _, k := range next[ai.Action] {
			if other, dup := byKey[k]; dup {
				return fmt.Errorf("key %s is bound to both %q and %q", k, other, ai.Action)
			}
			byKey[k] = ai.Action
		}
	}
	m.byKey, m.byAction = byKey, next
	return nil
}

func dedupeKeys(ks []Key) []Key {
	out := make([]Key, 0, len(ks))
	seen := make(map[Key]bool, len(ks))
	for _, k := range ks {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func actionNames() string {
	names := make([]string, len(actions))
	for i, ai := range actions {
		names[i] = string(ai.Action)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
