package tui

import (
	"errors"
	"sync"

	"github.com/sessionscope/sscope/tui/frames"
)

// frameRequest asks for frames of one input; done runs on the UI's
// goroutine with what was read.
type frameRequest struct {
	input   int
	numbers []uint64
	done    func(fs []frames.Frame, err error)
}

// loader reads frames off the UI's goroutine. Only the latest request
// waiting counts: moving quickly through a timeline does not queue reads
// for events already left. A request replaced before it was read is done
// with errSuperseded.
type loader struct {
	store  *frames.Store
	post   func(func())
	mu     sync.Mutex
	next   *frameRequest
	signal chan struct{}
	stop   chan struct{}
	once   sync.Once
}

func newLoader(store *frames.Store, post func(func())) *loader {
	l := &loader{store: store, post: post, signal: make(chan struct{}, 1), stop: make(chan struct{})}
	go l.run()
	return l
}

// errSuperseded: a newer request replaced this one before it was read.
var errSuperseded = errors.New("frame request superseded")

func (l *loader) request(r *frameRequest) {
	l.mu.Lock()
	old := l.next
	l.next = r
	l.mu.Unlock()
	if old != nil {
		l.post(func() { old.done(nil, errSuperseded) })
	}
	select {
	case l.signal <- struct{}{}:
	default:
	}
}

func (l *loader) run() {
	for {
		select {
		case <-l.stop:
			return
		case <-l.signal:
		}
		l.mu.Lock()
		r := l.next
		l.next = nil
		l.mu.Unlock()
		if r == nil {
			continue
		}
		fs, err := l.store.Frames(r.input, r.numbers)
		select {
		case <-l.stop:
			return
		default:
		}
		l.post(func() { r.done(fs, err) })
	}
}

func (l *loader) close() {
	l.once.Do(func() { close(l.stop) })
}
