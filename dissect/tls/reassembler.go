package tls

import (
	"github.com/sessionscope/sscope/dissect"
)

// Bounds of what a HandshakeReassembler holds besides the messages
// themselves.
const (
	// maxQueuedMessages caps whole messages written but not yet taken
	// with Next.
	maxQueuedMessages = 1024
	// maxDTLSPartials caps DTLS messages being assembled at once, and how
	// far ahead of the next expected message_seq a fragment may be.
	maxDTLSPartials = 16
)

// HandshakeReassembler turns the handshake record fragments of one
// direction (plaintext epoch only) into whole handshake messages, in order.
//
// TLS: the fragments form a byte stream; one record may hold several
// messages and one message may span records. DTLS: each fragment is a
// sequence of DTLS handshake fragments placed by message_seq,
// fragment_offset and fragment_length; fragments of messages already
// delivered, and fragments whose bytes were already received, are
// retransmissions: they are dropped and counted (Duplicates).
//
// A message longer than Max (dissect.MaxTLSHandshakeMessage when Max is 0)
// is dropped with a CapExceeded error; the stream stays in step.
//
// Messages returned by Next alias the bytes passed to Write when a message
// arrived whole in one Write, and memory owned by the reassembler
// otherwise. The reassembler never writes to either again, so messages stay
// valid after further Writes; copy them if the caller reuses its buffers.
// The zero value is ready to use.
type HandshakeReassembler struct {
	DTLS bool
	Max  int

	queue []HandshakeMsg // whole messages; Next takes queue[head]
	head  int
	dups  int

	// TLS stream state: partial holds the start of a message that spans
	// Writes; skip counts bytes of an over-cap message still to drop.
	partial []byte
	skip    int

	// DTLS state. Until the first message is delivered, nextSeq follows
	// the lowest message_seq seen, so a flight whose datagrams arrive out
	// of order is still put in order.
	started   bool
	delivered bool
	nextSeq   int
	partials  []dtlsPartial
}

// dtlsPartial is a DTLS message being assembled from fragments. raw holds
// the 12-byte unfragmented header followed by the body; covered lists the
// received body ranges, sorted and merged.
type dtlsPartial struct {
	seq     int
	typ     HandshakeType
	length  uint32
	raw     []byte
	covered []byteRange
	dropped bool // over the cap: fragments are counted but not kept
}

type byteRange struct{ start, end uint32 }

func (h *HandshakeReassembler) max() int {
	if h.Max > 0 {
		return h.Max
	}
	return dissect.MaxTLSHandshakeMessage
}

func (h *HandshakeReassembler) layer() string {
	if h.DTLS {
		return "dtls"
	}
	return "tls"
}

// Write adds the fragment of one handshake record. It returns an error for
// what it had to drop (a message over the cap, a malformed DTLS fragment);
// messages completed before the problem are still delivered by Next.
func (h *HandshakeReassembler) Write(fragment []byte) error {
	if h.head == len(h.queue) {
		clear(h.queue)
		h.queue, h.head = h.queue[:0], 0
	}
	if h.DTLS {
		return h.writeDTLS(fragment)
	}
	return h.writeTLS(fragment)
}

// Next returns the next whole message, in order.
func (h *HandshakeReassembler) Next() (HandshakeMsg, bool) {
	if h.head >= len(h.queue) {
		return HandshakeMsg{}, false
	}
	m := h.queue[h.head]
	h.queue[h.head] = HandshakeMsg{}
	h.head++
	return m, true
}

// Pending returns the number of bytes held for messages not yet whole.
func (h *HandshakeReassembler) Pending() int {
	n := len(h.partial)
	for i := range h.partials {
		p := &h.partials[i]
		for _, r := range p.covered {
			n += int(r.end - r.start)
		}
	}
	return n
}

// Duplicates returns the number of DTLS fragments dropped as
// retransmissions.
func (h *HandshakeReassembler) Duplicates() int { return h.dups }

