package main

import (
	"fmt"
	"log"
	"net"
	"sync"
)

// maxDatagram is the largest RADIUS packet (RFC 2865 section 3: 4096).
const maxDatagram = 4096

// maxTracked caps the State and pending-request tables; a lab run needs a
// handful of entries, so hitting it means something is looping.
const maxTracked = 4096

// pendingKey names one request in flight to one backend.
type pendingKey struct {
	backend    int
	identifier uint8
}

// relay forwards Access-Requests from the front socket to backends.
type relay struct {
	front    *net.UDPConn
	backends []*net.UDPConn // one connected socket per backend
	logger   *log.Logger

	mu      sync.Mutex
	next    int                         // backend for the next new conversation
	byState map[string]int              // State value -> backend
	pending map[pendingKey]*net.UDPAddr // request in flight -> requester
}

func newRelay(front *net.UDPConn, backends []*net.UDPConn, logger *log.Logger) *relay {
	return &relay{
		front:    front,
		backends: backends,
		logger:   logger,
		byState:  make(map[string]int),
		pending:  make(map[pendingKey]*net.UDPAddr),
	}
}

// route picks the backend for a request and says why.
func (r *relay) route(info packetInfo) (int, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if info.State != nil {
		if b, ok := r.byState[string(info.State)]; ok {
			return b, fmt.Sprintf("State %x known", info.State)
		}
		b := r.next
		r.next = (r.next + 1) % len(r.backends)
		return b, fmt.Sprintf("State %x unknown, round-robin", info.State)
	}
	b := r.next
	r.next = (r.next + 1) % len(r.backends)
	return b, "no State: new conversation, round-robin"
}

func (r *relay) remember(m map[pendingKey]*net.UDPAddr, k pendingKey, v *net.UDPAddr) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(m) >= maxTracked {
		clear(m)
	}
	m[k] = v
}

// serveFront reads requests from clients and forwards them.
func (r *relay) serveFront() error {
	buf := make([]byte, maxDatagram+1)
	for {
		n, from, err := r.front.ReadFromUDP(buf)
		if err != nil {
			return err
		}
		pkt := buf[:n]
		info, ok := parsePacket(pkt)
		if !ok || n > maxDatagram || info.Code != codeAccessRequest {
			r.logger.Printf("drop %d bytes from %v: not an Access-Request", n, from)
			continue
		}
		b, why := r.route(info)
		r.remember(r.pending, pendingKey{b, info.Identifier}, from)
		r.logger.Printf("Access-Request id=%d from %v -> backend %d (%s)", info.Identifier, from, b, why)
		if _, err := r.backends[b].Write(pkt); err != nil {
			r.logger.Printf("forward to backend %d: %v", b, err)
		}
	}
}

// serveBackend reads answers from one backend and returns them to the
// requester, learning the State the backend assigned.
func (r *relay) serveBackend(b int) error {
	buf := make([]byte, maxDatagram+1)
	for {
		n, err := r.backends[b].Read(buf)
		if err != nil {
			return err
		}
		pkt := buf[:n]
		info, ok := parsePacket(pkt)
		if !ok || n > maxDatagram {
			r.logger.Printf("drop %d bytes from backend %d: not RADIUS", n, b)
			continue
		}
		r.mu.Lock()
		to := r.pending[pendingKey{b, info.Identifier}]
		if info.Code == codeAccessChallenge && info.State != nil {
			if len(r.byState) >= maxTracked {
				clear(r.byState)
			}
			r.byState[string(info.State)] = b
		}
		r.mu.Unlock()
		if to == nil {
			r.logger.Printf("drop answer id=%d from backend %d: no request", info.Identifier, b)
			continue
		}
		r.logger.Printf("code=%d id=%d from backend %d -> %v State=%x", info.Code, info.Identifier, b, to, info.State)
		if _, err := r.front.WriteToUDP(pkt, to); err != nil {
			r.logger.Printf("answer to %v: %v", to, err)
		}
	}
}

// run serves until one of the sockets fails.
func (r *relay) run() error {
	errs := make(chan error, len(r.backends)+1)
	go func() { errs <- r.serveFront() }()
	for i := range r.backends {
		go func() { errs <- r.serveBackend(i) }()
	}
	return <-errs
}

// dialBackends opens one connected UDP socket per backend address.
func dialBackends(addrs []string) ([]*net.UDPConn, error) {
	var conns []*net.UDPConn
	for _, a := range addrs {
		ua, err := net.ResolveUDPAddr("udp", a)
		if err != nil {
			return nil, err
		}
		c, err := net.DialUDP("udp", nil, ua)
		if err != nil {
			return nil, err
		}
		conns = append(conns, c)
	}
	return conns, nil
}
