package capture

import "time"

// Clock is the time of a capture. It starts at a fixed time and moves only
// when told, so a scenario gives the same timestamps on every run.
type Clock struct {
	now time.Time
}

// NewClock returns a clock that reads start until it is advanced.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now is the clock's current time.
func (c *Clock) Now() time.Time { return c.now }

// Advance moves the clock forward by d. A clock never goes back: d <= 0
// leaves it where it is.
func (c *Clock) Advance(d time.Duration) {
	if d > 0 {
		c.now = c.now.Add(d)
	}
}
