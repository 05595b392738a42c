package tui

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/rules"
)

func repoFile(t testing.TB, rel string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", rel)
}

// sampleSource is the real analysis of the P3 and T1 samples.
func sampleSource(t testing.TB) Source {
	return Files([]string{repoFile(t, "samples/scenarios/P3.pcapng"), repoFile(t, "samples/lab/captures/T1.pcapng")},
		correlate.Options{Judge: rules.New(), TLSDetect: true})
}

// harness runs an App on a simulated screen.
type harness struct {
	t    *testing.T
	sim  tcell.SimulationScreen
	app  *App
	done chan struct{} // closed when Run returned
	err  error
}

func start(t *testing.T, src Source, w, h int, o Options) *harness {
	t.Helper()
	sim := tcell.NewSimulationScreen("UTF-8")
	o.Screen = sim
	if o.KeyFile == "" {
		o.KeyFile = "keys.json"
	}
	hs := &harness{t: t, sim: sim, app: New(src, o), done: make(chan struct{})}
	// New initialised the screen (at its default size): size it now.
	sim.SetSize(w, h)
	go func() {
		hs.err = hs.app.Run()
		close(hs.done)
	}()
	t.Cleanup(func() {
		hs.app.Stop()
		select {
		case <-hs.done:
		case <-time.After(5 * time.Second):
			t.Error("the UI did not stop")
		}
	})
	return hs
}

// contents copies the screen's cells on the UI's goroutine (the
// simulation screen hands out its own buffer, which the UI redraws).
func (h *harness) contents() ([]tcell.SimCell, int, int) {
	var cells []tcell.SimCell
	var w, ht int
	take := func() {
		c, cw, ch := h.sim.GetContents()
		cells = make([]tcell.SimCell, len(c))
		for i := range c {
			cells[i] = tcell.SimCell{Style: c[i].Style, Runes: append([]rune(nil), c[i].Runes...)}
		}
		w, ht = cw, ch
	}
	select {
	case <-h.done:
		take()
	default:
		h.run(take)
		if cells == nil {
			take() // the UI stopped meanwhile
		}
	}
	return cells, w, ht
}

// lines returns the screen's text, one string per row.
func (h *harness) lines() []string {
	cells, w, ht := h.contents()
	out := make([]string, ht)
	for y := 0; y < ht; y++ {
		var b strings.Builder
		for x := 0; x < w; x++ {
			c := cells[y*w+x]
			if len(c.Runes) == 0 {
				b.WriteByte(' ')
				continue
			}
			b.WriteString(string(c.Runes))
		}
		out[y] = b.String()
	}
	return out
}

func (h *harness) text() string { return strings.Join(h.lines(), "\n") }

// waitFor waits until the screen shows every string.
func (h *harness) waitFor(want ...string) string {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := h.text()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("screen never showed %q:\n%s", missing, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitGone waits until the screen no longer shows s.
func (h *harness) waitGone(s string) string {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		txt := h.text()
		if !strings.Contains(txt, s) {
			return txt
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("screen still shows %q:\n%s", s, txt)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// line returns the first screen row containing s.
func (h *harness) line(s string) string {
	for _, l := range h.lines() {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// send hands a key press to the UI on its goroutine, the way tview's
// event loop does (input capture, then the focused primitive), and waits
// until it has been handled and the screen redrawn.
func (h *harness) send(ev *tcell.EventKey) {
	h.t.Helper()
	a := h.app
	h.run(func() {
		if e := a.onKey(ev); e != nil && a.root.HasFocus() {
			a.root.InputHandler()(e, func(p tview.Primitive) { a.app.SetFocus(p) })
		}
	})
	// What runs in one batch is drawn before the next batch runs.
	h.run(func() {})
}

// run runs f on the UI's goroutine and waits for it (or for the UI to
// stop).
func (h *harness) run(f func()) {
	h.t.Helper()
	done := make(chan struct{})
	h.app.post(func() {
		f()
		close(done)
	})
	select {
	case <-done:
	case <-h.done:
	case <-time.After(5 * time.Second):
		h.t.Fatal("the UI did not answer")
	}
}

func (h *harness) keys(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tcell.NewEventKey(tcell.KeyRune, r, tcell.ModNone))
	}
}

func (h *harness) key(k tcell.Key) {
	h.t.Helper()
	h.send(tcell.NewEventKey(k, 0, tcell.ModNone))
}

// cellStyle returns the style of the first cell of the first row showing s.
func (h *harness) cellStyle(s string) (tcell.Style, bool) {
	cells, w, ht := h.contents()
	for y := 0; y < ht; y++ {
		var b strings.Builder
		for x := 0; x < w; x++ {
			if r := cells[y*w+x].Runes; len(r) > 0 {
				b.WriteString(string(r))
			} else {
				b.WriteByte(' ')
			}
		}
		line := b.String()
		if i := strings.Index(line, s); i >= 0 {
			x := len([]rune(line[:i]))
			return cells[y*w+x].Style, true
		}
	}
	return tcell.StyleDefault, false
}
