package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

// timedSource delivers packets at given offsets from its start, as a ring
// would: Next waits for the next packet up to the poll interval.
type timedSource struct {
	start time.Time
	at    []time.Duration
	poll  time.Duration
	i     int
	buf   []byte
	fail  error // returned once the packets are delivered
	mu    sync.Mutex
}

func newTimedSource(at []time.Duration) *timedSource {
	return &timedSource{start: time.Now(), at: at, poll: 5 * time.Millisecond}
}

func (s *timedSource) Next(p *source.Packet) error {
	if s.i >= len(s.at) {
		if s.fail != nil {
			return s.fail
		}
		time.Sleep(s.poll)
		return ErrNoPacket
	}
	due := s.start.Add(s.at[s.i])
	if wait := time.Until(due); wait > s.poll {
		time.Sleep(s.poll)
		return ErrNoPacket
	} else if wait > 0 {
		time.Sleep(wait)
	}
	// Distinct bytes per packet; the buffer is reused as a ring's would be.
	s.buf = append(s.buf[:0], fmt.Sprintf("packet %04d", s.i)...)
	p.Data = s.buf
	p.Timestamp = due
	p.CaptureLength, p.Length = len(s.buf), len(s.buf)
	p.Link = packet.LinkEthernet
	s.i++
	return nil
}

func (s *timedSource) LinkType() packet.LinkType { return packet.LinkEthernet }

func every(n int, d time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i) * d
	}
	return out
}

// collect is a Handle that keeps copies of the packets.
type collect struct {
	data   [][]byte
	frames []uint64
	delay  time.Duration
}

func (c *collect) handle(p *source.Packet) error {
	c.data = append(c.data, append([]byte(nil), p.Data...))
	c.frames = append(c.frames, p.Frame)
	time.Sleep(c.delay)
	return nil
}

func (c *collect) check(t *testing.T, n int) {
	t.Helper()
	if len(c.data) != n {
		t.Fatalf("delivered %d packets, want %d", len(c.data), n)
	}
	for i := range c.data {
		if want := fmt.Sprintf("packet %04d", i); string(c.data[i]) != want || c.frames[i] != uint64(i+1) {
			t.Fatalf("packet %d: %q frame %d, want %q frame %d", i, c.data[i], c.frames[i], want, i+1)
		}
	}
}

func TestRunStopsAfterCount(t *testing.T) {
	var c collect
	st, err := Run(context.Background(), newTimedSource(every(20, 0)), RunOptions{Count: 7, Handle: c.handle})
	if err != nil {
		t.Fatal(err)
	}
	c.check(t, 7)
	if st.Stopped != StoppedCount || st.Captured != 7 || st.Delivered != 7 || st.QueueDropped != 0 {
		t.Errorf("stats %+v", st)
	}
}

// Packets that arrived before the stop are delivered even when the
// analysis is behind; those after it are not.
func TestRunDrainsWhatArrivedBeforeTheStop(t *testing.T) {
	at := append(every(10, time.Millisecond), 400*time.Millisecond, 410*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	c := collect{delay: 10 * time.Millisecond} // slower than the packets arrive
	time.AfterFunc(60*time.Millisecond, cancel)
	st, err := Run(ctx, newTimedSource(at), RunOptions{Handle: c.handle})
	if err != nil {
		t.Fatal(err)
	}
	c.check(t, 10)
	if st.Stopped != StoppedContext || st.Captured != 10 {
		t.Errorf("stats %+v", st)
	}
}

func TestRunStopsAfterDuration(t *testing.T) {
	var c collect
	began := time.Now()
	st, err := Run(context.Background(), newTimedSource(every(100, 10*time.Millisecond)), RunOptions{Duration: 95 * time.Millisecond, Handle: c.handle})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(began); el > 5*time.Second {
		t.Errorf("took %v", el)
	}
	// The packets span a second; the run stops long before the last.
	if st.Stopped != StoppedDuration || len(c.data) == 0 || len(c.data) >= 90 {
		t.Errorf("stats %+v, %d delivered", st, len(c.data))
	}
	c.check(t, len(c.data))
}

// A full queue drops packets and counts them; what is delivered stays in
// order.
func TestRunCountsQueueDrops(t *testing.T) {
	src := newTimedSource(every(300, 0))
	var mu sync.Mutex
	var got [][]byte
	first := true
	st, err := Run(context.Background(), src, RunOptions{Count: 300, QueueBytes: 5 * 11, Handle: func(p *source.Packet) error {
		mu.Lock()
		defer mu.Unlock()
		if first {
			first = false
			time.Sleep(50 * time.Millisecond) // let the queue fill
		}
		got = append(got, append([]byte(nil), p.Data...))
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if st.QueueDropped == 0 || st.Delivered+st.QueueDropped != st.Captured || st.Captured != 300 {
		t.Errorf("stats %+v", st)
	}
	if uint64(len(got)) != st.Delivered {
		t.Errorf("%d delivered, stats say %d", len(got), st.Delivered)
	}
	for i := 1; i < len(got); i++ {
		if bytes.Compare(got[i-1], got[i]) >= 0 {
			t.Fatalf("out of order: %q then %q", got[i-1], got[i])
		}
	}
}

func TestRunReturnsErrors(t *testing.T) {
	boom := errors.New("disk full")
	n := 0
	st, err := Run(context.Background(), newTimedSource(every(50, 0)), RunOptions{Handle: func(p *source.Packet) error {
		n++
		if n == 3 {
			return boom
		}
		return nil
	}})
	if !errors.Is(err, boom) || st.Stopped != StoppedError || st.Delivered != 3 {
		t.Errorf("handle error: %v, %+v", err, st)
	}

	src := newTimedSource(every(4, 0))
	src.fail = errors.New("interface went away")
	var c collect
	st, err = Run(context.Background(), src, RunOptions{Handle: c.handle})
	if err == nil || err.Error() != "interface went away" || st.Stopped != StoppedError {
		t.Errorf("source error: %v, %+v", err, st)
	}
	c.check(t, 4)
}

// TestRunTicksOnAQuietLink: with no packet at all, Tick still comes about
// once a second, so idle sessions close on a quiet link.
func TestRunTicksOnAQuietLink(t *testing.T) {
	src := newTimedSource(nil)
	var ticks []time.Time
	st, err := Run(context.Background(), src, RunOptions{
		Duration: 2500 * time.Millisecond,
		Handle:   func(*source.Packet) error { return nil },
		Tick:     func(now time.Time) { ticks = append(ticks, now) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Delivered != 0 {
		t.Fatalf("%d packets from a silent source", st.Delivered)
	}
	if len(ticks) < 2 || len(ticks) > 3 {
		t.Errorf("%d ticks in 2.5 s, want 2", len(ticks))
	}
}
