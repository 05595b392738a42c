package tui

import (
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// statusPart is one item of the status line; when the line is too narrow
// the items of lowest priority give way first.
type statusPart struct {
	text string
	prio int
}

// statusBar is the one-line status: what is read and how far, sessions,
// filter, drop counters of a live capture; on the right a message or key
// hints.
type statusBar struct {
	*tview.Box
	theme *theme
	parts []statusPart
	// hints are key hints from the longest to the shortest; the longest
	// that fits is shown when there is no message.
	hints   []string
	message string
	err     bool
}

const statusSep = " │ "

func newStatusBar(t *theme) *statusBar {
	return &statusBar{Box: tview.NewBox(), theme: t}
}

// fit returns the parts that fit in width, in their order.
func fitParts(parts []statusPart, width int) string {
	keep := append([]statusPart(nil), parts...)
	join := func() string {
		s := make([]string, len(keep))
		for i, p := range keep {
			s[i] = p.text
		}
		return strings.Join(s, statusSep)
	}
	for len(keep) > 1 && textWidth(join()) > width {
		low := 0
		for i, p := range keep {
			if p.prio < keep[low].prio {
				low = i
			}
		}
		keep = append(keep[:low], keep[low+1:]...)
	}
	return join()
}

func (b *statusBar) Draw(screen tcell.Screen) {
	x, y, width, _ := b.GetRect()
	style := b.theme.status
	fill(screen, x, y, width, style)
	right, rs := "", style
	full := fitParts(b.parts, 1<<30)
	switch {
	case b.message != "":
		right, rs = b.message, b.theme.statusMsg
		if b.err {
			rs = b.theme.statusErr
		}
	case len(b.hints) > 0:
		right = b.hints[len(b.hints)-1]
		for _, h := range b.hints {
			if textWidth(full)+textWidth(h)+4 <= width {
				right = h
				break
			}
		}
	}
	rw := 0
	if right != "" {
		rw = min(textWidth(right)+2, max(width-20, width/2))
		drawText(screen, x+width-rw+1, y, rw-2, right, rs)
	}
	avail := width - rw - 2
	drawText(screen, x+1, y, avail, fitParts(b.parts, avail), style)
}
