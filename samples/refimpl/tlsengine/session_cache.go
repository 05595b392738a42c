package tlsengine

import (
	"sync"
	"time"
)

// MaxCachedSessions caps a SessionCache; when full, expired entries are
// dropped first, then the oldest.
const MaxCachedSessions = 1 << 14

// SessionCache is a server node's cache of sessions by session ID. Caches
// are per node and never replicated: a client resuming on another node is
// refused. Entries expire Lifetime after the handshake that made them. It
// is safe for concurrent use.
type SessionCache struct {
	Lifetime time.Duration

	mu      sync.Mutex
	entries map[string]cachedSession
}

// cachedSession is what resumption needs from the original handshake.
type cachedSession struct {
	masterSecret []byte
	cipherSuite  uint16
	ems          bool
	created      time.Time
}

// NewSessionCache returns an empty cache whose entries live lifetime.
func NewSessionCache(lifetime time.Duration) *SessionCache {
	return &SessionCache{Lifetime: lifetime, entries: make(map[string]cachedSession)}
}

// Len returns the number of entries, expired ones included.
func (c *SessionCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Forget drops every entry, as a server restart does.
func (c *SessionCache) Forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}

func (c *SessionCache) put(id []byte, s cachedSession) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[string]cachedSession)
	}
	if len(c.entries) >= MaxCachedSessions {
		c.evict(s.created)
	}
	s.masterSecret = append([]byte(nil), s.masterSecret...)
	c.entries[string(id)] = s
}

// evict drops expired entries, and the oldest one if none had expired.
func (c *SessionCache) evict(now time.Time) {
	var oldest string
	var oldestAt time.Time
	first := true
	for id, e := range c.entries {
		if c.expired(e, now) {
			delete(c.entries, id)
			continue
		}
		if first || e.created.Before(oldestAt) || (e.created.Equal(oldestAt) && id < oldest) {
			oldest, oldestAt, first = id, e.created, false
		}
	}
	if len(c.entries) >= MaxCachedSessions {
		delete(c.entries, oldest)
	}
}

func (c *SessionCache) expired(e cachedSession, now time.Time) bool {
	return !now.Before(e.created.Add(c.Lifetime))
}

// get returns the live entry for id; an expired entry is dropped.
func (c *SessionCache) get(id []byte, now time.Time) (cachedSession, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[string(id)]
	if !ok {
		return cachedSession{}, false
	}
	if c.expired(e, now) {
		delete(c.entries, string(id))
		return cachedSession{}, false
	}
	return e, true
}
