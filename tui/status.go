package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/sessionscope/sscope/tui/keymap"
)

// say shows a message on the right of the status line until the next key
// (or messageLife); errors stand out.
func (a *App) say(msg string, isErr bool) {
	a.message, a.messageErr, a.messageAt = msg, isErr, time.Now()
	a.updateStatus()
}

// updateStatus writes the status line.
func (a *App) updateStatus() {
	names := a.inputs.Names
	src := strings.Join(names, ", ")
	if len(names) > 2 {
		src = fmt.Sprintf("%s +%d", names[0], len(names)-1)
	}
	if a.inputs.Live {
		if a.done {
			src += " (stopped)"
		} else {
			src = "● " + src
		}
	}
	var packets uint64
	var parts []statusPart
	if p := a.progress; p != nil {
		packets = p.Packets
		if !a.done && !a.inputs.Live {
			name := filepath.Base(p.Path)
			read := "reading " + name
			if p.Total > 0 {
				read = fmt.Sprintf("reading %s %d%%", name, int(100*p.Read/max(p.Total, 1)))
			}
			parts = append(parts, statusPart{read, 5})
			src = ""
		}
	}
	if src != "" {
		parts = append(parts, statusPart{src, 2})
	}
	if a.final != nil && a.final.Report != nil {
		packets = a.final.Report.Stats.Packets
	}
	if a.hasLive {
		packets = a.live.Packets
	}
	parts = append(parts, statusPart{fmt.Sprintf("%s packets", thousands(packets)), 1})
	if a.filter.Empty() {
		parts = append(parts, statusPart{fmt.Sprintf("%d session%s", a.store.Len(), plural(a.store.Len())), 4})
	} else {
		n := 0
		for _, r := range a.sessions.rows {
			if r.Entry != nil {
				n++
			}
		}
		parts = append(parts, statusPart{fmt.Sprintf("%d/%d sessions", n, a.store.Len()), 4}, statusPart{"filter: " + a.filter.String(), 3})
	}
	if a.inputs.Live {
		drops := "drops: n/a"
		if a.hasLive {
			drops = fmt.Sprintf("drops: kernel %s, ours %s", thousands(a.live.KernelDrops), thousands(a.live.Drops))
		}
		parts = append(parts, statusPart{drops, 5})
	}
	b := a.status
	b.parts, b.message, b.err = parts, a.message, a.messageErr
	k := func(act keymap.Action) string { return a.keys.First(act).String() }
	b.hints = []string{
		fmt.Sprintf("%s help  %s filter  %s command  %s quit", k(keymap.Help), k(keymap.Filter), k(keymap.Command), k(keymap.Quit)),
		fmt.Sprintf("%s help  %s quit", k(keymap.Help), k(keymap.Quit)),
		fmt.Sprintf("%s help", k(keymap.Help)),
	}
}

func thousands(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
