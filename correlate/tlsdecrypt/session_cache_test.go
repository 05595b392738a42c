package tlsdecrypt

import (
	"bytes"
	"testing"
)

func TestSessionCacheCap(t *testing.T) {
	c := NewSessionCache(3)
	for i := range 5 {
		c.PutSessionID([]byte{byte(i)}, filled(byte(i), 48))
	}
	if c.Len() != 3 {
		t.Fatalf("%d entries", c.Len())
	}
	for i := range 5 {
		ms, ok := c.BySessionID([]byte{byte(i)})
		if ok != (i >= 2) || (ok && !bytes.Equal(ms, filled(byte(i), 48))) {
			t.Errorf("session %d: %x %v", i, ms, ok)
		}
	}
	// An ID and a ticket with the same bytes are different entries; a
	// second put replaces without evicting; empty keys are ignored.
	c.PutTicket([]byte{4}, filled(9, 48))
	c.PutTicket([]byte{4}, filled(8, 48))
	c.PutSessionID(nil, filled(7, 48))
	if ms, _ := c.ByTicket([]byte{4}); !bytes.Equal(ms, filled(8, 48)) {
		t.Errorf("ticket %x", ms)
	}
	if ms, _ := c.BySessionID([]byte{4}); !bytes.Equal(ms, filled(4, 48)) {
		t.Errorf("session ID overwritten by a ticket: %x", ms)
	}
	if _, ok := c.BySessionID(nil); ok || c.Len() != 3 {
		t.Errorf("empty ID: %v, %d entries", ok, c.Len())
	}
	// Results are copies.
	ms, _ := c.ByTicket([]byte{4})
	ms[0] ^= 1
	if again, _ := c.ByTicket([]byte{4}); !bytes.Equal(again, filled(8, 48)) {
		t.Error("cache shares its secrets")
	}
}
