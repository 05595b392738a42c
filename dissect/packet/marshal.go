package packet

import (
	"encoding/binary"

	"github.com/sessionscope/sscope/dissect"
)

// Marshal builds the frame f describes; see AppendMarshal.
func (f *Frame) Marshal() ([]byte, error) { return f.AppendMarshal(nil) }

// AppendMarshal appends to dst the frame f describes, so that Decode gives
// f back. It writes:
//
//   - the link header for f.Link: Ethernet (DstMAC, SrcMAC, EtherType),
//     Linux SLL/SLL2 (PacketType, IfIndex, SrcMAC when HasMAC, ARPHRD_ETHER),
//     BSD loopback (little-endian family), OpenBSD loopback, or none for raw
//     IP; Ethernet and cooked headers get the VLAN tags (802.1ad for the
//     outermost when there are several, 802.1Q for the others);
//   - without IP, EtherPayload: after the EtherType, or as an 802.3/LLC
//     frame when EtherType is 0;
//   - an IPv4 header without options (ID, TTL, MF, offset, checksum) or an
//     IPv6 header, with a Fragment header when Fragment is set;
//   - when HasTransport is set and the packet is not a fragment, a UDP or
//     TCP header (ports, TCP fields, TCP options from TCP.Raw beyond 20
//     bytes, checksum) and Payload; otherwise IPPayload as it is.
//
// Tunnels are not built: a Frame with NTunnel > 0 gives an Unsupported
// error.
func (f *Frame) AppendMarshal(dst []byte) ([]byte, error) {
	if f.NTunnel > 0 {
		return dst, dissect.Errorf(dissect.Unsupported, "marshal", -1, "building tunnels is not supported")
	}
	et := f.EtherType
	switch f.IPVersion {
	case 4:
		et = EtherTypeIPv4
	case 6:
		et = EtherTypeIPv6
	}
	llc := f.IPVersion == 0 && et == 0
	if llc {
		if len(f.EtherPayload) > 1500 {
			return dst, dissect.Errorf(dissect.Malformed, "marshal", -1, "802.3 frame of %d bytes", len(f.EtherPayload))
		}
		et = uint16(len(f.EtherPayload)) // 802.3 length field
	}
	// The link header's type field: the first VLAN tag's TPID, or et.
	first := et
	if f.NVLAN > 0 {
		first = EtherTypeVLAN
		if f.NVLAN > 1 {
			first = EtherTypeQinQ
		}
	}
	cookedType := first
	if llc {
		cookedType = ethP8022
	}
	switch f.Link {
	case LinkEthernet:
		dst = append(dst, f.DstMAC[:]...)
		dst = append(dst, f.SrcMAC[:]...)
		dst = binary.BigEndian.AppendUint16(dst, first)
		dst = f.appendTags(dst, et)
	case LinkLinuxSLL:
		dst = binary.BigEndian.AppendUint16(dst, uint16(f.PacketType))
		dst = binary.BigEndian.AppendUint16(dst, 1) // ARPHRD_ETHER
		dst = f.appendCookedAddr(dst, true)
		dst = binary.BigEndian.AppendUint16(dst, cookedType)
		dst = f.appendTags(dst, et)
	case LinkLinuxSLL2:
		dst = binary.BigEndian.AppendUint16(dst, cookedType)
		dst = append(dst, 0, 0)
		dst = binary.BigEndian.AppendUint32(dst, f.IfIndex)
		dst = binary.BigEndian.AppendUint16(dst, 1) // ARPHRD_ETHER
		dst = append(dst, f.PacketType)
		dst = f.appendCookedAddr(dst, false)
		dst = f.appendTags(dst, et)
	case LinkNull, LinkLoop:
		af := uint32(afINet)
		if f.IPVersion == 6 {
			af = afINet6BSD
		} else if f.IPVersion != 4 {
			return dst, dissect.Errorf(dissect.Unsupported, "marshal", -1, "loopback frames carry IP only")
		}
		if f.Link == LinkNull {
			dst = binary.LittleEndian.AppendUint32(dst, af)
		} else {
			dst = binary.BigEndian.AppendUint32(dst, af)
		}
	case LinkRaw, LinkRawDLT12, LinkRawDLT14, LinkIPv4, LinkIPv6:
		if f.IPVersion == 0 {
			return dst, dissect.Errorf(dissect.Unsupported, "marshal", -1, "raw IP link without IP")
		}
	default:
		return dst, dissect.Errorf(dissect.Unsupported, "marshal", -1, "link type %s not supported", f.Link)
	}
	switch f.IPVersion {
	case 0:
		return append(dst, f.EtherPayload...), nil
	case 4:
		return f.appendIPv4(dst)
	case 6:
		return f.appendIPv6(dst)
	}
	return dst, dissect.Errorf(dissect.Malformed, "marshal", -1, "IP version %d", f.IPVersion)
}

