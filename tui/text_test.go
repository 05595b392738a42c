package tui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

func TestWrap(t *testing.T) {
	cases := []struct {
		text          string
		width, indent int
		want          []string
	}{
		{"short", 20, 2, []string{"short"}},
		{"the quick brown fox jumps over the lazy dog", 16, 2, []string{"the quick brown", "  fox jumps over", "  the lazy dog"}},
		{"abcdefghijklmnopqrstuvwxyz", 10, 4, []string{"abcdefghij", "    klmnop", "    qrstuv", "    wxyz"}},
		{"naïve → café", 6, 0, []string{"naïve", "→ café"}},
		{"x", 0, 0, nil},
		{"hang", 3, 5, []string{"han", "g"}}, // an indent wider than the line is dropped
	}
	for _, c := range cases {
		got := wrap(c.text, c.width, c.indent)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %d, %d) = %q, want %q", c.text, c.width, c.indent, got, c.want)
		}
		for _, l := range got {
			if textWidth(l) > c.width {
				t.Errorf("wrap(%q, %d): line %q too wide", c.text, c.width, l)
			}
		}
	}
}

// Text is cut with an ellipsis; control characters from a capture never
// reach the terminal.
func TestDrawText(t *testing.T) {
	sim := tcell.NewSimulationScreen("UTF-8")
	if err := sim.Init(); err != nil {
		t.Fatal(err)
	}
	sim.SetSize(20, 3)
	row := func(y int) string {
		sim.Show()
		cells, w, _ := sim.GetContents()
		var b strings.Builder
		for x := 0; x < w; x++ {
			if r := cells[y*w+x].Runes; len(r) > 0 {
				b.WriteString(string(r))
			}
		}
		return strings.TrimRight(b.String(), " ")
	}
	if n := drawText(sim, 0, 0, 8, "tls-resumption-refused", tcell.StyleDefault); n != 8 || row(0) != "tls-res…" {
		t.Errorf("cut: %d %q", n, row(0))
	}
	drawText(sim, 0, 1, 20, "bad\x1b[2Jname\x07", tcell.StyleDefault)
	if got := row(1); got != "bad?[2Jname?" {
		t.Errorf("control characters: %q", got)
	}
	drawText(sim, 0, 2, 5, "日本語です", tcell.StyleDefault)
	if got := row(2); got != "日本…" {
		t.Errorf("wide: %q", got)
	}
}
