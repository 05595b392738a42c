package capgen

import "encoding/binary"

// MAC is an Ethernet address.
type MAC [6]byte

// EtherType values the generators write.
const (
	EtherTypeIPv4   = 0x0800
	EtherTypeARP    = 0x0806
	EtherTypeIPv6   = 0x86dd
	EtherTypeDot1Q  = 0x8100
	EtherTypeQinQ   = 0x88a8
	EtherTypeERSPAN = 0x88be
)

// Headroom is how many bytes a frame buffer must keep free in front of the
// L3 packet so that every encapsulation can be prepended in place.
const Headroom = 96

// EncapKind says how a frame reaches the capture point.
type EncapKind uint8

const (
	// EncapPlain is an untagged Ethernet frame.
	EncapPlain EncapKind = iota
	// EncapVLAN is an Ethernet frame with one 802.1Q tag.
	EncapVLAN
	// EncapQinQ is an Ethernet frame with an 802.1ad service tag and an
	// 802.1Q customer tag.
	EncapQinQ
	// EncapERSPAN is an Ethernet frame mirrored inside GRE/ERSPAN type II
	// (outer Ethernet, IPv4, GRE with sequence number, ERSPAN header).
	EncapERSPAN
)

// Encap is the link-layer wrapping of one flow or conversation.
type Encap struct {
	Kind EncapKind
	// VLAN is the 802.1Q VLAN ID (VLAN and QinQ; for ERSPAN a nonzero
	// value tags the mirrored frame and is recorded in the ERSPAN header).
	VLAN uint16
	// OuterVLAN is the 802.1ad service VLAN ID (QinQ only).
	OuterVLAN uint16
	// Session is the ERSPAN session ID (10 bits).
	Session uint16
}

// Mirror is the mutable state of the ERSPAN mirror sessions of one
// generator: the collector and probe addresses, the GRE sequence number and
// the outer IPv4 identification.
type Mirror struct {
	ProbeIP, CollectorIP   [4]byte
	ProbeMAC, CollectorMAC MAC
	// PortIndex is the ERSPAN index field (source port of the mirror).
	PortIndex uint32
	seq       uint32
	ipID      uint16
}

// NewMirror returns the mirror state with the generators' fixed probe and
// collector addresses.
func NewMirror() *Mirror {
	return &Mirror{
		ProbeIP:      [4]byte{10, 255, 0, 2},
		CollectorIP:  [4]byte{10, 255, 0, 1},
		ProbeMAC:     MAC{0x00, 0x1b, 0x54, 0xc2, 0x7a, 0x01},
		CollectorMAC: MAC{0x00, 0x50, 0x56, 0x9e, 0x10, 0x01},
		PortIndex:    0x10a,
	}
}

// EncapOverhead is the largest number of bytes Prepend writes.
const EncapOverhead = 14 + 8 + 8 + 8 + 20 + 14

// Prepend writes the link-layer headers of e in front of the L3 packet held
// in buf[start:end] (its EtherType is etherType) and returns the start of
// the finished frame. start must be at least EncapOverhead. m is needed for
// EncapERSPAN only.
func (e *Encap) Prepend(buf []byte, start, end int, src, dst MAC, etherType uint16, m *Mirror) int {
	switch e.Kind {
	case EncapVLAN:
		start = prependEthernet(buf, start, src, dst, []uint16{EtherTypeDot1Q, e.VLAN}, etherType)
	case EncapQinQ:
		start = prependEthernet(buf, start, src, dst, []uint16{EtherTypeQinQ, e.OuterVLAN, EtherTypeDot1Q, e.VLAN}, etherType)
	case EncapERSPAN:
		if e.VLAN != 0 {
			start = prependEthernet(buf, start, src, dst, []uint16{EtherTypeDot1Q, e.VLAN}, etherType)
		} else {
			start = prependEthernet(buf, start, src, dst, nil, etherType)
		}
		start = e.prependERSPAN(buf, start, end, m)
	default:
		start = prependEthernet(buf, start, src, dst, nil, etherType)
	}
	return start
}

// prependEthernet writes dst, src, the tag words (TPID, TCI pairs) and the
// EtherType in front of start.
func prependEthernet(buf []byte, start int, src, dst MAC, tags []uint16, etherType uint16) int {
	n := 14 + 2*len(tags)
	start -= n
	h := buf[start : start+n]
	copy(h[0:6], dst[:])
	copy(h[6:12], src[:])
	off := 12
	for _, t := range tags {
		binary.BigEndian.PutUint16(h[off:], t)
		off += 2
	}
	binary.BigEndian.PutUint16(h[off:], etherType)
	return start
}

// prependERSPAN wraps the mirrored frame buf[start:end] in ERSPAN type II,
// GRE, IPv4 and Ethernet from the probe to the collector.
func (e *Encap) prependERSPAN(buf []byte, start, end int, m *Mirror) int {
	// ERSPAN type II header (draft-foschiano-erspan-03 §4.1).
	start -= 8
	h := buf[start : start+8]
	encap := uint16(0) // original frame untagged
	if e.VLAN != 0 {
		encap = 3 // 802.1Q tag preserved in the mirrored frame
	}
	binary.BigEndian.PutUint16(h[0:], 1<<12|e.VLAN&0x0fff)
	binary.BigEndian.PutUint16(h[2:], encap<<11|e.Session&0x03ff)
	binary.BigEndian.PutUint32(h[4:], m.PortIndex&0x000fffff)
	// GRE with the sequence-number bit, protocol ERSPAN.
	start -= 8
	g := buf[start : start+8]
	binary.BigEndian.PutUint16(g[0:], 0x1000)
	binary.BigEndian.PutUint16(g[2:], EtherTypeERSPAN)
	binary.BigEndian.PutUint32(g[4:], m.seq)
	m.seq++
	// Outer IPv4.
	start -= 20
	ip := buf[start : start+20]
	ip[0], ip[1] = 0x45, 0
	binary.BigEndian.PutUint16(ip[2:], uint16(end-start))
	binary.BigEndian.PutUint16(ip[4:], m.ipID)
	m.ipID++
	ip[6], ip[7] = 0x40, 0 // DF
	ip[8], ip[9] = 64, 47  // TTL, GRE
	copy(ip[12:16], m.ProbeIP[:])
	copy(ip[16:20], m.CollectorIP[:])
	IPv4HeaderChecksum(ip)
	return prependEthernet(buf, start, m.ProbeMAC, m.CollectorMAC, nil, EtherTypeIPv4)
}
