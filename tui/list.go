package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// column describes one column of a list: its width bounds and what gives
// way first when the pane is narrow.
type column struct {
	min, max int // max 0: no bound
	// shrink: columns with a higher value shrink first (down to min).
	shrink int
	// drop: when every column is at its minimum and still too wide,
	// columns with a higher value are hidden first; 0 never.
	drop int
}

// listRow is one line of a list: cells by column, or a header line that
// spans the width and cannot be selected.
type listRow struct {
	key    string // stable identity, to keep the selection across updates
	cells  []string
	header string
	style  tcell.Style
}

func (r *listRow) selectable() bool { return r.header == "" }

// list is a scrollable list of rows with one selected row. It draws itself
// and reacts to the mouse; keys reach it as actions from its view.
type list struct {
	*tview.Box
	theme *theme
	cols  []column
	rows  []listRow
	// natural holds each column's widest cell.
	natural []int
	sel     int // -1: nothing selectable
	top     int
	// lastClick is the row of the last click, -1 when the list was not
	// clicked last.
	lastClick int
	empty     string

	changed  func(i int) // the selection moved
	activate func(i int) // Enter or double click
	focused  func()      // got focus (click or keys)
}

func newList(t *theme, cols []column) *list {
	l := &list{Box: tview.NewBox(), theme: t, cols: cols, sel: -1, lastClick: -1}
	l.SetBorder(true)
	l.SetFocusFunc(func() {
		if l.focused != nil {
			l.focused()
		}
	})
	return l
}

// setRows replaces the rows. The selection stays on the row with the same
// key when there is one, at the same height on screen; else it moves to the
// nearest selectable row. It reports whether the selected row's key
// changed.
func (l *list) setRows(rows []listRow) bool {
	oldKey := l.selectedKey()
	oldScreen := l.sel - l.top
	l.rows = rows
	l.natural = make([]int, len(l.cols))
	for i := range rows {
		for c, text := range rows[i].cells {
			if c < len(l.natural) {
				l.natural[c] = max(l.natural[c], textWidth(text))
			}
		}
	}
	newSel := -1
	if oldKey != "" {
		for i := range rows {
			if rows[i].key == oldKey {
				newSel = i
				break
			}
		}
	}
	if newSel >= 0 {
		l.sel = newSel
		l.top = max(0, newSel-oldScreen)
	} else {
		l.sel = l.nearestSelectable(min(max(l.sel, 0), len(rows)-1), 1)
	}
	return l.selectedKey() != oldKey
}

func (l *list) selectedKey() string {
	if l.sel >= 0 && l.sel < len(l.rows) {
		return l.rows[l.sel].key
	}
	return ""
}

// nearestSelectable finds a selectable row from i in direction dir, then
// the other way; -1 when none.
func (l *list) nearestSelectable(i, dir int) int {
	if len(l.rows) == 0 {
		return -1
	}
	for _, d := range []int{dir, -dir} {
		for j := i; j >= 0 && j < len(l.rows); j += d {
			if l.rows[j].selectable() {
				return j
			}
		}
	}
	return -1
}

// selectIndex selects row i (or the nearest selectable) and tells.
func (l *list) selectIndex(i int) {
	if len(l.rows) == 0 {
		return
	}
	i = min(max(i, 0), len(l.rows)-1)
	dir := 1
	if i < l.sel {
		dir = -1
	}
	n := l.nearestSelectable(i, dir)
	if n < 0 || n == l.sel {
		return
	}
	l.sel = n
	if l.changed != nil {
		l.changed(n)
	}
}

// selectKey selects the row with a key; it reports whether there was one.
func (l *list) selectKey(key string) bool {
	for i := range l.rows {
		if l.rows[i].key == key && l.rows[i].selectable() {
			if i != l.sel {
				l.sel = i
				if l.changed != nil {
					l.changed(i)
				}
			}
			return true
		}
	}
	return false
}

func (l *list) pageSize() int {
	_, _, _, h := l.GetInnerRect()
	return max(1, h-1)
}

