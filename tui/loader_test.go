package tui

import (
	"errors"
	"testing"
	"time"

	"github.com/sessionscope/sscope/tui/frames"
)

// A request replaced before it was read is done with errSuperseded; the
// latest is read.
func TestLoaderLatestWins(t *testing.T) {
	store := frames.NewStore([]string{repoFile(t, "samples/scenarios/P3.pcapng")})
	defer store.Close()
	posted := make(chan func(), 8)
	l := &loader{store: store, post: func(f func()) { posted <- f }, signal: make(chan struct{}, 1), stop: make(chan struct{})}
	results := map[string]error{}
	got := map[string][]frames.Frame{}
	req := func(name string, ns ...uint64) *frameRequest {
		return &frameRequest{input: 0, numbers: ns, done: func(fs []frames.Frame, err error) { results[name], got[name] = err, fs }}
	}
	// The worker is not running yet: both wait, the second replaces the
	// first.
	l.request(req("a", 1, 2))
	l.request(req("b", 3))
	go l.run()
	defer l.close()
	for len(results) < 2 {
		select {
		case f := <-posted:
			f()
		case <-time.After(5 * time.Second):
			t.Fatalf("results %v", results)
		}
	}
	if !errors.Is(results["a"], errSuperseded) || got["a"] != nil {
		t.Errorf("a: %v %v", results["a"], got["a"])
	}
	if results["b"] != nil || len(got["b"]) != 1 || got["b"][0].Number != 3 {
		t.Errorf("b: %v %v", results["b"], got["b"])
	}
}
