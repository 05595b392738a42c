package tcpstream

import (
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/dissect/packet"
)

// Close reasons.
const (
	ClosedFIN        = "fin"
	ClosedRST        = "rst"
	ClosedIdle       = "idle"
	ClosedCaptureEnd = "capture-end"
)

// Handler receives what happens on one connection. Data gives bytes in
// order; at(end) returns where the byte at offset end-1 of data arrived.
// Data and Gap are only called between the first Segment and Close.
type Handler interface {
	Segment(dir flow.Dir, f *packet.Frame, at flow.Ref)
	Data(dir flow.Dir, data []byte, at func(end int) flow.Ref)
	Gap(dir flow.Dir, n int, at flow.Ref)
	Close(reason string, at flow.Ref)
}

// Options bound the tracker's memory.
type Options struct {
	// MaxBufferedPagesPerConnection and MaxBufferedPagesTotal bound the
	// out-of-order data kept (pages of 1900 bytes); when hit the oldest
	// data is flushed and the missing bytes become a gap.
	MaxBufferedPagesPerConnection int
	MaxBufferedPagesTotal         int
	// Idle closes connections without packets for this long (capture time).
	Idle time.Duration
	// GapWait is how long missing bytes are waited for before the data
	// after them is delivered and the hole reported as a gap.
	GapWait time.Duration
}

// DefaultOptions are used for zero fields.
var DefaultOptions = Options{
	MaxBufferedPagesPerConnection: 256,  // ~480 KB
	MaxBufferedPagesTotal:         8192, // ~15 MB
	Idle:                          5 * time.Minute,
	GapWait:                       10 * time.Second,
}

// Stats count what the tracker did.
type Stats struct {
	Connections    uint64
	Gaps           uint64
	GapBytes       uint64
	OverlapPackets uint64
}

// Tracker follows the TCP connections it is told to follow.
type Tracker struct {
	opt                Options
	conns              map[packet.FlowKey]*conn // canonical key
	pool               *reassembly.StreamPool
	asm                *reassembly.Assembler
	tcp                layers.TCP
	ctx                context
	scratch            []byte
	creating           *conn
	creatingFromClient bool
	closing            string
	stats              Stats
	lastTime           time.Time
	lastGapFlush       time.Time
}

// New returns a Tracker.
func New(o Options) *Tracker {
	d := DefaultOptions
	if o.MaxBufferedPagesPerConnection == 0 {
		o.MaxBufferedPagesPerConnection = d.MaxBufferedPagesPerConnection
	}
	if o.MaxBufferedPagesTotal == 0 {
		o.MaxBufferedPagesTotal = d.MaxBufferedPagesTotal
	}
	if o.Idle == 0 {
		o.Idle = d.Idle
	}
	if o.GapWait == 0 {
		o.GapWait = d.GapWait
	}
	t := &Tracker{opt: o, conns: make(map[packet.FlowKey]*conn)}
	t.pool = reassembly.NewStreamPool(factory{t})
	t.asm = reassembly.NewAssembler(t.pool)
	t.asm.MaxBufferedPagesPerConnection = o.MaxBufferedPagesPerConnection
	t.asm.MaxBufferedPagesTotal = o.MaxBufferedPagesTotal
	return t
}

// Stats returns counters.
func (t *Tracker) Stats() Stats { return t.stats }

// Open reports whether the connection of f is followed.
func (t *Tracker) Open(f *packet.Frame) bool {
	k, _ := f.FlowKey().Canonical()
	_, ok := t.conns[k]
	return ok
}

// Len is the number of connections followed.
func (t *Tracker) Len() int { return len(t.conns) }

// Follow starts following the connection of f, whose client is the source
// of f when srcIsClient. The handler gets every later segment. f itself is
// then handed over as by Packet.
func (t *Tracker) Follow(f *packet.Frame, srcIsClient bool, h Handler, at flow.Ref) {
	k, _ := f.FlowKey().Canonical()
	if _, ok := t.conns[k]; ok {
		t.Packet(f, at)
		return
	}
	c := &conn{handler: h, key: k}
	if srcIsClient {
		c.client = f.FlowKey()
	} else {
		c.client = f.FlowKey().Reverse()
	}
	t.conns[k] = c
	t.stats.Connections++
	t.Packet(f, at)
}

