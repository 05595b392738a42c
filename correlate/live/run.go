package live

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

// Source delivers captured packets; *Capture is one.
type Source interface {
	// Next reads the next packet (Data valid until the next call), or
	// returns ErrNoPacket when none arrived within its poll interval.
	Next(p *source.Packet) error
	LinkType() packet.LinkType
}

// RunOptions shape a Run.
type RunOptions struct {
	// Count stops the capture after this many packets (0: no limit).
	Count uint64
	// Duration stops the capture after this long (0: no limit).
	Duration time.Duration
	// QueueBytes bounds the packet bytes waiting between the capture and
	// Handle (0: DefaultQueueBytes). Packets that do not fit are dropped
	// and counted.
	QueueBytes int64
	// Handle receives every packet in order, numbered from 1, on the
	// goroutine that called Run. p.Data is valid only during the call. An
	// error stops the run and is returned.
	Handle func(p *source.Packet) error
	// Tick, when set, is called about once a second with the wall-clock
	// time on the same goroutine as Handle, also while no packet comes,
	// so the analysis can close idle sessions on a quiet link.
	Tick func(now time.Time)
}

// DefaultQueueBytes is the default bound of the queue.
const DefaultQueueBytes = 64 << 20

// queueSlots bounds the queue's length whatever the packets' sizes.
const queueSlots = 1 << 16

// Stop reasons.
const (
	StoppedContext  = "interrupted"
	StoppedCount    = "count"
	StoppedDuration = "duration"
	StoppedError    = "error"
)

// RunStats count what a Run did.
type RunStats struct {
	// Captured counts the packets read from the source; Delivered those
	// given to Handle; QueueDropped those dropped because the queue was
	// full (the analysis did not keep up).
	Captured, Delivered, QueueDropped uint64
	// Stopped says why the run ended: StoppedContext, StoppedCount,
	// StoppedDuration or StoppedError.
	Stopped string
}

type queued struct {
	p   source.Packet
	buf []byte
}

// Run reads src until ctx is done, Count packets were captured, Duration
// passed, or src or Handle fails. When it stops for ctx or Duration it
// still delivers every packet that arrived before the stop (the ring is
// drained), so nothing captured is lost. The source is read on a
// goroutine of its own; Handle runs on the caller's.
func Run(ctx context.Context, src Source, o RunOptions) (RunStats, error) {
	limit := o.QueueBytes
	if limit <= 0 {
		limit = DefaultQueueBytes
	}
	r := &runner{src: src, opt: o, limit: limit, queue: make(chan *queued, queueSlots), stop: make(chan struct{})}
	r.pool.New = func() any { return &queued{} }
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.read()
	}()

	var timer <-chan time.Time
	if o.Duration > 0 {
		t := time.NewTimer(o.Duration)
		defer t.Stop()
		timer = t.C
	}
	var ticks <-chan time.Time
	if o.Tick != nil {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		ticks = t.C
	}
	var herr error
	var n uint64
loop:
	for {
		select {
		case now := <-ticks:
			if herr == nil {
				o.Tick(now)
			}
		case q, ok := <-r.queue:
			if !ok {
				break loop
			}
			if herr == nil {
				n++
				q.p.Frame = n
				herr = o.Handle(&q.p)
				if herr != nil {
					r.halt(StoppedError, time.Now())
				}
			}
			r.release(q)
		case <-ctx.Done():
			r.halt(StoppedContext, time.Now())
			ctx = context.Background()
		case <-timer:
			r.halt(StoppedDuration, time.Now())
			timer = nil
		}
	}
	<-done
	st := RunStats{
		Captured:     r.captured.Load(),
		Delivered:    n,
		QueueDropped: r.dropped.Load(),
		Stopped:      r.reason,
	}
	if herr != nil {
		return st, herr
	}
	if r.err != nil {
		st.Stopped = StoppedError
		return st, r.err
	}
	return st, nil
}

type runner struct {
	src      Source
	opt      RunOptions
	limit    int64
	queue    chan *queued
	pool     sync.Pool
	inQueue  atomic.Int64
	captured atomic.Uint64
	dropped  atomic.Uint64

	once   sync.Once
	stop   chan struct{}
	stopAt time.Time
	reason string // set before stop is closed
	err    error  // the source's error, read after the reader ends
}

// halt asks the reader to stop: it drains what arrived before at.
func (r *runner) halt(reason string, at time.Time) {
	r.once.Do(func() {
		r.reason, r.stopAt = reason, at
		close(r.stop)
	})
}

func (r *runner) release(q *queued) {
	r.inQueue.Add(-int64(len(q.buf)))
	r.pool.Put(q)
}

// read runs on its own goroutine until the source fails, the count is
// reached, or a stop was asked for and the ring is drained.
func (r *runner) read() {
	defer close(r.queue)
	var p source.Packet
	stopping := false
	var stopAt time.Time
	for {
		if !stopping {
			select {
			case <-r.stop:
				stopping, stopAt = true, r.stopAt
			default:
			}
		}
		err := r.src.Next(&p)
		if errors.Is(err, ErrNoPacket) {
			if stopping {
				return
			}
			continue
		}
		if err != nil {
			r.halt(StoppedError, time.Now())
			r.err = err
			return
		}
		if stopping && p.Timestamp.After(stopAt) {
			// Arrived after the stop: not part of this capture.
			return
		}
		c := r.captured.Add(1)
		r.enqueue(&p)
		if r.opt.Count > 0 && c >= r.opt.Count {
			r.halt(StoppedCount, time.Now())
			return
		}
	}
}

func (r *runner) enqueue(p *source.Packet) {
	if r.inQueue.Load()+int64(len(p.Data)) > r.limit {
		r.dropped.Add(1)
		return
	}
	q := r.pool.Get().(*queued)
	q.buf = append(q.buf[:0], p.Data...)
	q.p = *p
	q.p.Data = q.buf
	r.inQueue.Add(int64(len(q.buf)))
	select {
	case r.queue <- q:
	default:
		r.inQueue.Add(-int64(len(q.buf)))
		r.pool.Put(q)
		r.dropped.Add(1)
	}
}