// Reset forgets all state (for a new handshake in the same direction),
// keeping DTLS and Max.
func (h *HandshakeReassembler) Reset() {
	clear(h.queue)
	*h = HandshakeReassembler{DTLS: h.DTLS, Max: h.Max, queue: h.queue[:0], partials: h.partials[:0]}
}

func (h *HandshakeReassembler) push(m HandshakeMsg) error {
	if len(h.queue)-h.head >= maxQueuedMessages {
		return dissect.Errorf(dissect.CapExceeded, h.layer(), -1, "more than %d handshake messages waiting to be read", maxQueuedMessages)
	}
	h.queue = append(h.queue, m)
	return nil
}

func (h *HandshakeReassembler) writeTLS(p []byte) error {
	var firstErr error
	note := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	for len(p) > 0 {
		if h.skip > 0 {
			k := min(h.skip, len(p))
			h.skip -= k
			p = p[k:]
			continue
		}
		if len(h.partial) == 0 && len(p) >= HandshakeHeaderLen {
			length := int(p[1])<<16 | int(p[2])<<8 | int(p[3])
			if length > h.max() {
				note(dissect.Errorf(dissect.CapExceeded, "tls", -1, "%s of %d bytes exceeds cap %d", HandshakeType(p[0]), length, h.max()))
				h.skip = HandshakeHeaderLen + length
				continue
			}
			if total := HandshakeHeaderLen + length; len(p) >= total {
				if err := h.push(tlsMessage(p[:total])); err != nil {
					note(err)
				}
				p = p[total:]
				continue
			}
		}
		// The message spans Writes: gather it in memory of its own.
		if len(h.partial) < HandshakeHeaderLen {
			k := min(HandshakeHeaderLen-len(h.partial), len(p))
			h.partial = append(h.partial, p[:k]...)
			p = p[k:]
			if len(h.partial) < HandshakeHeaderLen {
				continue
			}
			length := int(h.partial[1])<<16 | int(h.partial[2])<<8 | int(h.partial[3])
			if length > h.max() {
				note(dissect.Errorf(dissect.CapExceeded, "tls", -1, "%s of %d bytes exceeds cap %d", HandshakeType(h.partial[0]), length, h.max()))
				h.skip = length
				h.partial = h.partial[:0]
				continue
			}
			grown := make([]byte, HandshakeHeaderLen, HandshakeHeaderLen+length)
			copy(grown, h.partial)
			h.partial = grown
		}
		total := cap(h.partial)
		k := min(total-len(h.partial), len(p))
		h.partial = append(h.partial, p[:k]...)
		p = p[k:]
		if len(h.partial) == total {
			if err := h.push(tlsMessage(h.partial)); err != nil {
				note(err)
			}
			h.partial = nil
		}
	}
	return firstErr
}

// tlsMessage wraps a whole message (header and body) already checked for
// length.
func tlsMessage(raw []byte) HandshakeMsg {
	length := uint32(raw[1])<<16 | uint32(raw[2])<<8 | uint32(raw[3])
	return HandshakeMsg{
		Type:           HandshakeType(raw[0]),
		Length:         length,
		Body:           raw[HandshakeHeaderLen:],
		Raw:            raw,
		FragmentLength: length,
	}
}

func (h *HandshakeReassembler) writeDTLS(p []byte) error {
	var firstErr error
	note := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	off := 0
	for len(p) > 0 {
		frag, n, err := parseDTLSFragmentCapped(p, h.max())
		if err != nil {
			if e, ok := err.(*dissect.Error); ok && e.Offset >= 0 {
				e.Offset += off
			}
			note(err)
			return firstErr
		}
		if err := h.addDTLSFragment(frag); err != nil {
			note(err)
		}
		p = p[n:]
		off += n
	}
	return firstErr
}