// Packet hands over a segment of a followed connection; it reports false
// if the connection is not followed.
func (t *Tracker) Packet(f *packet.Frame, at flow.Ref) bool {
	k, _ := f.FlowKey().Canonical()
	c, ok := t.conns[k]
	if !ok {
		return false
	}
	dir := flow.ClientToServer
	if f.FlowKey() != c.client {
		dir = flow.ServerToClient
	}
	c.last = at
	c.handler.Segment(dir, f, at)
	if !t.decodeTCP(f) {
		return true
	}
	t.ctx.ci = gopacket.CaptureInfo{Timestamp: at.Time, InterfaceIndex: packRef(at)}
	t.creating = c
	t.creatingFromClient = dir == flow.ClientToServer
	t.asm.AssembleWithContext(netFlow(f.Src, f.Dst), &t.tcp, &t.ctx)
	t.creating = nil
	t.tick(at.Time)
	return true
}

// decodeTCP fills t.tcp from the frame's header and payload.
func (t *Tracker) decodeTCP(f *packet.Frame) bool {
	raw := f.TCP.Raw
	var seg []byte
	if n := len(raw) + len(f.Payload); cap(raw) >= n && len(f.Payload) > 0 && &raw[:n][len(raw)] == &f.Payload[0] {
		seg = raw[:n]
	} else if len(f.Payload) == 0 {
		seg = raw
	} else {
		t.scratch = append(append(t.scratch[:0], raw...), f.Payload...)
		seg = t.scratch
	}
	return t.tcp.DecodeFromBytes(seg, gopacket.NilDecodeFeedback) == nil
}

func netFlow(src, dst netip.Addr) gopacket.Flow {
	if src.Is4() && dst.Is4() {
		s, d := src.As4(), dst.As4()
		return gopacket.NewFlow(layers.EndpointIPv4, s[:], d[:])
	}
	s, d := src.As16(), dst.As16()
	return gopacket.NewFlow(layers.EndpointIPv6, s[:], d[:])
}

// tick flushes streams waiting too long for missing bytes and closes idle
// connections, at most once per second of capture time.
func (t *Tracker) tick(now time.Time) {
	if now.Before(t.lastTime) {
		return
	}
	t.lastTime = now
	if now.Sub(t.lastGapFlush) < time.Second {
		return
	}
	t.lastGapFlush = now
	t.closing = ClosedIdle
	t.asm.FlushWithOptions(reassembly.FlushOptions{T: now.Add(-t.opt.GapWait), TC: now.Add(-t.opt.Idle)})
	t.closing = ""
}

// Tick tells the tracker the time when no packet does: gaps are given up
// and idle connections close as if a packet had arrived at now.
func (t *Tracker) Tick(now time.Time) { t.tick(now) }

// Flush ends every connection: the capture ended.
func (t *Tracker) Flush() {
	t.closing = ClosedCaptureEnd
	t.asm.FlushAll()
	t.closing = ""
	for k, c := range t.conns {
		t.finish(k, c, ClosedCaptureEnd)
	}
}

func (t *Tracker) finish(k packet.FlowKey, c *conn, reason string) {
	if c.closed {
		if t.conns[k] == c {
			delete(t.conns, k)
		}
		return
	}
	c.closed = true
	if c.rst {
		reason = ClosedRST
	} else if c.fin[0] && c.fin[1] && reason != ClosedCaptureEnd {
		reason = ClosedFIN
	}
	c.handler.Close(reason, c.last)
	if t.conns[k] == c {
		delete(t.conns, k)
	}
}

// context carries the capture info, with the frame reference packed into
// InterfaceIndex so that reassembled bytes can be mapped back to frames.
type context struct{ ci gopacket.CaptureInfo }

func (c *context) GetCaptureInfo() gopacket.CaptureInfo { return c.ci }

func packRef(at flow.Ref) int {
	return int(at.Frame&(1<<48-1)) | at.Input<<48
}

func unpackRef(ci gopacket.CaptureInfo) flow.Ref {
	v := ci.InterfaceIndex
	return flow.Ref{Input: v >> 48, Frame: uint64(v & (1<<48 - 1)), Time: ci.Timestamp}
}
