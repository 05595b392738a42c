package live

import "time"

// Config says what to capture.
type Config struct {
	// Interface is the interface name (eth0, ens1f0, ...).
	Interface string
	// Filter is attached in the kernel; nil captures everything.
	Filter *Filter
	// RingBytes is the size of the kernel ring shared with the capture
	// (0: DefaultRingBytes). A bigger ring rides out longer bursts.
	RingBytes int
	// NoPromiscuous leaves the interface out of promiscuous mode; a span
	// or mirror port needs promiscuous mode to see other hosts' frames.
	NoPromiscuous bool
	// PollInterval bounds how long Next waits for a packet (0: 100 ms).
	PollInterval time.Duration
}

// DefaultRingBytes is the default kernel ring size.
const DefaultRingBytes = 32 << 20

// KernelStats are the socket's counters since the capture opened.
type KernelStats struct {
	// Received counts the packets that passed the filter, including
	// those the kernel then had to drop.
	Received uint64
	// Dropped counts the packets the kernel dropped because the ring was
	// full: the analysis did not keep up.
	Dropped uint64
	// Freezes counts ring queue freezes (TPACKET_V3).
	Freezes uint64
}