// parseDTLSFragmentCapped is ParseHandshakeFragment for DTLS, except that a
// message over the cap is returned (so its fragments can be counted and
// skipped) rather than refused.
func parseDTLSFragmentCapped(b []byte, max int) (HandshakeMsg, int, error) {
	if len(b) < DTLSHandshakeHeaderLen {
		return HandshakeMsg{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "DTLS handshake header cut short")
	}
	length := uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	fragLen := uint32(b[9])<<16 | uint32(b[10])<<8 | uint32(b[11])
	if int(length) <= max {
		return ParseHandshakeFragment(b, true)
	}
	fragOff := uint32(b[6])<<16 | uint32(b[7])<<8 | uint32(b[8])
	if uint64(fragOff)+uint64(fragLen) > uint64(length) {
		return HandshakeMsg{}, 0, dissect.Errorf(dissect.Malformed, "dtls", 6, "fragment %d+%d beyond message length %d", fragOff, fragLen, length)
	}
	if len(b) < DTLSHandshakeHeaderLen+int(fragLen) {
		return HandshakeMsg{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "handshake fragment announces %d bytes, have %d", fragLen, len(b)-DTLSHandshakeHeaderLen)
	}
	n := DTLSHandshakeHeaderLen + int(fragLen)
	return HandshakeMsg{
		Type:           HandshakeType(b[0]),
		Length:         length,
		MessageSeq:     uint16(b[4])<<8 | uint16(b[5]),
		FragmentOffset: fragOff,
		FragmentLength: fragLen,
		Body:           b[DTLSHandshakeHeaderLen:n],
		Raw:            b[:n],
	}, n, nil
}

func (h *HandshakeReassembler) addDTLSFragment(f HandshakeMsg) error {
	seq := int(f.MessageSeq)
	if !h.delivered && (!h.started || seq < h.nextSeq) {
		h.started = true
		h.nextSeq = seq
	}
	if seq < h.nextSeq {
		h.dups++
		return nil
	}
	if seq >= h.nextSeq+maxDTLSPartials {
		return dissect.Errorf(dissect.CapExceeded, "dtls", -1, "message_seq %d is more than %d ahead of %d", seq, maxDTLSPartials, h.nextSeq)
	}
	idx := -1
	for i := range h.partials {
		if h.partials[i].seq == seq {
			idx = i
			break
		}
	}
	// Fast path: the next message, whole, in one fragment.
	if idx < 0 && seq == h.nextSeq && f.FragmentOffset == 0 && f.FragmentLength == f.Length && int(f.Length) <= h.max() && h.mayStartWith(seq, f.Type) {
		err := h.push(f)
		h.nextSeq++
		h.delivered = true
		if err2 := h.deliverDTLS(); err == nil {
			err = err2
		}
		return err
	}
	var err error
	if idx < 0 {
		if len(h.partials) >= maxDTLSPartials {
			return dissect.Errorf(dissect.CapExceeded, "dtls", -1, "more than %d DTLS handshake messages in assembly", maxDTLSPartials)
		}
		p := dtlsPartial{seq: seq, typ: f.Type, length: f.Length}
		if int(f.Length) > h.max() {
			p.dropped = true
			err = dissect.Errorf(dissect.CapExceeded, "dtls", -1, "%s of %d bytes exceeds cap %d", f.Type, f.Length, h.max())
		} else {
			// The unfragmented header: fragment_offset 0,
			// fragment_length equal to the message length.
			p.raw = make([]byte, DTLSHandshakeHeaderLen+int(f.Length))
			p.raw[0] = byte(f.Type)
			p.raw[1], p.raw[2], p.raw[3] = byte(f.Length>>16), byte(f.Length>>8), byte(f.Length)
			p.raw[4], p.raw[5] = byte(f.MessageSeq>>8), byte(f.MessageSeq)
			copy(p.raw[9:12], p.raw[1:4])
		}
		h.partials = append(h.partials, p)
		idx = len(h.partials) - 1
	}
	p := &h.partials[idx]
	if p.typ != f.Type || p.length != f.Length {
		return dissect.Errorf(dissect.Malformed, "dtls", 0, "fragment of message_seq %d says %s/%d, earlier fragments %s/%d", seq, f.Type, f.Length, p.typ, p.length)
	}
	start, end := f.FragmentOffset, f.FragmentOffset+f.FragmentLength
	if p.covers(start, end) {
		h.dups++
		return err
	}
	if !p.dropped {
		copy(p.raw[DTLSHandshakeHeaderLen+int(start):], f.Body)
	}
	p.add(start, end)
	if err2 := h.deliverDTLS(); err == nil {
		err = err2
	}
	return err
}

