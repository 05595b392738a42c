package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/sessionscope/sscope/cmd/sscope/render"
)

// progressMinBytes: smaller inputs finish before a progress line helps.
const progressMinBytes = 64 << 20

// progress shows bytes read, rate and time left on standard error while a
// large input is analyzed, when standard error is a terminal.
type progress struct {
	w       io.Writer
	enabled bool
	mu      sync.Mutex
	path    string
	total   int64
	read    int64
	packets uint64
	began   time.Time
	stop    chan struct{}
	wg      sync.WaitGroup
	drawn   bool
}

func newProgress(w io.Writer, mode string, paths []string) *progress {
	p := &progress{w: w}
	switch mode {
	case "always":
		p.enabled = true
	case "never":
	default:
		f, ok := w.(*os.File)
		p.enabled = ok && term.IsTerminal(int(f.Fd()))
	}
	return p
}

func (p *progress) start(path string) {
	if !p.enabled {
		return
	}
	var total int64 = -1
	if path != "-" {
		if st, err := os.Stat(path); err == nil {
			total = st.Size()
		}
	}
	if total >= 0 && total < progressMinBytes {
		return
	}
	p.mu.Lock()
	p.path, p.total, p.read, p.packets, p.began = path, total, 0, 0, time.Now()
	p.mu.Unlock()
	p.stop = make(chan struct{})
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.draw()
			}
		}
	}()
}

func (p *progress) update(input int, path string, consumed int64, packets uint64) {
	if p.stop == nil {
		return
	}
	p.mu.Lock()
	p.read, p.packets = consumed, packets
	p.mu.Unlock()
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	el := time.Since(p.began).Seconds()
	if el <= 0 {
		return
	}
	rate := float64(p.read) / el
	line := fmt.Sprintf("%s  %s", p.path, render.HumanBytes(uint64(p.read)))
	if p.total > 0 {
		pct := 100 * float64(p.read) / float64(p.total)
		line += fmt.Sprintf(" / %s (%3.0f%%)", render.HumanBytes(uint64(p.total)), pct)
	}
	line += fmt.Sprintf("  %s/s  %d packets", render.HumanBytes(uint64(rate)), p.packets)
	if p.total > 0 && rate > 0 {
		left := time.Duration(float64(p.total-p.read) / rate * float64(time.Second)).Round(time.Second)
		line += fmt.Sprintf("  ETA %s", left)
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.drawn = true
}

func (p *progress) done() {
	if p.stop == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.stop = nil
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}
