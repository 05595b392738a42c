package main

import (
	"encoding/binary"

	"github.com/sessionscope/sscope/bench/internal/capgen"
)

// endpoint is one end of a background flow.
type endpoint struct {
	ip   [4]byte
	port uint16
	mac  capgen.MAC
	ttl  uint8
	ipID uint16
}

func newEndpoint(ip [4]byte, port uint16, ttl uint8) endpoint {
	return endpoint{ip: ip, port: port, mac: macOf(ip), ttl: ttl}
}

// macOf gives every background host a stable locally administered MAC.
func macOf(ip [4]byte) capgen.MAC {
	return capgen.MAC{0x02, 0x1a, ip[0], ip[1], ip[2], ip[3]}
}

// Offsets in the generator's frame buffer: the IPv4 header starts at
// capgen.Headroom, the L4 header right after it.
const (
	ipOff  = capgen.Headroom
	l4Off  = ipOff + 20
	udpPay = l4Off + 8
)

// l4 returns the buffer region where the L4 header and payload go.
func (g *generator) l4() []byte { return g.buf[l4Off:] }

// sendIPv4 finishes a packet whose L4 header and payload (l4len bytes) are
// already at l4Off: it writes the IPv4 header, the TCP or UDP checksum and
// the link headers, writes the record at the current capture time and
// advances the clock.
func (g *generator) sendIPv4(enc *capgen.Encap, src, dst *endpoint, proto uint8, l4len int) {
	ip := g.buf[ipOff : ipOff+20]
	ip[0], ip[1] = 0x45, 0
	binary.BigEndian.PutUint16(ip[2:], uint16(20+l4len))
	binary.BigEndian.PutUint16(ip[4:], src.ipID)
	src.ipID++
	ip[6], ip[7] = 0x40, 0 // DF
	ip[8], ip[9] = src.ttl, proto
	copy(ip[12:16], src.ip[:])
	copy(ip[16:20], dst.ip[:])
	capgen.IPv4HeaderChecksum(ip)
	seg := g.buf[l4Off : l4Off+l4len]
	switch proto {
	case protoTCP, protoUDP:
		csOff := 16
		if proto == protoUDP {
			csOff = 6
		}
		seg[csOff], seg[csOff+1] = 0, 0
		cs := capgen.Fold(capgen.Sum(seg, capgen.PseudoHeaderSum(src.ip[:], dst.ip[:], proto, l4len)))
		if cs == 0 && proto == protoUDP {
			cs = 0xffff
		}
		binary.BigEndian.PutUint16(seg[csOff:], cs)
	case protoICMP:
		seg[2], seg[3] = 0, 0
		binary.BigEndian.PutUint16(seg[2:], capgen.Fold(capgen.Sum(seg, 0)))
	}
	g.sendL3(enc, src.mac, dst.mac, capgen.EtherTypeIPv4, ipOff, l4Off+l4len)
}

// sendL3 prepends the link headers to buf[start:end] and writes the frame.
func (g *generator) sendL3(enc *capgen.Encap, src, dst capgen.MAC, etherType uint16, start, end int) {
	s := enc.Prepend(g.buf, start, end, src, dst, etherType, g.mirror)
	g.write(g.buf[s:end])
}

// putUDP writes a UDP header for a payload of n bytes already at udpPay and
// returns the L4 length.
func (g *generator) putUDP(src, dst *endpoint, n int) int {
	u := g.buf[l4Off : l4Off+8]
	binary.BigEndian.PutUint16(u[0:], src.port)
	binary.BigEndian.PutUint16(u[2:], dst.port)
	binary.BigEndian.PutUint16(u[4:], uint16(8+n))
	return 8 + n
}

// IP protocol numbers.
const (
	protoICMP = 1
	protoTCP  = 6
	protoUDP  = 17
)
