package keymap

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

func TestParseCanonical(t *testing.T) {
	cases := map[string]Key{
		"j":         "j",
		"G":         "G",
		"/":         "/",
		"?":         "?",
		"enter":     "Enter",
		"Return":    "Enter",
		"esc":       "Esc",
		"Escape":    "Esc",
		"tab":       "Tab",
		"Shift-Tab": "Backtab",
		"pgdn":      "PgDn",
		"PageUp":    "PgUp",
		"ctrl-f":    "Ctrl-F",
		"Ctrl+b":    "Ctrl-B",
		"alt-x":     "Alt-x",
		"Shift-Up":  "Shift-Up",
		"Ctrl-Up":   "Ctrl-Up",
		"space":     " ",
		"F1":        "F1",
	}
	for in, want := range cases {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "ctrl-", "hyper-x", "Shift-g", "Ctrl-1", "notakey", "\x01"} {
		if k, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %q, want an error", bad, k)
		}
	}
}

// Events as tcell builds them from terminal input must land on the same
// Key as the written form.
func TestOfEventMatchesParse(t *testing.T) {
	cases := []struct {
		ev   *tcell.EventKey
		want string
	}{
		{tcell.NewEventKey(tcell.KeyRune, 'j', tcell.ModNone), "j"},
		{tcell.NewEventKey(tcell.KeyRune, 'G', tcell.ModShift), "G"},
		{tcell.NewEventKey(tcell.KeyRune, 0x06, tcell.ModNone), "Ctrl-F"}, // byte 0x06 from a terminal
		{tcell.NewEventKey(tcell.KeyCtrlB, 0, tcell.ModCtrl), "ctrl-b"},
		{tcell.NewEventKey(tcell.KeyRune, '\t', tcell.ModNone), "Tab"},
		{tcell.NewEventKey(tcell.KeyRune, '\r', tcell.ModNone), "Enter"},
		{tcell.NewEventKey(tcell.KeyEsc, 0, tcell.ModNone), "Esc"},
		{tcell.NewEventKey(tcell.KeyBacktab, 0, tcell.ModShift), "Shift-Tab"},
		{tcell.NewEventKey(tcell.KeyUp, 0, tcell.ModNone), "Up"},
		{tcell.NewEventKey(tcell.KeyUp, 0, tcell.ModShift), "Shift-Up"},
		{tcell.NewEventKey(tcell.KeyRune, 'x', tcell.ModAlt), "Alt-x"},
		{tcell.NewEventKey(tcell.KeyRune, ' ', tcell.ModNone), "Space"},
	}
	for _, c := range cases {
		want, err := Parse(c.want)
		if err != nil {
			t.Fatal(err)
		}
		if got := OfEvent(c.ev); got != want {
			t.Errorf("OfEvent(%s) = %q, want %q", c.ev.Name(), got, want)
		}
	}
}

func TestDefaultBindsEveryActionOnce(t *testing.T) {
	m := Default()
	seen := map[Key]Action{}
	for _, ai := range Actions() {
		ks := m.Keys(ai.Action)
		if len(ks) == 0 {
			t.Errorf("%s has no default key", ai.Action)
		}
		for _, k := range ks {
			if _, err := Parse(string(k)); err != nil && k != " " {
				t.Errorf("default key %q of %s does not parse: %v", k, ai.Action, err)
			}
			if prev, dup := seen[k]; dup {
				t.Errorf("key %s bound to %s and %s", k, prev, ai.Action)
			}
			seen[k] = ai.Action
		}
	}
	for key, want := range map[rune]Action{'j': Down, 'k': Up, 'g': Top, 'G': Bottom, '/': Filter, 'n': NextMatch, 'N': PrevMatch, '?': Help, ':': Command, 'q': Quit} {
		if a, ok := m.Lookup(tcell.NewEventKey(tcell.KeyRune, key, tcell.ModNone)); !ok || a != want {
			t.Errorf("%c -> %q, want %q", key, a, want)
		}
	}
	if a, _ := m.Lookup(tcell.NewEventKey(tcell.KeyTab, 0, tcell.ModNone)); a != NextPane {
		t.Errorf("Tab -> %q", a)
	}
}

