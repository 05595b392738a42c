package packet

import (
	"encoding/binary"

	"github.com/sessionscope/sscope/dissect"
)

// Address family values loopback headers carry. IPv6 differs by system:
// 24 NetBSD/OpenBSD (and Npcap), 28 FreeBSD, 30 Darwin.
const (
	afINet         = 2
	afINet6BSD     = 24
	afINet6FreeBSD = 28
	afINet6Darwin  = 30
)

// bsdLoopback decodes LINKTYPE_NULL: a 4-byte address family in the byte
// order of the host that wrote the capture. Family values are small, so a
// value with its two first bytes zero was written big-endian.
func (d *Decoder) bsdLoopback(f *Frame, data []byte) error {
	if len(data) < 4 {
		return f.truncated("null", 0, 4, len(data))
	}
	var af uint32
	if data[0] == 0 && data[1] == 0 {
		af = binary.BigEndian.Uint32(data[0:4])
	} else {
		af = binary.LittleEndian.Uint32(data[0:4])
	}
	return d.loopbackFamily(f, "null", af, data[4:])
}

// openBSDLoopback decodes LINKTYPE_LOOP: a 4-byte network-order family.
func (d *Decoder) openBSDLoopback(f *Frame, data []byte) error {
	if len(data) < 4 {
		return f.truncated("loop", 0, 4, len(data))
	}
	return d.loopbackFamily(f, "loop", be32(data[0:4]), data[4:])
}

func (d *Decoder) loopbackFamily(f *Frame, layer string, af uint32, data []byte) error {
	switch af {
	case afINet:
		f.EtherType = EtherTypeIPv4
		return d.ipv4(f, data, 4)
	case afINet6BSD, afINet6FreeBSD, afINet6Darwin:
		f.EtherType = EtherTypeIPv6
		return d.ipv6(f, data, 4)
	}
	return dissect.Errorf(dissect.Unsupported, layer, 0, "address family %d", af)
}

// rawIP decodes an IP packet whose version nibble says which IP it is.
func (d *Decoder) rawIP(f *Frame, data []byte, base int) error {
	if len(data) < 1 {
		return f.truncated("ip", base, 1, 0)
	}
	switch data[0] >> 4 {
	case 4:
		f.EtherType = EtherTypeIPv4
		return d.ipv4(f, data, base)
	case 6:
		f.EtherType = EtherTypeIPv6
		return d.ipv6(f, data, base)
	}
	return dissect.Errorf(dissect.Malformed, "ip", base, "IP version %d", data[0]>>4)
}
