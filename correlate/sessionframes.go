package correlate

import (
	"errors"
	"io"
	"net/netip"
	"sort"
	"time"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

// SessionFrames lists, in order, the frames of the capture at path that
// carry session s of a report made from that capture (s.Input is its
// index): for RADIUS sessions the frames of its timeline, which name every
// RADIUS packet the session counted (a NAS multiplexes many conversations
// over one socket, so the address pair alone would mix them); for the
// other kinds every frame of the connection's address pair between the
// session's first and last frame. Every IP fragment of a selected datagram
// comes along. exact is false when a RADIUS session's timeline was cut at
// its cap and the address pair had to stand in for it.
func SessionFrames(path string, s *report.Session) (frames []uint64, exact bool, err error) {
	sel := newFrameSelector(s)
	r, err := source.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer r.Close()
	dec := packet.NewDecoder()
	var f packet.Frame
	var p source.Packet
	for {
		if err = r.Next(&p); err != nil {
			break
		}
		if p.Frame > s.LastFrame {
			break
		}
		// Before the session only fragments matter (the first fragments of
		// a datagram completed in it), and only recent ones.
		before := p.Frame < s.FirstFrame
		if before && p.Timestamp.Before(s.Start.Add(-fragmentLookBack)) {
			continue
		}
		derr := dec.Decode(p.Link, p.Data, &f)
		if derr != nil && !f.HasTransport && !f.Fragment || before && !f.Fragment {
			continue
		}
		sel.frame(p.Frame, &f, before)
	}
	if errors.Is(err, io.EOF) {
		err = nil
	}
	frames = sel.result()
	return frames, sel.exact, err
}

type fragKey struct {
	src, dst netip.Addr
	proto    uint8
	id       uint32
}

type frameSelector struct {
	s        *report.Session
	byFlow   bool
	exact    bool
	listed   map[uint64]bool // RADIUS: the frames of the timeline
	client   netip.AddrPort
	server   netip.AddrPort
	chosen   map[uint64]bool
	groups   map[fragKey][]uint64
	selFrags map[fragKey]bool
}

func newFrameSelector(s *report.Session) *frameSelector {
	sel := &frameSelector{s: s, exact: true, chosen: map[uint64]bool{}, groups: map[fragKey][]uint64{},
		selFrags: map[fragKey]bool{}}
	if ip, err := netip.ParseAddr(s.Client.IP); err == nil {
		sel.client = netip.AddrPortFrom(ip.Unmap(), uint16(s.Client.Port))
	}
	if ip, err := netip.ParseAddr(s.Server.IP); err == nil {
		sel.server = netip.AddrPortFrom(ip.Unmap(), uint16(s.Server.Port))
	}
	switch s.Kind {
	case report.KindRADIUSEAP, report.KindRADIUS:
		truncated := false
		sel.listed = map[uint64]bool{}
		for _, e := range s.Timeline {
			if e.Layer == "sscope" && e.Event == "timeline truncated" {
				truncated = true
			}
			if e.Input == s.Input && e.Frame > 0 {
				sel.listed[e.Frame] = true
			}
		}
		if truncated {
			sel.byFlow, sel.exact = true, false
		}
	default:
		sel.byFlow = true
	}
	return sel
}

// fragmentLookBack is how long before a session a fragment of one of its
// datagrams can have arrived (the reassembler gives up sooner).
const fragmentLookBack = 2 * time.Minute

// frame considers frame n; before says it precedes the session (only its
// fragment group is noted).
func (sel *frameSelector) frame(n uint64, f *packet.Frame, before bool) {
	var key fragKey
	if f.Fragment {
		key = fragKey{f.Src.Unmap(), f.Dst.Unmap(), f.Proto, f.IPID}
		sel.groups[key] = append(sel.groups[key], n)
	}
	if before {
		return
	}
	take := false
	if sel.byFlow {
		take = f.HasTransport && sel.onFlow(f)
	}
	if sel.listed != nil && sel.listed[n] {
		take = true
	}
	if take {
		sel.chosen[n] = true
		if f.Fragment {
			sel.selFrags[key] = true
		}
	}
}

func (sel *frameSelector) onFlow(f *packet.Frame) bool {
	src := netip.AddrPortFrom(f.Src.Unmap(), f.SrcPort)
	dst := netip.AddrPortFrom(f.Dst.Unmap(), f.DstPort)
	return src == sel.client && dst == sel.server || src == sel.server && dst == sel.client
}

func (sel *frameSelector) result() []uint64 {
	for key := range sel.selFrags {
		for _, n := range sel.groups[key] {
			sel.chosen[n] = true
		}
	}
	out := make([]uint64, 0, len(sel.chosen))
	for n := range sel.chosen {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
