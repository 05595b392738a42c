package radiusnode

import "time"

// duplicateKey identifies a request for duplicate detection: RFC 5080
// section 2.2.2 names the source address and port, the identifier and the
// Request Authenticator.
type duplicateKey struct {
	source string
	id     uint8
	auth   [16]byte
}

type duplicateEntry struct {
	answer []byte
	at     time.Time
}

// duplicateCache remembers the answers sent recently, oldest first, and
// forgets them after lifetime or when more than limit are held.
type duplicateCache struct {
	lifetime time.Duration
	limit    int
	entries  map[duplicateKey]duplicateEntry
	order    []duplicateKey
}

func newDuplicateCache(lifetime time.Duration, limit int) *duplicateCache {
	return &duplicateCache{lifetime: lifetime, limit: limit, entries: make(map[duplicateKey]duplicateEntry)}
}

// get returns the cached answer to k, if it is still fresh at now.
func (c *duplicateCache) get(k duplicateKey, now time.Time) ([]byte, bool) {
	c.expire(now)
	e, ok := c.entries[k]
	return e.answer, ok
}

// put remembers answer as the answer to k.
func (c *duplicateCache) put(k duplicateKey, answer []byte, now time.Time) {
	if _, ok := c.entries[k]; !ok {
		c.order = append(c.order, k)
	}
	c.entries[k] = duplicateEntry{answer: answer, at: now}
	for len(c.order) > c.limit {
		c.drop()
	}
}

// expire forgets the entries older than the lifetime.
func (c *duplicateCache) expire(now time.Time) {
	for len(c.order) > 0 {
		e, ok := c.entries[c.order[0]]
		if ok && now.Sub(e.at) < c.lifetime {
			return
		}
		c.drop()
	}
}

func (c *duplicateCache) drop() {
	delete(c.entries, c.order[0])
	c.order = c.order[1:]
}
