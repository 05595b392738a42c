package scenario

import (
	"io"
	"time"

	"github.com/sessionscope/sscope/samples/expect"
	"github.com/sessionscope/sscope/samples/refimpl/capture"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
)

// World is everything one scenario run writes into: the capture, its
// clock, the TLS secrets, the client's PAC file and the expected verdicts.
type World struct {
	ID       string
	Clock    *capture.Clock
	Capture  *capture.Writer
	KeyLog   *capture.KeyLog
	Expected *expect.Sample
	// PACFile is the client's PAC file after the scenario (F only).
	PACFile []byte

	radiusAuths int // authentications through the NAS so far
}

// epoch is the capture time of every scenario's first packet: fixed, so
// that the files are reproducible.
var epoch = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

func newWorld(s Scenario) *World {
	clock := capture.NewClock(epoch)
	w := &World{
		ID:      s.ID,
		Clock:   clock,
		Capture: capture.NewWriter(clock),
		KeyLog:  &capture.KeyLog{},
		Expected: &expect.Sample{
			Scenario: s.ID,
			Title:    s.Title,
			Findings: []string{},
		},
	}
	return w
}

// Rand is the deterministic random stream of one named endpoint of the
// scenario.
func (w *World) Rand(endpoint string) io.Reader { return detrand.New(w.ID + "/" + endpoint) }

// LogKeys is a tlsengine key log callback that records into the world.
func (w *World) LogKeys(clientRandom, masterSecret []byte) { w.KeyLog.Add(clientRandom, masterSecret) }
