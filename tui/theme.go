package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/sessionscope/sscope/correlate/report"
)

// theme holds every style the views use. Without colour (NO_COLOR) the
// styles keep only attributes: selection is reverse video, focus is the
// double border, severity is the marker letter in the first column.
type theme struct {
	noColor     bool
	normal      tcell.Style
	dim         tcell.Style
	header      tcell.Style
	selected    tcell.Style
	selectedOff tcell.Style // selection of a pane without focus
	title       tcell.Style
	status      tcell.Style
	statusMsg   tcell.Style
	statusErr   tcell.Style
	key         tcell.Style
	sev         map[string]tcell.Style
}

func newTheme(noColor bool) *theme {
	base := tcell.StyleDefault
	t := &theme{
		noColor:     noColor,
		normal:      base,
		dim:         base.Dim(true),
		header:      base.Bold(true),
		selected:    base.Reverse(true),
		selectedOff: base.Underline(true),
		title:       base.Bold(true),
		status:      base.Reverse(true),
		statusMsg:   base.Reverse(true).Bold(true),
		statusErr:   base.Reverse(true).Bold(true),
		key:         base.Bold(true),
		sev: map[string]tcell.Style{
			report.SeverityError:   base.Bold(true),
			report.SeverityWarning: base,
			report.SeverityInfo:    base,
		},
	}
	if !noColor {
		t.header = base.Foreground(tcell.ColorAqua).Bold(true)
		t.dim = base.Foreground(tcell.ColorGray)
		t.title = base.Foreground(tcell.ColorAqua).Bold(true)
		t.status = base.Background(tcell.ColorNavy).Foreground(tcell.ColorWhite)
		t.statusMsg = base.Background(tcell.ColorNavy).Foreground(tcell.ColorYellow).Bold(true)
		t.statusErr = base.Background(tcell.ColorMaroon).Foreground(tcell.ColorWhite).Bold(true)
		t.key = base.Foreground(tcell.ColorYellow).Bold(true)
		t.sev[report.SeverityError] = base.Foreground(tcell.ColorRed).Bold(true)
		t.sev[report.SeverityWarning] = base.Foreground(tcell.ColorYellow)
		t.sev[report.SeverityInfo] = base.Foreground(tcell.ColorAqua)
	}
	return t
}

// severity is the style of a line carrying a finding of that severity.
func (t *theme) severity(sev string) tcell.Style {
	if s, ok := t.sev[sev]; ok {
		return s
	}
	return t.normal
}

// severityMarker is the one-letter marker of a severity, readable without
// colour.
func severityMarker(sev string) string {
	switch sev {
	case report.SeverityError:
		return "E"
	case report.SeverityWarning:
		return "W"
	case report.SeverityInfo:
		return "i"
	}
	return " "
}

// applyTview sets tview's global theme (one application per process): the
// terminal's own background everywhere, and no colour at all without it.
func (t *theme) applyTview() {
	s := tview.Theme{
		PrimitiveBackgroundColor:    tcell.ColorDefault,
		ContrastBackgroundColor:     tcell.ColorDefault,
		MoreContrastBackgroundColor: tcell.ColorDefault,
		BorderColor:                 tcell.ColorDefault,
		TitleColor:                  tcell.ColorDefault,
		GraphicsColor:               tcell.ColorDefault,
		PrimaryTextColor:            tcell.ColorDefault,
		SecondaryTextColor:          tcell.ColorDefault,
		TertiaryTextColor:           tcell.ColorDefault,
		InverseTextColor:            tcell.ColorDefault,
		ContrastSecondaryTextColor:  tcell.ColorDefault,
	}
	if !t.noColor {
		s.BorderColor = tcell.ColorGray
		s.TitleColor = tcell.ColorAqua
	}
	tview.Styles = s
}
