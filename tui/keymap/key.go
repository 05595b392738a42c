package keymap

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
)

// Key is a key in its canonical written form: "j", "G", "Enter",
// "Ctrl-F", "Alt-x", "Shift-Up".
type Key string

// keysByName maps lower-case key names (tcell's, and common aliases) to
// tcell keys.
var keysByName = func() map[string]tcell.Key {
	m := make(map[string]tcell.Key, len(tcell.KeyNames)+16)
	for k, name := range tcell.KeyNames {
		m[strings.ToLower(name)] = k
	}
	for alias, k := range map[string]tcell.Key{
		"escape":    tcell.KeyEsc,
		"return":    tcell.KeyEnter,
		"pagedown":  tcell.KeyPgDn,
		"pgdown":    tcell.KeyPgDn,
		"pageup":    tcell.KeyPgUp,
		"shift-tab": tcell.KeyBacktab,
		"del":       tcell.KeyDelete,
		"ins":       tcell.KeyInsert,
	} {
		m[alias] = k
	}
	return m
}()

// Parse reads a key as a user writes it. Names are case-insensitive
// ("enter", "ctrl-f"); a single character is taken as is ("G" is not
// "g"). "Space" is the space bar.
func Parse(s string) (Key, error) {
	if s == "" {
		return "", fmt.Errorf("empty key")
	}
	if utf8.RuneCountInString(s) == 1 {
		r, _ := utf8.DecodeRuneInString(s)
		if r < ' ' || r == 0x7f {
			return "", fmt.Errorf("key %q: control characters are written as Ctrl-X", s)
		}
		return Key(s), nil
	}
	lower := strings.ToLower(s)
	if lower == "space" {
		return " ", nil
	}
	if k, ok := keysByName[lower]; ok {
		return canonical(k, 0, 0), nil
	}
	// Modifiers: Ctrl-, Alt-, Shift- (also with '+').
	var mod tcell.ModMask
	rest := s
	for {
		l := strings.ToLower(rest)
		switch {
		case hasModPrefix(l, "ctrl"):
			mod |= tcell.ModCtrl
			rest = rest[5:]
			continue
		case hasModPrefix(l, "alt"):
			mod |= tcell.ModAlt
			rest = rest[4:]
			continue
		case hasModPrefix(l, "meta"):
			mod |= tcell.ModAlt
			rest = rest[5:]
			continue
		case hasModPrefix(l, "shift"):
			mod |= tcell.ModShift
			rest = rest[6:]
			continue
		}
		break
	}
	if mod == 0 || rest == "" {
		return "", fmt.Errorf("key %q: not a key name (examples: j, G, Enter, Esc, Tab, PgDn, Ctrl-F, Alt-x)", s)
	}
	if utf8.RuneCountInString(rest) == 1 {
		r, _ := utf8.DecodeRuneInString(rest)
		if mod&tcell.ModCtrl != 0 {
			up := r
			if up >= 'a' && up <= 'z' {
				up -= 'a' - 'A'
			}
			if up >= 'A' && up <= 'Z' {
				return canonical(tcell.KeyCtrlA+tcell.Key(up-'A'), mod&^tcell.ModCtrl, 0), nil
			}
			switch r {
			case ' ', '@':
				return canonical(tcell.KeyCtrlSpace, mod&^tcell.ModCtrl, 0), nil
			}
			return "", fmt.Errorf("key %q: Ctrl only combines with letters", s)
		}
		if mod&tcell.ModShift != 0 {
			return "", fmt.Errorf("key %q: write the shifted character itself (e.g. G, not Shift-g)", s)
		}
		return canonical(tcell.KeyRune, mod, r), nil
	}
	k, ok := keysByName[strings.ToLower(rest)]
	if !ok {
		return "", fmt.Errorf("key %q: %q is not a key name", s, rest)
	}
	return canonical(k, mod, 0), nil
}

func hasModPrefix(l, mod string) bool {
	return len(l) > len(mod)+1 && strings.HasPrefix(l, mod) && (l[len(mod)] == '-' || l[len(mod)] == '+')
}

// OfEvent returns the canonical Key of a key press.
func OfEvent(ev *tcell.EventKey) Key {
	return canonical(ev.Key(), ev.Modifiers(), ev.Rune())
}

// canonical writes a key with its modifiers: "Alt-" then "Ctrl-" then
// "Shift-" before the name. A rune's Shift is part of the rune ("G").
func canonical(k tcell.Key, mod tcell.ModMask, r rune) Key {
	if k == tcell.KeyRune {
		if mod&tcell.ModAlt != 0 {
			return Key("Alt-" + string(r))
		}
		return Key(string(r))
	}
	if k < ' ' {
		switch k {
		case tcell.KeyTab, tcell.KeyEnter, tcell.KeyEsc, tcell.KeyBackspace:
		default:
			// A raw control code (0x06) is the Ctrl key it was typed with.
			k = tcell.KeyCtrlSpace + k
		}
	}
	name, ok := tcell.KeyNames[k]
	if !ok {
		name = fmt.Sprintf("Key%d", int(k))
	}
	var b strings.Builder
	if mod&tcell.ModAlt != 0 {
		b.WriteString("Alt-")
	}
	if mod&tcell.ModCtrl != 0 && !strings.HasPrefix(name, "Ctrl-") {
		b.WriteString("Ctrl-")
	}
	if mod&tcell.ModShift != 0 && k != tcell.KeyBacktab {
		b.WriteString("Shift-")
	}
	b.WriteString(name)
	return Key(b.String())
}

// String returns the key as help screens show it ("Space" for " ").
func (k Key) String() string {
	if k == " " {
		return "Space"
	}
	return string(k)
}
