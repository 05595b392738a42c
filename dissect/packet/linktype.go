package packet

import "strconv"

// LinkType is a pcap LINKTYPE_* number: it says how a captured frame starts.
type LinkType uint32

// Link types the decoder understands. LinkRawDLT12 and LinkRawDLT14 are the
// numbers some systems write for raw IP instead of LinkRaw.
const (
	// LinkNull is BSD loopback: a 4-byte address family in the byte order
	// of the capturing host (either order is accepted; the value decides).
	LinkNull LinkType = 0
	// LinkEthernet is Ethernet II or 802.3.
	LinkEthernet LinkType = 1
	// LinkRawDLT12 is raw IP on systems where DLT_RAW is 12.
	LinkRawDLT12 LinkType = 12
	// LinkRawDLT14 is raw IP on systems where DLT_RAW is 14.
	LinkRawDLT14 LinkType = 14
	// LinkRaw is raw IPv4 or IPv6; the version nibble decides.
	LinkRaw LinkType = 101
	// LinkLoop is OpenBSD loopback: a 4-byte network-order address family.
	LinkLoop LinkType = 108
	// LinkLinuxSLL is the Linux cooked capture header, version 1.
	LinkLinuxSLL LinkType = 113
	// LinkIPv4 is raw IPv4 only.
	LinkIPv4 LinkType = 228
	// LinkIPv6 is raw IPv6 only.
	LinkIPv6 LinkType = 229
	// LinkLinuxSLL2 is the Linux cooked capture header, version 2.
	LinkLinuxSLL2 LinkType = 276
)

// String names the link type the way capture tools do; unknown numbers are
// "LINKTYPE_<n>".
func (l LinkType) String() string {
	switch l {
	case LinkNull:
		return "BSD loopback"
	case LinkEthernet:
		return "Ethernet"
	case LinkRaw, LinkRawDLT12, LinkRawDLT14:
		return "raw IP"
	case LinkLoop:
		return "OpenBSD loopback"
	case LinkLinuxSLL:
		return "Linux SLL"
	case LinkLinuxSLL2:
		return "Linux SLL2"
	case LinkIPv4:
		return "raw IPv4"
	case LinkIPv6:
		return "raw IPv6"
	}
	return "LINKTYPE_" + strconv.FormatUint(uint64(l), 10)
}

// Supported reports whether Decode understands frames of this link type.
func (l LinkType) Supported() bool {
	switch l {
	case LinkNull, LinkEthernet, LinkRaw, LinkRawDLT12, LinkRawDLT14,
		LinkLoop, LinkLinuxSLL, LinkLinuxSLL2, LinkIPv4, LinkIPv6:
		return true
	}
	return false
}
