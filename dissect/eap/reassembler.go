package eap

import "github.com/sessionscope/sscope/dissect"

// Reassembler joins the fragments of one direction of one conversation of a
// TLS-based method into whole TLS data (one "TLS message or set of messages"
// in RFC 5216's words, i.e. one flight). The zero value is ready to use.
//
// It follows the peers, not the letter of the RFCs: L may come on the first
// fragment only or on every one; a fragmented message without L is still
// joined (and reported Malformed); a TLS Message Length that disagrees with
// what arrived is reported but the data is returned.
type Reassembler struct {
	// Max caps the joined size; 0 means dissect.MaxEAPTLSMessage.
	Max int

	buf         []byte
	fragments   int
	expected    uint32
	hasExpected bool
	lengthClash bool
	noFirstL    bool // the first fragment of a fragmented message lacked L
	dropping    bool
	lastID      uint8
	hasLastID   bool
	retrans     int
}

func (r *Reassembler) max() int {
	if r.Max > 0 {
		return r.Max
	}
	return dissect.MaxEAPTLSMessage
}

// Add takes the next fragment of this direction, sent in the EAP packet with
// the given Identifier. It returns the joined TLS data when a fragment
// without M completes a message (or a single unfragmented fragment carries
// one); the data aliases f.Data for an unfragmented message and is a new
// slice owned by the caller otherwise. Start packets and empty ACKs return
// nothing. A fragment with the same Identifier as the previous one is a
// retransmission: it is ignored and counted. Exceeding Max returns
// CapExceeded and drops the message up to its last fragment.
func (r *Reassembler) Add(identifier uint8, f TLSFragment) (tlsData []byte, complete bool, err error) {
	if r.hasLastID && identifier == r.lastID {
		r.retrans++
		return nil, false, nil
	}
	r.lastID, r.hasLastID = identifier, true

	if f.IsStart() {
		// A new conversation in this direction: anything half-joined is gone.
		r.clear()
		return nil, false, nil
	}
	first := r.fragments == 0 && !r.dropping
	more := f.MoreFragments()
	if first && !more && len(f.Data) == 0 {
		// An ACK, or an empty message: nothing to join.
		if f.HasLength && f.MessageLength != 0 {
			return nil, false, dissect.Errorf(dissect.Malformed, layer, -1, "empty fragment announces TLS Message Length %d", f.MessageLength)
		}
		return nil, false, nil
	}
	if first && more && !f.HasLength {
		r.noFirstL = true
	}
	if f.HasLength {
		switch {
		case first || !r.hasExpected:
			r.expected, r.hasExpected = f.MessageLength, true
		case f.MessageLength != r.expected:
			r.lengthClash = true
		}
		if !r.dropping && int64(r.expected) > int64(r.max()) {
			r.startDropping()
			err = dissect.Errorf(dissect.CapExceeded, layer, -1, "TLS Message Length %d exceeds cap %d", r.expected, r.max())
			if !more {
				r.clear()
			}
			return nil, false, err
		}
	}
	if r.dropping {
		if !more {
			r.clear()
		}
		return nil, false, nil
	}
	if len(r.buf)+len(f.Data) > r.max() {
		n := len(r.buf) + len(f.Data)
		r.startDropping()
		if !more {
			r.clear()
		}
		return nil, false, dissect.Errorf(dissect.CapExceeded, layer, -1, "TLS data of %d bytes exceeds cap %d", n, r.max())
	}
	r.fragments++
	if first && !more {
		// Unfragmented: no copy.
		tlsData = f.Data
		err = r.check(len(tlsData))
		r.clear()
		return tlsData, true, err
	}
	if r.buf == nil {
		size := len(f.Data) * 2
		if r.hasExpected && int(r.expected) >= len(f.Data) {
			size = int(r.expected)
		}
		r.buf = make([]byte, 0, size)
	}
	r.buf = append(r.buf, f.Data...)
	if more {
		return nil, false, nil
	}
	tlsData = r.buf
	err = r.check(len(tlsData))
	r.buf = nil
	r.clear()
	return tlsData, true, err
}

// check compares what arrived with the announced length.
func (r *Reassembler) check(n int) error {
	switch {
	case r.lengthClash:
		return dissect.Errorf(dissect.Malformed, layer, -1, "fragments announce different TLS Message Lengths (first %d); %d bytes arrived", r.expected, n)
	case r.hasExpected && int64(r.expected) != int64(n):
		return dissect.Errorf(dissect.Malformed, layer, -1, "TLS Message Length %d, %d bytes arrived", r.expected, n)
	case r.noFirstL:
		return dissect.Errorf(dissect.Malformed, layer, -1, "fragmented TLS message of %d bytes in %d fragments without L on the first", n, r.fragments)
	}
	return nil
}

func (r *Reassembler) startDropping() {
	r.buf = nil
	r.fragments = 0
	r.dropping = true
}

// clear forgets the message in progress but keeps the retransmission state.
func (r *Reassembler) clear() {
	r.buf = nil
	r.fragments = 0
	r.expected, r.hasExpected = 0, false
	r.lengthClash, r.noFirstL = false, false
	r.dropping = false
}

// Pending returns how many bytes wait for more fragments.
func (r *Reassembler) Pending() int { return len(r.buf) }

// InProgress reports whether a fragmented message has started and not ended.
func (r *Reassembler) InProgress() bool { return r.fragments > 0 || r.dropping }

// Retransmissions returns how many fragments were ignored as retransmitted.
func (r *Reassembler) Retransmissions() int { return r.retrans }

// Reset forgets everything, including the retransmission count.
func (r *Reassembler) Reset() {
	max := r.Max
	*r = Reassembler{Max: max}
}
