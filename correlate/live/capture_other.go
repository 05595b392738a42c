//go:build !linux

package live

import (
	"time"

	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

// Capture is not available on this system.
type Capture struct{}

// Open fails: live capture needs Linux's AF_PACKET.
func Open(cfg Config) (*Capture, error) {
	return nil, &OpenError{Interface: cfg.Interface, Err: ErrUnsupported, Detail: "sscope live runs on Linux"}
}

func (c *Capture) Next(p *source.Packet) error { return ErrUnsupported }
func (c *Capture) LinkType() packet.LinkType   { return packet.LinkEthernet }
func (c *Capture) Interface() string           { return "" }
func (c *Capture) Stats() (KernelStats, error) { return KernelStats{}, ErrUnsupported }
func (c *Capture) Close() error                { return nil }
func (c *Capture) Started() time.Time          { return time.Time{} }
