package tlsdecrypt

import (
	"crypto/sha256"
	"sync"
)

// DefaultMaxSessions is the capacity of a SessionCache made with max <= 0.
const DefaultMaxSessions = 4096

// SessionCache remembers the master secrets of sessions decrypted earlier
// in the capture, by the session ID the server assigned and by the
// tickets it issued, so that a later abbreviated handshake (in another
// connection or EAP conversation) decrypts without a key log line of its
// own. Every Decrypter of an analysis shares one. It keeps at most its
// capacity of entries and forgets the oldest first. Tickets are kept by
// their SHA-256, so a long ticket costs no more than an ID. It is safe for
// concurrent use.
type SessionCache struct {
	mu    sync.Mutex
	m     map[[32]byte][]byte
	order [][32]byte // insertion order, a ring of capacity max
	next  int
	max   int
}

// NewSessionCache returns a cache of at most max entries.
func NewSessionCache(max int) *SessionCache {
	if max <= 0 {
		max = DefaultMaxSessions
	}
	return &SessionCache{m: make(map[[32]byte][]byte), max: max}
}

func cacheKey(kind string, b []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write(b)
	return [32]byte(h.Sum(nil))
}

func (c *SessionCache) put(k [32]byte, ms []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		c.m[k] = append([]byte(nil), ms...)
		return
	}
	if len(c.order) < c.max {
		c.order = append(c.order, k)
	} else {
		delete(c.m, c.order[c.next])
		c.order[c.next] = k
		c.next = (c.next + 1) % c.max
	}
	c.m[k] = append([]byte(nil), ms...)
}

func (c *SessionCache) get(k [32]byte) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ms, ok := c.m[k]
	if !ok {
		return nil, false
	}
	return append([]byte(nil), ms...), true
}

// PutSessionID remembers the master secret of the session a server
// assigned id to. Empty IDs are ignored.
func (c *SessionCache) PutSessionID(id, masterSecret []byte) {
	if len(id) > 0 {
		c.put(cacheKey("id", id), masterSecret)
	}
}

// PutTicket remembers the master secret of the session a ticket resumes.
func (c *SessionCache) PutTicket(ticket, masterSecret []byte) {
	if len(ticket) > 0 {
		c.put(cacheKey("ticket", ticket), masterSecret)
	}
}

// BySessionID returns the master secret of the session with id.
func (c *SessionCache) BySessionID(id []byte) ([]byte, bool) {
	if len(id) == 0 {
		return nil, false
	}
	return c.get(cacheKey("id", id))
}

// ByTicket returns the master secret of the session a ticket resumes.
func (c *SessionCache) ByTicket(ticket []byte) ([]byte, bool) {
	if len(ticket) == 0 {
		return nil, false
	}
	return c.get(cacheKey("ticket", ticket))
}

// Len is the number of entries.
func (c *SessionCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
