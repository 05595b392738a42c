package tui

import (
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/uniseg"
)

// textWidth is how many cells text takes.
func textWidth(s string) int { return uniseg.StringWidth(s) }

// drawText draws text at (x, y) in at most width cells and returns the
// cells used. Text that does not fit ends in "…". Control characters are
// drawn as '?': capture contents never move the cursor.
func drawText(screen tcell.Screen, x, y, width int, text string, style tcell.Style) int {
	if width <= 0 {
		return 0
	}
	full := textWidth(text)
	limit := width
	if full > width {
		limit = width - 1 // room for the ellipsis
	}
	used := 0
	g := uniseg.NewGraphemes(text)
	for g.Next() {
		w := g.Width()
		if used+w > limit {
			break
		}
		runes := g.Runes()
		if len(runes) == 0 {
			continue
		}
		main, comb := runes[0], runes[1:]
		if main < ' ' || main == 0x7f || (main >= 0x80 && main < 0xa0) {
			main, comb, w = '?', nil, 1
		}
		if w == 0 {
			continue
		}
		screen.SetContent(x+used, y, main, comb, style)
		for i := 1; i < w; i++ {
			screen.SetContent(x+used+i, y, ' ', nil, style)
		}
		used += w
	}
	if full > width {
		screen.SetContent(x+used, y, '…', nil, style)
		used++
	}
	return used
}

// fill paints width cells at (x, y) with spaces in style.
func fill(screen tcell.Screen, x, y, width int, style tcell.Style) {
	for i := 0; i < width; i++ {
		screen.SetContent(x+i, y, ' ', nil, style)
	}
}

// wrap breaks text into lines of at most width cells, at spaces where it
// can, hard where a word is longer than a line. Continuation lines are
// indented by indent cells (the indent is included in the width).
func wrap(text string, width, indent int) []string {
	if width <= 0 {
		return nil
	}
	if indent >= width {
		indent = 0
	}
	var lines []string
	pad := ""
	for text != "" {
		avail := width - textWidth(pad)
		if textWidth(text) <= avail {
			lines = append(lines, pad+text)
			break
		}
		cut, lastSpace, used := 0, -1, 0
		g := uniseg.NewGraphemes(text)
		for g.Next() {
			w := g.Width()
			if used+w > avail {
				break
			}
			start, end := g.Positions()
			if g.Str() == " " {
				lastSpace = start
			}
			used += w
			cut = end
		}
		if cut == 0 {
			// Not even one grapheme fits: take one anyway.
			g := uniseg.NewGraphemes(text)
			g.Next()
			_, cut = g.Positions()
		}
		if lastSpace > 0 && cut < len(text) && text[cut] != ' ' {
			cut = lastSpace
		}
		lines = append(lines, pad+strings.TrimRight(text[:cut], " "))
		text = strings.TrimLeft(text[cut:], " ")
		pad = strings.Repeat(" ", indent)
	}
	return lines
}