// deliverDTLS moves whole messages, starting at nextSeq, to the queue.
func (h *HandshakeReassembler) deliverDTLS() error {
	for {
		idx := -1
		for i := range h.partials {
			if h.partials[i].seq == h.nextSeq {
				idx = i
				break
			}
		}
		if idx < 0 || !h.partials[idx].complete() || !h.mayStartWith(h.nextSeq, h.partials[idx].typ) {
			return nil
		}
		p := h.partials[idx]
		last := len(h.partials) - 1
		copy(h.partials[idx:], h.partials[idx+1:])
		h.partials[last] = dtlsPartial{}
		h.partials = h.partials[:last]
		h.nextSeq++
		h.delivered = true
		if p.dropped {
			continue
		}
		if err := h.push(HandshakeMsg{
			Type:           p.typ,
			Length:         p.length,
			Body:           p.raw[DTLSHandshakeHeaderLen:],
			Raw:            p.raw,
			MessageSeq:     uint16(p.seq),
			FragmentLength: p.length,
		}); err != nil {
			return err
		}
	}
}

// mayStartWith reports whether message seq of type t may be delivered as
// the first message of this direction: message_seq 0, or a message that
// opens a flight (a hello, or HelloVerifyRequest). Anything else waits for
// the earlier messages, or for Flush.
func (h *HandshakeReassembler) mayStartWith(seq int, t HandshakeType) bool {
	if h.delivered || seq == 0 {
		return true
	}
	switch t {
	case HandshakeTypeClientHello, HandshakeTypeServerHello, HandshakeTypeHelloVerifyRequest:
		return true
	}
	return false
}

// Flush delivers DTLS messages that are whole but wait behind a
// message_seq that never arrived (a capture that starts mid-handshake, a
// lost datagram), in message_seq order, and continues after the last one.
// It does nothing for TLS.
func (h *HandshakeReassembler) Flush() error {
	var firstErr error
	for {
		best := -1
		for i := range h.partials {
			if h.partials[i].complete() && (best < 0 || h.partials[i].seq < h.partials[best].seq) {
				best = i
			}
		}
		if best < 0 {
			return firstErr
		}
		h.nextSeq = h.partials[best].seq
		h.delivered = true
		if err := h.deliverDTLS(); err != nil && firstErr == nil {
			firstErr = err
		}
	}
}

func (p *dtlsPartial) complete() bool {
	if p.length == 0 {
		return true
	}
	return len(p.covered) == 1 && p.covered[0].start == 0 && p.covered[0].end == p.length
}

// covers reports whether [start,end) was already received. An empty range
// counts as received once anything (or, for an empty message, the message)
// was.
func (p *dtlsPartial) covers(start, end uint32) bool {
	if start == end {
		return len(p.covered) > 0 || (p.length == 0 && p.seen())
	}
	for _, r := range p.covered {
		if r.start <= start && end <= r.end {
			return true
		}
	}
	return false
}

func (p *dtlsPartial) seen() bool { return len(p.covered) > 0 }

// add merges [start,end) into the covered ranges.
func (p *dtlsPartial) add(start, end uint32) {
	if start == end {
		if p.length == 0 && len(p.covered) == 0 {
			p.covered = append(p.covered, byteRange{0, 0})
		}
		return
	}
	out := p.covered[:0:0]
	placed := false
	for _, r := range p.covered {
		switch {
		case r.end < start:
			out = append(out, r)
		case end < r.start:
			if !placed {
				out = append(out, byteRange{start, end})
				placed = true
			}
			out = append(out, r)
		default:
			start, end = min(start, r.start), max(end, r.end)
		}
	}
	if !placed {
		out = append(out, byteRange{start, end})
	}
	p.covered = out
}
