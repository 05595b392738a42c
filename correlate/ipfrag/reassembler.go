package ipfrag

import (
	"bytes"
	"net/netip"
	"slices"
	"time"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
)

// Defaults for the zero Options fields.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxDatagrams = 4096
	DefaultMaxBytes     = 64 << 20
	// MaxFragments caps the fragments one datagram may collect (a 65535-byte
	// datagram over the IPv4 minimum MTU of 68 takes 1366).
	MaxFragments = 2048
)

// Largest payload (bytes after the IP header) a datagram can have: IPv4's
// total length counts the (at least 20-byte) header; IPv6's payload length
// counts the 8-byte Fragment header.
const (
	maxPayloadIPv4 = 65535 - 20
	maxPayloadIPv6 = 65535 - 8
)

// Options bound what a Reassembler holds. Zero fields take the defaults.
type Options struct {
	// Timeout is how long, in capture time since its first fragment, a
	// partial datagram is kept (default 30s).
	Timeout time.Duration
	// MaxDatagrams caps the partial datagrams held at once (default 4096).
	MaxDatagrams int
	// MaxBytes caps the bytes buffered across them (default 64 MiB).
	MaxBytes int
}

// Stats counts what a Reassembler did.
type Stats struct {
	Reassembled uint64 // datagrams completed
	TimedOut    uint64 // partial datagrams dropped for age (Expire, or a stale ID reused)
	DroppedCap  uint64 // fragments refused because a cap was reached
	Duplicates  uint64 // fragments that brought no new byte and agreed with what was held
	Overlaps    uint64 // fragments that overlapped bytes already held (duplicates excluded)
	Conflicts   uint64 // fragments whose overlap disagreed with what was held (first data kept), or that contradicted the datagram's end
	Malformed   uint64 // datagrams dropped for growing beyond 65535 bytes
	Pending     int    // partial datagrams held now
	Buffered    int    // bytes buffered now
}

type key struct {
	src, dst netip.Addr
	id       uint32
	version  uint8
	proto    uint8
}

// span is a byte range [start, end) of a datagram's payload already held.
type span struct{ start, end int }

type datagram struct {
	first  time.Time // capture time of the first fragment seen
	buf    []byte    // payload by offset; its length is the highest end seen
	have   []span    // sorted, disjoint, merged
	total  int       // payload length once the last fragment was seen, else -1
	frames []uint64
}

// Reassembler collects fragments into datagrams.
type Reassembler struct {
	opts     Options
	pending  map[key]*datagram
	buffered int
	stats    Stats
	free     []*datagram // recycled datagrams, buffers kept
	out      *datagram   // the datagram Add returned last
}

// maxFree bounds the recycled datagrams kept for reuse.
const maxFree = 16