func (l *list) up()       { l.selectIndex(l.sel - 1) }
func (l *list) down()     { l.selectIndex(l.sel + 1) }
func (l *list) first()    { l.selectIndex(0) }
func (l *list) last()     { l.selectIndex(len(l.rows) - 1) }
func (l *list) pageUp()   { l.selectIndex(l.sel - l.pageSize()) }
func (l *list) pageDown() { l.selectIndex(l.sel + l.pageSize()) }

// widths fits the columns into width: columns shrink in their shrink
// order, then the least needed are hidden (width 0).
func (l *list) widths(width int) []int {
	w := make([]int, len(l.cols))
	visible := 0
	for i, c := range l.cols {
		w[i] = max(l.natural[i], c.min)
		if c.max > 0 {
			w[i] = min(w[i], c.max)
		}
		if l.natural[i] == 0 {
			w[i] = 0
		}
		if w[i] > 0 {
			visible++
		}
	}
	total := func() int {
		t, n := 0, 0
		for _, x := range w {
			if x > 0 {
				t += x
				n++
			}
		}
		return t + max(0, n-1)
	}
	for total() > width {
		best := -1
		for i, c := range l.cols {
			if w[i] > c.min && c.shrink > 0 && (best < 0 || c.shrink > l.cols[best].shrink) {
				best = i
			}
		}
		if best >= 0 {
			w[best] = max(l.cols[best].min, w[best]-(total()-width))
			continue
		}
		drop := -1
		for i, c := range l.cols {
			if w[i] > 0 && c.drop > 0 && (drop < 0 || c.drop > l.cols[drop].drop) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		w[drop] = 0
	}
	return w
}

// Draw draws the rows that fit, keeping the selection in view.
func (l *list) Draw(screen tcell.Screen) {
	l.DrawForSubclass(screen, l)
	x, y, width, height := l.GetInnerRect()
	if width <= 0 || height <= 0 {
		return
	}
	if len(l.rows) == 0 {
		drawText(screen, x+1, y, width-1, l.empty, l.theme.dim)
		return
	}
	if l.sel >= 0 {
		if l.sel < l.top {
			l.top = l.sel
		}
		if l.sel >= l.top+height {
			l.top = l.sel - height + 1
		}
	}
	l.top = max(0, min(l.top, len(l.rows)-height))
	ws := l.widths(width)
	for line := 0; line < height && l.top+line < len(l.rows); line++ {
		i := l.top + line
		r := &l.rows[i]
		style := r.style
		if i == l.sel {
			if l.HasFocus() {
				style = style.Reverse(true)
			} else {
				style = style.Underline(true)
			}
			fill(screen, x, y+line, width, style)
		}
		if !r.selectable() {
			drawText(screen, x, y+line, width, r.header, l.theme.header)
			continue
		}
		cx := x
		for c, cw := range ws {
			if cw == 0 || c >= len(r.cells) {
				continue
			}
			if cx > x {
				cx++ // gap
			}
			room := min(cw, x+width-cx)
			if room <= 0 {
				break
			}
			drawText(screen, cx, y+line, room, r.cells[c], style)
			cx += cw
		}
	}
}

// MouseHandler selects the clicked row (and focuses the list); a double
// click activates it; the wheel moves the selection.
func (l *list) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (consumed bool, capture tview.Primitive) {
	return l.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		mx, my := event.Position()
		if !l.InRect(mx, my) {
			return false, nil
		}
		switch action {
		case tview.MouseLeftDown:
			setFocus(l)
			return true, nil
		case tview.MouseMove:
			return false, nil
		case tview.MouseLeftClick, tview.MouseLeftDoubleClick:
			_, y, _, _ := l.GetInnerRect()
			if l.InInnerRect(mx, my) {
				i := l.top + my - y
				if i >= 0 && i < len(l.rows) && l.rows[i].selectable() {
					l.selectIndex(i)
					// tview reports two quick clicks anywhere as a double
					// click: only the second click on the same row counts.
					if action == tview.MouseLeftDoubleClick && i == l.lastClick && l.activate != nil {
						l.activate(i)
					}
					l.lastClick = i
				}
			}
			return true, nil
		case tview.MouseScrollUp:
			for i := 0; i < 3; i++ {
				l.up()
			}
			return true, nil
		case tview.MouseScrollDown:
			for i := 0; i < 3; i++ {
				l.down()
			}
			return true, nil
		}
		return false, nil
	})
}
