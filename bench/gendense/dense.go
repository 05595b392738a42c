package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sessionscope/sscope/bench/internal/capgen"
)

// config is everything that shapes the output.
type config struct {
	// size is the target file size in bytes: no copy starts once it is
	// reached, and the copies in progress run to their end.
	size int64
	seed uint64
	// concurrent is the number of conversations kept open at once.
	concurrent int
	// pause is the mean idle time between a copy ending and the next one
	// starting in its place.
	pause     time.Duration
	start     time.Time
	templates []*capgen.Template
	secret    []byte
}

// stats describes what was written.
type stats struct {
	packets, bytes int64
	first, last    int64
	copies         []int64 // per template
	radius         int64
	// maxOpen is the largest number of conversations between their first
	// and last frame at once; meanOpen averages that over the frames.
	maxOpen  int
	meanOpen float64
}

// generate writes the dense capture to out.
func generate(out io.Writer, cfg config) (*stats, error) {
	if len(cfg.templates) == 0 {
		return nil, fmt.Errorf("no template with RADIUS frames")
	}
	if cfg.concurrent <= 0 {
		cfg.concurrent = 1
	}
	w, err := capgen.NewPcapWriter(out, 8<<20)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x6a09e667f3bcc908))
	st := &stats{copies: make([]int64, len(cfg.templates)), first: math.MaxInt64}
	var (
		queue  capgen.CopyQueue
		copier capgen.Copier
		seq    int
		buf    = make([]byte, capgen.BufferSize)
	)
	start := func(at int64) {
		i := seq % len(cfg.templates)
		seq++
		queue.Push(copier.New(cfg.templates[i], at, capgen.Encap{}, cfg.secret))
		st.copies[i]++
	}
	// Stagger the first copies over one average conversation length so the
	// capture opens in a steady state.
	var mean int64
	for _, t := range cfg.templates {
		mean += t.Duration
	}
	mean = max(mean/int64(len(cfg.templates)), int64(time.Second))
	t0 := cfg.start.UnixNano()
	for range cfg.concurrent {
		start(t0 + rng.Int64N(mean))
	}
	open, openSum := 0, 0
	for queue.Len() > 0 {
		c := queue.Peek()
		if c.Emitted() == 0 {
			open++
		}
		frame, ts := c.Next(buf, nil)
		if err := w.WritePacket(ts, frame); err != nil {
			return nil, err
		}
		st.first, st.last = min(st.first, ts), max(st.last, ts)
		st.maxOpen = max(st.maxOpen, open)
		openSum += open
		done := c.Done()
		if done {
			open--
		}
		queue.Fix()
		if done && w.Bytes() < cfg.size {
			start(ts + int64(rng.ExpFloat64()*float64(cfg.pause)))
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	st.packets, st.bytes = w.Packets(), w.Bytes()
	st.meanOpen = float64(openSum) / float64(max(st.packets, 1))
	for i, t := range cfg.templates {
		st.radius += st.copies[i] * int64(t.RADIUSFrames)
	}
	return st, nil
}
