package flow

import "time"

// Dir is the direction of bytes within a connection.
type Dir uint8

// Directions.
const (
	ClientToServer Dir = 0
	ServerToClient Dir = 1
)

// Other returns the opposite direction.
func (d Dir) Other() Dir { return 1 - d }

// String is "c2s" or "s2c", as the report writes directions.
func (d Dir) String() string {
	if d == ClientToServer {
		return "c2s"
	}
	return "s2c"
}

// Ref says where something was seen: input (index into the report's
// inputs), 1-based frame number within that input, and capture time.
type Ref struct {
	Input int
	Frame uint64
	Time  time.Time
}