// New returns a Reassembler with the given options.
func New(o Options) *Reassembler {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxDatagrams <= 0 {
		o.MaxDatagrams = DefaultMaxDatagrams
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	return &Reassembler{opts: o, pending: make(map[key]*datagram)}
}

// Add takes one fragment (f.Fragment set, f.IPPayload its data) seen at
// capture time ts in frame number frame. When the fragment completes its
// datagram, Add returns the reassembled IP payload (starting with the UDP or
// TCP header; decode it with packet.DecodeTransport), the frame numbers of
// all the fragments that went into it in the order they were added, and
// done. Both slices stay valid until the next call to Add.
//
// Errors are *dissect.Error: Malformed for a frame that is not an IP
// fragment or a datagram that would exceed 65535 bytes (the datagram is
// dropped), Truncated for a fragment whose bytes were not all captured (it
// is not used), CapExceeded when a cap refuses the fragment.
func (r *Reassembler) Add(f *packet.Frame, ts time.Time, frame uint64) (payload []byte, frames []uint64, done bool, err error) {
	r.recycleOut()
	if !f.Fragment || (f.IPVersion != 4 && f.IPVersion != 6) {
		return nil, nil, false, dissect.Errorf(dissect.Malformed, "ipfrag", -1, "frame %d is not an IP fragment", frame)
	}
	if f.Truncated {
		return nil, nil, false, dissect.Errorf(dissect.Truncated, "ipfrag", -1, "fragment in frame %d was not captured whole", frame)
	}
	k := key{src: f.Src, dst: f.Dst, id: f.IPID, version: f.IPVersion, proto: f.Proto}
	off := int(f.FragOffset)
	data := f.IPPayload
	end := off + len(data)
	limit := maxPayloadIPv4
	if f.IPVersion == 6 {
		limit = maxPayloadIPv6
	}

	dg := r.pending[k]
	if dg != nil && ts.Sub(dg.first) > r.opts.Timeout {
		// The ID was reused after the old datagram went stale.
		r.drop(k, dg)
		r.stats.TimedOut++
		dg = nil
	}
	if end > limit {
		if dg != nil {
			r.drop(k, dg)
		}
		r.stats.Malformed++
		return nil, nil, false, dissect.Errorf(dissect.Malformed, "ipfrag", -1,
			"fragment in frame %d ends at byte %d of a datagram that can hold %d", frame, end, limit)
	}
	grow := end
	if dg != nil {
		grow = max(0, end-len(dg.buf))
		if len(dg.frames) >= MaxFragments {
			r.stats.DroppedCap++
			return nil, nil, false, dissect.Errorf(dissect.CapExceeded, "ipfrag", -1, "datagram has %d fragments already", len(dg.frames))
		}
	} else if len(r.pending) >= r.opts.MaxDatagrams {
		r.stats.DroppedCap++
		return nil, nil, false, dissect.Errorf(dissect.CapExceeded, "ipfrag", -1, "%d partial datagrams held already", len(r.pending))
	}
	if r.buffered+grow > r.opts.MaxBytes {
		r.stats.DroppedCap++
		return nil, nil, false, dissect.Errorf(dissect.CapExceeded, "ipfrag", -1, "%d bytes buffered already", r.buffered)
	}
	if dg == nil {
		dg = r.newDatagram(ts)
		r.pending[k] = dg
	}

	// A fragment that contradicts the datagram's end is not used.
	if dg.total >= 0 && (end > dg.total || !f.MoreFragments && end != dg.total) ||
		dg.total < 0 && !f.MoreFragments && end < len(dg.buf) {
		r.stats.Conflicts++
		return nil, nil, false, nil
	}
	if !f.MoreFragments {
		dg.total = end
	}
	r.place(dg, off, data)
	dg.frames = append(dg.frames, frame)

	if dg.total < 0 || len(dg.have) != 1 || dg.have[0].start != 0 || dg.have[0].end < dg.total {
		return nil, nil, false, nil
	}
	delete(r.pending, k)
	r.buffered -= len(dg.buf)
	r.out = dg
	r.stats.Reassembled++
	return dg.buf[:dg.total], dg.frames, true, nil
}

// place copies data at off into the holes of dg (bytes already held win)
// and counts duplicates, overlaps and conflicts.
func (r *Reassembler) place(dg *datagram, off int, data []byte) {
	end := off + len(data)
	if end > len(dg.buf) {
		r.buffered += end - len(dg.buf)
		dg.buf = append(dg.buf, make([]byte, end-len(dg.buf))...)
	}
	overlap, conflict, fresh := false, false, false
	pos := off
	for _, s := range dg.have {
		if s.end <= off {
			continue
		}
		if s.start >= end {
			break
		}
		lo, hi := max(s.start, off), min(s.end, end)
		overlap = true
		if !bytes.Equal(dg.buf[lo:hi], data[lo-off:hi-off]) {
			conflict = true
		}
		if s.start > pos {
			copy(dg.buf[pos:s.start], data[pos-off:s.start-off])
			fresh = true
		}
		pos = max(pos, s.end)
	}
	if pos < end {
		copy(dg.buf[pos:end], data[pos-off:])
		fresh = true
	}
	switch {
	case conflict:
		r.stats.Overlaps++
		r.stats.Conflicts++
	case overlap && !fresh:
		r.stats.Duplicates++
	case overlap:
		r.stats.Overlaps++
	}
	if len(data) > 0 {
		dg.have = addSpan(dg.have, span{off, end})
	}
}

// addSpan inserts s into the sorted, disjoint list and merges what touches.
func addSpan(have []span, s span) []span {
	i, _ := slices.BinarySearchFunc(have, s.start, func(x span, start int) int { return x.start - start })
	have = slices.Insert(have, i, s)
	// Merge with the previous span and then forward.
	if i > 0 && have[i-1].end >= have[i].start {
		i--
	}
	j := i + 1
	for j < len(have) && have[j].start <= have[i].end {
		have[i].end = max(have[i].end, have[j].end)
		j++
	}
	return slices.Delete(have, i+1, j)
}

// Expire drops the partial datagrams whose first fragment is older than the
// timeout at capture time now, and returns how many it dropped. Call it
// periodically (for instance once per second of capture time).
func (r *Reassembler) Expire(now time.Time) int {
	n := 0
	for k, dg := range r.pending {
		if now.Sub(dg.first) > r.opts.Timeout {
			r.drop(k, dg)
			n++
		}
	}
	r.stats.TimedOut += uint64(n)
	return n
}

// Stats returns the counters so far.
func (r *Reassembler) Stats() Stats {
	s := r.stats
	s.Pending = len(r.pending)
	s.Buffered = r.buffered
	return s
}

func (r *Reassembler) newDatagram(ts time.Time) *datagram {
	var dg *datagram
	if n := len(r.free); n > 0 {
		dg = r.free[n-1]
		r.free = r.free[:n-1]
	} else {
		dg = &datagram{}
	}
	dg.first = ts
	dg.buf = dg.buf[:0]
	dg.have = dg.have[:0]
	dg.frames = dg.frames[:0]
	dg.total = -1
	return dg
}

func (r *Reassembler) drop(k key, dg *datagram) {
	delete(r.pending, k)
	r.buffered -= len(dg.buf)
	r.release(dg)
}

func (r *Reassembler) release(dg *datagram) {
	if len(r.free) < maxFree {
		r.free = append(r.free, dg)
	}
}

func (r *Reassembler) recycleOut() {
	if r.out != nil {
		r.release(r.out)
		r.out = nil
	}
}