func TestReadOverrides(t *testing.T) {
	m, err := Read(strings.NewReader(`{"down": ["Ctrl-N", "Down"], "up": ["Ctrl-P", "Up"], "quit": ["Q"]}`))
	if err != nil {
		t.Fatal(err)
	}
	look := func(ev *tcell.EventKey) Action { a, _ := m.Lookup(ev); return a }
	if a := look(tcell.NewEventKey(tcell.KeyCtrlN, 0, tcell.ModCtrl)); a != Down {
		t.Errorf("Ctrl-N -> %q", a)
	}
	if a := look(tcell.NewEventKey(tcell.KeyRune, 'j', tcell.ModNone)); a != "" {
		t.Errorf("j still bound to %q after rebinding down", a)
	}
	if a := look(tcell.NewEventKey(tcell.KeyRune, 'q', tcell.ModNone)); a != "" {
		t.Errorf("q still bound to %q", a)
	}
	if a := look(tcell.NewEventKey(tcell.KeyRune, 'Q', tcell.ModNone)); a != Quit {
		t.Errorf("Q -> %q", a)
	}
	if got := m.Describe(Down); got != "Ctrl-N, Down" {
		t.Errorf("Describe(down) = %q", got)
	}
	// Untouched actions keep their defaults.
	if got := m.Describe(Help); got != "?" {
		t.Errorf("Describe(help) = %q", got)
	}
}

func TestReadRejects(t *testing.T) {
	cases := map[string]string{
		`{"jump": ["x"]}`:                `unknown action "jump"`,
		`{"down": ["k"]}`:                `key k is bound to both "up" and "down"`,
		`{"down": ["nope-key"]}`:         `action "down"`,
		`{"quit": ["Ctrl-C"]}`:           `Ctrl-C always quits`,
		`["j"]`:                          `not a JSON object`,
		`{"down": "j"}`:                  `not a JSON object`,
		`{"help": ["x"], "quit": ["x"]}`: `key x is bound to both "help" and "quit"`,
	}
	for in, want := range cases {
		_, err := Read(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Read(%s) error = %v, want it to mention %q", in, err, want)
		}
	}
	big := `{"down": ["` + strings.Repeat("j", maxConfigBytes) + `"]}`
	if _, err := Read(strings.NewReader(big)); err == nil {
		t.Error("oversized key file accepted")
	}
}

func TestLoadUser(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv(EnvVar, "")
	m, path, err := LoadUser()
	if err != nil || path != "" || m.Describe(Quit) != "q" {
		t.Fatalf("no key file: %v %q %q", err, path, m.Describe(Quit))
	}
	writeFile(t, dir+"/sscope/keys.json", `{"quit": ["x"]}`)
	m, path, err = LoadUser()
	if err != nil || path != dir+"/sscope/keys.json" || m.Describe(Quit) != "x" {
		t.Fatalf("XDG key file: %v %q %q", err, path, m.Describe(Quit))
	}
	writeFile(t, dir+"/other.json", `{"quit": ["Z"]}`)
	t.Setenv(EnvVar, dir+"/other.json")
	m, path, err = LoadUser()
	if err != nil || path != dir+"/other.json" || m.Describe(Quit) != "Z" {
		t.Fatalf("$SSCOPE_KEYS: %v %q %q", err, path, m.Describe(Quit))
	}
	t.Setenv(EnvVar, dir+"/missing.json")
	if _, _, err := LoadUser(); err == nil {
		t.Fatal("a missing $SSCOPE_KEYS file must be an error")
	}
	writeFile(t, dir+"/bad.json", `{"down": ["k"]}`)
	t.Setenv(EnvVar, dir+"/bad.json")
	if _, _, err := LoadUser(); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Fatalf("bad key file: %v", err)
	}
}