// appendTags writes the VLAN tags after the link header's type field: each
// tag's ID and the type that follows it (the next tag's TPID, or et).
func (f *Frame) appendTags(dst []byte, et uint16) []byte {
	tags := f.VLANList()
	for i, vlan := range tags {
		dst = binary.BigEndian.AppendUint16(dst, vlan&0x0fff)
		next := et
		if i+1 < len(tags) {
			next = EtherTypeVLAN
		}
		dst = binary.BigEndian.AppendUint16(dst, next)
	}
	return dst
}

// appendCookedAddr writes a cooked header's address length and 8-byte
// address field (SLL: 16-bit length first; SLL2: 8-bit length).
func (f *Frame) appendCookedAddr(dst []byte, wide bool) []byte {
	n := 0
	if f.HasMAC {
		n = 6
	}
	if wide {
		dst = binary.BigEndian.AppendUint16(dst, uint16(n))
	} else {
		dst = append(dst, byte(n))
	}
	var addr [8]byte
	copy(addr[:], f.SrcMAC[:n])
	return append(dst, addr[:]...)
}

// buildsTransport says Marshal writes a UDP/TCP header from the fields
// rather than IPPayload as it is.
func (f *Frame) buildsTransport() bool {
	return f.HasTransport && !f.Fragment && (f.Proto == ProtoUDP || f.Proto == ProtoTCP)
}

// transportLen is the length of what follows the IP header(s).
func (f *Frame) transportLen() (int, error) {
	if !f.buildsTransport() {
		return len(f.IPPayload), nil
	}
	if f.Proto == ProtoUDP {
		return udpHeaderLen + len(f.Payload), nil
	}
	opts := 0
	if len(f.TCP.Raw) > tcpMinHeaderLen {
		opts = len(f.TCP.Raw) - tcpMinHeaderLen
	}
	if opts%4 != 0 || opts > 40 {
		return 0, dissect.Errorf(dissect.Malformed, "marshal", -1, "TCP options of %d bytes", opts)
	}
	return tcpMinHeaderLen + opts + len(f.Payload), nil
}

func (f *Frame) appendIPv4(dst []byte) ([]byte, error) {
	if !f.Src.Is4() || !f.Dst.Is4() {
		return dst, dissect.Errorf(dissect.Malformed, "marshal", -1, "IPv4 frame without IPv4 addresses")
	}
	n, err := f.transportLen()
	if err != nil {
		return dst, err
	}
	total := ipv4MinHeaderLen + n
	if total > 0xffff {
		return dst, dissect.Errorf(dissect.Malformed, "marshal", -1, "IPv4 datagram of %d bytes", total)
	}
	if f.FragOffset%8 != 0 || f.FragOffset > 0x1fff*8 {
		return dst, dissect.Errorf(dissect.Malformed, "marshal", -1, "fragment offset %d", f.FragOffset)
	}
	start := len(dst)
	dst = append(dst, 0x45, 0)
	dst = binary.BigEndian.AppendUint16(dst, uint16(total))
	dst = binary.BigEndian.AppendUint16(dst, uint16(f.IPID))
	flags := uint16(f.FragOffset / 8)
	if f.MoreFragments {
		flags |= 0x2000
	}
	dst = binary.BigEndian.AppendUint16(dst, flags)
	dst = append(dst, f.TTL, f.Proto, 0, 0)
	src, dstAddr := f.Src.As4(), f.Dst.As4()
	dst = append(dst, src[:]...)
	dst = append(dst, dstAddr[:]...)
	binary.BigEndian.PutUint16(dst[start+10:], checksum(dst[start:start+ipv4MinHeaderLen], 0))
	return f.appendTransport(dst)
}

