package timeline

import (
	"fmt"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/report"
)

// MaxEvents caps one session's timeline; past it, events are counted, not
// kept, and a last line says how many were left out.
const MaxEvents = 4000

// Builder builds one session.
type Builder struct {
	S       *report.Session
	started bool
	dropped int
}

// New starts a session of kind with id.
func New(kind, id string) *Builder {
	return &Builder{S: &report.Session{
		ID:         id,
		Kind:       kind,
		Outcome:    report.OutcomeUnknown,
		Handshakes: []report.TLSHandshake{},
		Findings:   []report.Finding{},
	}}
}

// Packet counts a packet of the session seen at at.
func (b *Builder) Packet(at flow.Ref) {
	b.S.Packets++
	b.extend(at)
}

func (b *Builder) extend(at flow.Ref) {
	s := b.S
	if !b.started {
		b.started = true
		s.Input = at.Input
		s.FirstFrame = at.Frame
		s.Start = report.At(at.Time)
		s.LastFrame = at.Frame
		s.End = report.At(at.Time)
		return
	}
	if at.Input == s.Input && at.Frame > s.LastFrame || at.Input > s.Input {
		s.LastFrame = at.Frame
	}
	if at.Time.After(s.End.Time) {
		s.End = report.At(at.Time)
	}
}

// Event adds a timeline line.
func (b *Builder) Event(dir flow.Dir, at flow.Ref, layer, event, detail string) {
	if len(b.S.Timeline) >= MaxEvents {
		b.dropped++
		return
	}
	if b.S.Timeline == nil {
		b.S.Timeline = make([]report.Event, 0, 32)
	}
	b.S.Timeline = append(b.S.Timeline, report.Event{Time: report.At(at.Time), Input: at.Input, Frame: at.Frame, Direction: dir.String(), Layer: layer, Event: event, Detail: detail})
}

// Evidence records a frame behind a fact.
func (b *Builder) Evidence(fact string, frame uint64) {
	if b.S.Evidence == nil {
		b.S.Evidence = make(map[string][]uint64)
	}
	fr := b.S.Evidence[fact]
	if len(fr) < 256 && (len(fr) == 0 || fr[len(fr)-1] != frame) {
		b.S.Evidence[fact] = append(fr, frame)
	}
}

// Has reports whether a fact was recorded.
func (b *Builder) Has(fact string) bool { return len(b.S.Evidence[fact]) > 0 }

// Done finishes the timeline: events in time order (stable), and a last
// line if events were left out.
func (b *Builder) Done() *report.Session {
	if b.S.Timeline == nil {
		b.S.Timeline = []report.Event{}
	}
	if b.dropped > 0 {
		last := b.S.Timeline[len(b.S.Timeline)-1]
		d := fmt.Sprintf("%d more events were not kept (cap %d per session)", b.dropped, MaxEvents)
		b.S.Timeline = append(b.S.Timeline, report.Event{Time: last.Time, Input: last.Input, Frame: last.Frame, Direction: last.Direction, Layer: "sscope", Event: "timeline truncated", Detail: d})
		b.dropped = 0
	}
	return b.S
}
