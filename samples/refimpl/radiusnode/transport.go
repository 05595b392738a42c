package radiusnode

import (
	"errors"
	"fmt"
)

// Transport carries one Access-Request to the server and brings back its
// answer. Retransmitting is the transport's business: the NAS builds each
// request once and a retransmission repeats it byte for byte (same
// identifier, same Request Authenticator).
type Transport interface {
	Exchange(req []byte) (resp []byte, err error)
}

// ErrNoAnswer is returned when every transmission of a request went
// unanswered.
var ErrNoAnswer = errors.New("radiusnode: no answer from the RADIUS server")

// DefaultRetries is how many times a request is retransmitted after the
// first transmission when no answer comes.
const DefaultRetries = 3

// MemoryTransport hands requests to an in-process Server, as if they had
// crossed a network, and reports every datagram to Record in the order it
// travels, so a capture can be written from them.
type MemoryTransport struct {
	Server *Server
	// Source is the NAS's address as the server sees it (the key of the
	// server's duplicate cache), for example "192.0.2.10:50000".
	Source string
	// Record, when set, is called with each datagram that goes on the
	// wire: fromNAS is true for requests (retransmissions included) and
	// false for answers. Lost datagrams are recorded too: they were sent.
	Record func(fromNAS bool, pkt []byte)
	// Lose, when set, says whether a datagram is lost on the way
	// (recorded but not delivered); the request is then retransmitted, up
	// to Retries times. A lost answer makes the server see a
	// retransmission, which it answers from its duplicate cache.
	Lose func(fromNAS bool, pkt []byte) bool
	// Retries overrides DefaultRetries (negative: no retransmission).
	Retries int
}

// Exchange delivers req to the server and returns its answer.
func (m *MemoryTransport) Exchange(req []byte) ([]byte, error) {
	retries := m.Retries
	switch {
	case retries == 0:
		retries = DefaultRetries
	case retries < 0:
		retries = 0
	}
	var lastErr error
	for attempt := 0; attempt <= retries; attempt++ {
		m.record(true, req)
		if m.lost(true, req) {
			lastErr = ErrNoAnswer
			continue
		}
		resp, err := m.Server.Handle(m.Source, req)
		if err != nil {
			// A real server drops the request and the NAS times out:
			// retransmitting the same bytes cannot help.
			return nil, fmt.Errorf("%w: %v", ErrNoAnswer, err)
		}
		m.record(false, resp)
		if m.lost(false, resp) {
			lastErr = ErrNoAnswer
			continue
		}
		return resp, nil
	}
	return nil, lastErr
}

func (m *MemoryTransport) record(fromNAS bool, pkt []byte) {
	if m.Record != nil {
		m.Record(fromNAS, pkt)
	}
}

func (m *MemoryTransport) lost(fromNAS bool, pkt []byte) bool {
	return m.Lose != nil && m.Lose(fromNAS, pkt)
}