func (f *Frame) appendIPv6(dst []byte) ([]byte, error) {
	if !f.Src.Is6() || !f.Dst.Is6() {
		return dst, dissect.Errorf(dissect.Malformed, "marshal", -1, "IPv6 frame without IPv6 addresses")
	}
	n, err := f.transportLen()
	if err != nil {
		return dst, err
	}
	next := f.Proto
	if f.Fragment {
		n += 8
		next = ProtoFragment
	}
	if n > 0xffff {
		return dst, dissect.Errorf(dissect.Malformed, "marshal", -1, "IPv6 payload of %d bytes", n)
	}
	if f.FragOffset%8 != 0 || f.FragOffset > 0xfff8 {
		return dst, dissect.Errorf(dissect.Malformed, "marshal", -1, "fragment offset %d", f.FragOffset)
	}
	dst = append(dst, 0x60, 0, 0, 0)
	dst = binary.BigEndian.AppendUint16(dst, uint16(n))
	dst = append(dst, next, f.TTL)
	src, dstAddr := f.Src.As16(), f.Dst.As16()
	dst = append(dst, src[:]...)
	dst = append(dst, dstAddr[:]...)
	if f.Fragment {
		dst = append(dst, f.Proto, 0)
		off := uint16(f.FragOffset)
		if f.MoreFragments {
			off |= 1
		}
		dst = binary.BigEndian.AppendUint16(dst, off)
		dst = binary.BigEndian.AppendUint32(dst, f.IPID)
	}
	return f.appendTransport(dst)
}

// appendTransport writes the UDP or TCP header and payload, or IPPayload.
func (f *Frame) appendTransport(dst []byte) ([]byte, error) {
	if !f.buildsTransport() {
		return append(dst, f.IPPayload...), nil
	}
	start := len(dst)
	var sumOff int
	if f.Proto == ProtoUDP {
		dst = binary.BigEndian.AppendUint16(dst, f.SrcPort)
		dst = binary.BigEndian.AppendUint16(dst, f.DstPort)
		dst = binary.BigEndian.AppendUint16(dst, uint16(udpHeaderLen+len(f.Payload)))
		dst = append(dst, 0, 0)
		sumOff = start + 6
	} else {
		var opts []byte
		if len(f.TCP.Raw) > tcpMinHeaderLen {
			opts = f.TCP.Raw[tcpMinHeaderLen:]
		}
		dst = binary.BigEndian.AppendUint16(dst, f.SrcPort)
		dst = binary.BigEndian.AppendUint16(dst, f.DstPort)
		dst = binary.BigEndian.AppendUint32(dst, f.TCP.Seq)
		dst = binary.BigEndian.AppendUint32(dst, f.TCP.Ack)
		dst = append(dst, byte((tcpMinHeaderLen+len(opts))/4)<<4, f.TCP.Flags)
		dst = binary.BigEndian.AppendUint16(dst, f.TCP.Window)
		dst = append(dst, 0, 0, 0, 0) // checksum, urgent pointer
		dst = append(dst, opts...)
		sumOff = start + 16
	}
	dst = append(dst, f.Payload...)
	seg := dst[start:]
	sum := checksum(seg, f.pseudoHeaderSum(len(seg)))
	if f.Proto == ProtoUDP && sum == 0 {
		sum = 0xffff // RFC 768: a computed zero is sent as all ones
	}
	binary.BigEndian.PutUint16(dst[sumOff:], sum)
	return dst, nil
}

// pseudoHeaderSum is the unfolded one's-complement sum of the UDP/TCP
// pseudo header (RFC 768, RFC 793, RFC 8200 section 8.1).
func (f *Frame) pseudoHeaderSum(length int) uint32 {
	var s uint32
	if f.IPVersion == 4 {
		a, b := f.Src.As4(), f.Dst.As4()
		s = sum16(a[:], 0)
		s = sum16(b[:], s)
	} else {
		a, b := f.Src.As16(), f.Dst.As16()
		s = sum16(a[:], 0)
		s = sum16(b[:], s)
	}
	s += uint32(f.Proto)
	s += uint32(length>>16) + uint32(length&0xffff)
	return s
}

// sum16 adds b as big-endian 16-bit words (odd length padded with zero).
func sum16(b []byte, s uint32) uint32 {
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

// checksum is the Internet checksum (RFC 1071) of b with an initial sum.
func checksum(b []byte, initial uint32) uint16 {
	s := sum16(b, initial)
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}
