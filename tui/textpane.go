package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// textLine is one logical line of a text pane. Lines wider than the pane
// wrap, continuation lines indented by indent cells.
type textLine struct {
	text   string
	style  tcell.Style
	indent int
}

// textPane shows lines that the user scrolls. Its content may depend on
// the width (a hex dump does): content is asked for at every draw.
type textPane struct {
	*tview.Box
	theme   *theme
	content func(width int) []textLine
	top     int
	// lastHeight and lastLines remember the last layout, for scrolling.
	lastHeight, lastLines int
	focused               func()
}

func newTextPane(t *theme) *textPane {
	p := &textPane{Box: tview.NewBox(), theme: t, content: func(int) []textLine { return nil }}
	p.SetBorder(true)
	p.SetFocusFunc(func() {
		if p.focused != nil {
			p.focused()
		}
	})
	return p
}

// setLines shows fixed lines and scrolls back to the top.
func (p *textPane) setLines(lines []textLine) {
	p.content = func(int) []textLine { return lines }
	p.top = 0
}

// setLinesKeep shows fixed lines where the user had scrolled to.
func (p *textPane) setLinesKeep(lines []textLine) {
	p.content = func(int) []textLine { return lines }
}

// setContent shows width-dependent content and scrolls back to the top.
func (p *textPane) setContent(f func(width int) []textLine) {
	p.content = f
	p.top = 0
}

func (p *textPane) scroll(d int) {
	p.top = max(0, min(p.top+d, p.lastLines-p.lastHeight))
}

func (p *textPane) up()       { p.scroll(-1) }
func (p *textPane) down()     { p.scroll(1) }
func (p *textPane) first()    { p.top = 0 }
func (p *textPane) last()     { p.top = max(0, p.lastLines-p.lastHeight) }
func (p *textPane) pageUp()   { p.scroll(-max(1, p.lastHeight-1)) }
func (p *textPane) pageDown() { p.scroll(max(1, p.lastHeight-1)) }

// Draw draws the visible lines; a last line says when more follow.
func (p *textPane) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	x, y, width, height := p.GetInnerRect()
	if width <= 0 || height <= 0 {
		return
	}
	// Styles per wrapped line: wrap each logical line on its own.
	type styled struct {
		text  string
		style tcell.Style
	}
	var lines []styled
	for _, l := range p.content(width) {
		if l.text == "" {
			lines = append(lines, styled{"", l.style})
			continue
		}
		for _, w := range wrap(l.text, width, l.indent) {
			lines = append(lines, styled{w, l.style})
		}
	}
	p.lastHeight, p.lastLines = height, len(lines)
	p.top = max(0, min(p.top, len(lines)-height))
	for i := 0; i < height && p.top+i < len(lines); i++ {
		l := lines[p.top+i]
		drawText(screen, x, y+i, width, l.text, l.style)
	}
	if p.top+height < len(lines) {
		more := " ▼ more "
		drawText(screen, x+width-textWidth(more), y+height, textWidth(more), more, p.theme.dim)
	}
}

// MouseHandler focuses the pane on a click and scrolls with the wheel.
func (p *textPane) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (consumed bool, capture tview.Primitive) {
	return p.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		if !p.InRect(event.Position()) {
			return false, nil
		}
		switch action {
		case tview.MouseLeftDown, tview.MouseLeftClick:
			setFocus(p)
			return true, nil
		case tview.MouseScrollUp:
			p.scroll(-3)
			return true, nil
		case tview.MouseScrollDown:
			p.scroll(3)
			return true, nil
		}
		return false, nil
	})
}
