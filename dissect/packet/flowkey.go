package packet

import "net/netip"

// FlowKey is the 5-tuple of a frame's innermost IP header and transport
// header. It is comparable and usable as a map key.
type FlowKey struct {
	Src, Dst         netip.Addr
	SrcPort, DstPort uint16
	Proto            uint8
}

// FlowKey returns the frame's 5-tuple (ports are 0 when no UDP/TCP header
// was decoded).
func (f *Frame) FlowKey() FlowKey {
	return FlowKey{Src: f.Src, Dst: f.Dst, SrcPort: f.SrcPort, DstPort: f.DstPort, Proto: f.Proto}
}

// Reverse returns the key of the opposite direction.
func (k FlowKey) Reverse() FlowKey {
	return FlowKey{Src: k.Dst, Dst: k.Src, SrcPort: k.DstPort, DstPort: k.SrcPort, Proto: k.Proto}
}

// Canonical returns a key that is the same for both directions of a flow
// (the endpoint with the lower address, then the lower port, first) and
// whether k had to be reversed to get it.
func (k FlowKey) Canonical() (FlowKey, bool) {
	c := k.Src.Compare(k.Dst)
	if c > 0 || (c == 0 && k.SrcPort > k.DstPort) {
		return k.Reverse(), true
	}
	return k, false
}
