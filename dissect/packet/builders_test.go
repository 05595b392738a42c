package packet_test

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/sessionscope/sscope/dissect/packet"
)

// ipPacket is an IP packet built with gopacket's serializers together with
// the Frame fields it must decode to. want fills the IP and transport
// fields given the frame bytes b and the offset of the IP header in b.
type ipPacket struct {
	layers []gopacket.SerializableLayer
	want   func(f *packet.Frame, b []byte, off int)
}

var (
	macA = "00:11:22:33:44:55"
	macB = "66:77:88:99:aa:bb"
	macC = "02:00:00:00:00:0c"
	macD = "02:00:00:00:00:0d"
)

func payloadOf(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i)
	}
	return b
}

// udp4 is 10.0.0.1:50000 → 10.0.0.2:1812, TTL 64, ID 0x1234.
func udp4(payload []byte) ipPacket {
	ip4 := &layers.IPv4{Version: 4, TTL: 64, Id: 0x1234, Protocol: layers.IPProtocolUDP,
		SrcIP: ip("10.0.0.1"), DstIP: ip("10.0.0.2")}
	u := &layers.UDP{SrcPort: 50000, DstPort: 1812}
	u.SetNetworkLayerForChecksum(ip4)
	n := 20 + 8 + len(payload)
	return ipPacket{
		layers: []gopacket.SerializableLayer{ip4, u, gopacket.Payload(payload)},
		want: func(f *packet.Frame, b []byte, off int) {
			f.IPVersion, f.Src, f.Dst = 4, addr("10.0.0.1"), addr("10.0.0.2")
			f.Proto, f.TTL, f.IPID = packet.ProtoUDP, 64, 0x1234
			f.IPPayload = b[off+20 : off+n]
			f.HasTransport, f.SrcPort, f.DstPort = true, 50000, 1812
			f.Payload = b[off+28 : off+n]
		},
	}
}

// tcp4opts is 192.0.2.10:443 → 198.51.100.7:51000 with an IPv4 Router
// Alert option (IHL 6) and TCP options MSS, SACK-permitted, timestamps,
// NOP, window scale (data offset 10).
func tcp4opts(payload []byte) ipPacket {
	ip4 := &layers.IPv4{Version: 4, TTL: 63, Id: 0xbeef, Flags: layers.IPv4DontFragment,
		Protocol: layers.IPProtocolTCP, SrcIP: ip("192.0.2.10"), DstIP: ip("198.51.100.7"),
		Options: []layers.IPv4Option{{OptionType: 0x94, OptionLength: 4, OptionData: []byte{0, 0}}}}
	ts := make([]byte, 8)
	binary.BigEndian.PutUint32(ts, 0x01020304)
	tcp := &layers.TCP{SrcPort: 443, DstPort: 51000, Seq: 0x11223344, Ack: 0x55667788,
		ACK: true, PSH: true, ECE: true, Window: 502,
		Options: []layers.TCPOption{
			{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0x05, 0xb4}},
			{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2},
			{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: ts},
			{OptionType: layers.TCPOptionKindNop},
			{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{7}},
		}}
	tcp.SetNetworkLayerForChecksum(ip4)
	n := 24 + 40 + len(payload)
	return ipPacket{
		layers: []gopacket.SerializableLayer{ip4, tcp, gopacket.Payload(payload)},
		want: func(f *packet.Frame, b []byte, off int) {
			f.IPVersion, f.Src, f.Dst = 4, addr("192.0.2.10"), addr("198.51.100.7")
			f.Proto, f.TTL, f.IPID = packet.ProtoTCP, 63, 0xbeef
			f.IPPayload = b[off+24 : off+n]
			f.HasTransport, f.SrcPort, f.DstPort = true, 443, 51000
			f.TCP = packet.TCPHeader{Seq: 0x11223344, Ack: 0x55667788,
				Flags: packet.TCPFlagACK | packet.TCPFlagPSH | packet.TCPFlagECE, Window: 502,
				DataOffset: 10, Raw: b[off+24 : off+64]}
			f.Payload = b[off+64 : off+n]
		},
	}
}

// tcp6 is [2001:db8::1]:51001 → [2001:db8::2]:443, SYN, no options.
func tcp6(payload []byte) ipPacket {
	ip6 := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolTCP,
		SrcIP: ip("2001:db8::1"), DstIP: ip("2001:db8::2")}
	tcp := &layers.TCP{SrcPort: 51001, DstPort: 443, Seq: 7, SYN: true, CWR: true, Window: 65535}
	tcp.SetNetworkLayerForChecksum(ip6)
	n := 40 + 20 + len(payload)
	return ipPacket{
		layers: []gopacket.SerializableLayer{ip6, tcp, gopacket.Payload(payload)},
		want: func(f *packet.Frame, b []byte, off int) {
			f.IPVersion, f.Src, f.Dst = 6, addr("2001:db8::1"), addr("2001:db8::2")
			f.Proto, f.TTL = packet.ProtoTCP, 255
			f.IPPayload = b[off+40 : off+n]
			f.HasTransport, f.SrcPort, f.DstPort = true, 51001, 443
			f.TCP = packet.TCPHeader{Seq: 7, Flags: packet.TCPFlagSYN | packet.TCPFlagCWR,
				Window: 65535, DataOffset: 5, Raw: b[off+40 : off+60]}
			f.Payload = b[off+60 : off+n]
		},
	}
}

// udp6 is [fe80::1]:546 → [ff02::1:2]:547 with no extension headers.
func udp6(payload []byte) ipPacket {
	ip6 := &layers.IPv6{Version: 6, HopLimit: 1, NextHeader: layers.IPProtocolUDP,
		SrcIP: ip("fe80::1"), DstIP: ip("ff02::1:2")}
	u := &layers.UDP{SrcPort: 546, DstPort: 547}
	u.SetNetworkLayerForChecksum(ip6)
	n := 40 + 8 + len(payload)
	return ipPacket{
		layers: []gopacket.SerializableLayer{ip6, u, gopacket.Payload(payload)},
		want: func(f *packet.Frame, b []byte, off int) {
			f.IPVersion, f.Src, f.Dst = 6, addr("fe80::1"), addr("ff02::1:2")
			f.Proto, f.TTL = packet.ProtoUDP, 1
			f.IPPayload = b[off+40 : off+n]
			f.HasTransport, f.SrcPort, f.DstPort = true, 546, 547
			f.Payload = b[off+48 : off+n]
		},
	}
}

// udp6ext carries UDP after hop-by-hop (8 bytes), routing (24 bytes) and
// destination options (8 bytes) extension headers.
func udp6ext(payload []byte) ipPacket {
	hbh := &layers.IPv6HopByHop{}
	hbh.NextHeader = layers.IPProtocolIPv6Routing
	// Router Alert and a 2-byte PadN fill the 8 bytes exactly.
	hbh.Options = []*layers.IPv6HopByHopOption{{OptionType: 5, OptionLength: 2, OptionData: []byte{0, 0}},
		{OptionType: 1, OptionLength: 0}}
	rt := &layers.IPv6Routing{RoutingType: 0, SegmentsLeft: 0, Reserved: make([]byte, 4),
		SourceRoutingIPs: []net.IP{ip("2001:db8::99")}}
	rt.NextHeader = layers.IPProtocolIPv6Destination
	dst := &layers.IPv6Destination{Options: []*layers.IPv6DestinationOption{
		{OptionType: 0x1e, OptionLength: 4, OptionData: []byte{1, 2, 3, 4}}}}
	dst.NextHeader = layers.IPProtocolUDP
	ip6 := &layers.IPv6{Version: 6, HopLimit: 64, SrcIP: ip("2001:db8:1::a"), DstIP: ip("2001:db8:2::b"),
		HopByHop: hbh}
	u := &layers.UDP{SrcPort: 1645, DstPort: 1812}
	u.SetNetworkLayerForChecksum(ip6)
	const ext = 8 + 24 + 8
	n := 40 + ext + 8 + len(payload)
	return ipPacket{
		layers: []gopacket.SerializableLayer{ip6, hbh, rt, dst, u, gopacket.Payload(payload)},
		want: func(f *packet.Frame, b []byte, off int) {
			f.IPVersion, f.Src, f.Dst = 6, addr("2001:db8:1::a"), addr("2001:db8:2::b")
			f.Proto, f.TTL = packet.ProtoUDP, 64
			f.IPPayload = b[off+40+ext : off+n]
			f.HasTransport, f.SrcPort, f.DstPort = true, 1645, 1812
			f.Payload = b[off+40+ext+8 : off+n]
		},
	}
}

// udpHeader is a hand-built UDP header declaring length bytes.
func udpHeader(sport, dport, length uint16) []byte {
	h := make([]byte, 8)
	binary.BigEndian.PutUint16(h[0:], sport)
	binary.BigEndian.PutUint16(h[2:], dport)
	binary.BigEndian.PutUint16(h[4:], length)
	return h
}

// frag4 is one IPv4 fragment of a 1508-byte UDP datagram 10.1.1.1:1812 →
// 10.2.2.2:1645 with ID 0x4242: the first (offset 0, MF, the UDP header and
// 24 bytes of data) or a later one (offset 1480, last).
func frag4(first bool) ipPacket {
	ip4 := &layers.IPv4{Version: 4, TTL: 64, Id: 0x4242, Protocol: layers.IPProtocolUDP,
		SrcIP: ip("10.1.1.1"), DstIP: ip("10.2.2.2")}
	var data []byte
	if first {
		ip4.Flags = layers.IPv4MoreFragments
		data = cat(udpHeader(1812, 1645, 1508), payloadOf(24, 0x30))
	} else {
		ip4.FragOffset = 1480 / 8
		data = payloadOf(28, 0x60)
	}
	n := 20 + len(data)
	return ipPacket{
		layers: []gopacket.SerializableLayer{ip4, gopacket.Payload(data)},
		want: func(f *packet.Frame, b []byte, off int) {
			f.IPVersion, f.Src, f.Dst = 4, addr("10.1.1.1"), addr("10.2.2.2")
			f.Proto, f.TTL, f.IPID = packet.ProtoUDP, 64, 0x4242
			f.Fragment = true
			f.IPPayload = b[off+20 : off+n]
			if first {
				f.MoreFragments = true
				f.HasTransport, f.SrcPort, f.DstPort = true, 1812, 1645
				f.Payload = b[off+28 : off+n]
			} else {
				f.FragOffset = 1480
			}
		},
	}
}

// frag6 is an IPv6 fragment (Fragment header ID 0xdeadbeef) of a UDP
// datagram [2001:db8::5]:1812 → [2001:db8::6]:1645: the first (with a
// destination options header before the UDP header) or a later one.
func frag6(first bool) ipPacket {
	ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolIPv6Fragment,
		SrcIP: ip("2001:db8::5"), DstIP: ip("2001:db8::6")}
	fr := &layers.IPv6Fragment{Identification: 0xdeadbeef}
	var rest []gopacket.SerializableLayer
	ext := 8
	if first {
		fr.NextHeader = layers.IPProtocolIPv6Destination
		fr.MoreFragments = true
		dst := &layers.IPv6Destination{Options: []*layers.IPv6DestinationOption{
			{OptionType: 0x1e, OptionLength: 4, OptionData: []byte{9, 9, 9, 9}}}}
		dst.NextHeader = layers.IPProtocolUDP
		ext += 8
		rest = []gopacket.SerializableLayer{dst, gopacket.Payload(cat(udpHeader(1812, 1645, 3000), payloadOf(40, 0x40)))}
	} else {
		fr.NextHeader = layers.IPProtocolIPv6Destination
		fr.FragmentOffset = 1448 / 8
		rest = []gopacket.SerializableLayer{gopacket.Payload(payloadOf(36, 0x70))}
	}
	return ipPacket{
		layers: append([]gopacket.SerializableLayer{ip6, fr}, rest...),
		want: func(f *packet.Frame, b []byte, off int) {
			f.IPVersion, f.Src, f.Dst = 6, addr("2001:db8::5"), addr("2001:db8::6")
			f.TTL, f.IPID, f.Fragment = 64, 0xdeadbeef, true
			if first {
				f.MoreFragments = true
				f.Proto = packet.ProtoUDP
				f.IPPayload = b[off+40+ext : off+40+ext+48]
				f.HasTransport, f.SrcPort, f.DstPort = true, 1812, 1645
				f.Payload = b[off+40+ext+8 : off+40+ext+48]
			} else {
				f.Proto = packet.ProtoDstOpts
				f.FragOffset = 1448
				f.IPPayload = b[off+48 : off+48+36]
			}
		},
	}
}

// ah6 is IPv6 with an Authentication Header (next header UDP, 24 bytes).
func ah6() ipPacket {
	ip6 := &layers.IPv6{Version: 6, HopLimit: 9, NextHeader: layers.IPProtocolAH,
		SrcIP: ip("2001:db8::a"), DstIP: ip("2001:db8::b")}
	ah := cat([]byte{byte(layers.IPProtocolUDP), 4, 0, 0}, []byte{0, 0, 1, 0}, []byte{0, 0, 0, 1}, payloadOf(12, 0xa0))
	u := &layers.UDP{SrcPort: 500, DstPort: 500}
	u.SetNetworkLayerForChecksum(ip6)
	pl := payloadOf(20, 0)
	return ipPacket{
		layers: []gopacket.SerializableLayer{ip6, gopacket.Payload(ah), u, gopacket.Payload(pl)},
		want: func(f *packet.Frame, b []byte, off int) {
			f.IPVersion, f.Src, f.Dst = 6, addr("2001:db8::a"), addr("2001:db8::b")
			f.Proto, f.TTL = packet.ProtoUDP, 9
			f.IPPayload = b[off+64 : off+64+28]
			f.HasTransport, f.SrcPort, f.DstPort = true, 500, 500
			f.Payload = b[off+72 : off+92]
		},
	}
}

// esp6 is IPv6 carrying ESP: decoding stops there.
func esp6() ipPacket {
	ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolESP,
		SrcIP: ip("2001:db8::c"), DstIP: ip("2001:db8::d")}
	esp := cat([]byte{0xc0, 0xff, 0xee, 0x01, 0, 0, 0, 5}, payloadOf(32, 0x10))
	return ipPacket{
		layers: []gopacket.SerializableLayer{ip6, gopacket.Payload(esp)},
		want: func(f *packet.Frame, b []byte, off int) {
			f.IPVersion, f.Src, f.Dst = 6, addr("2001:db8::c"), addr("2001:db8::d")
			f.Proto, f.TTL = packet.ProtoESP, 64
			f.IPPayload = b[off+40 : off+80]
		},
	}
}

// ethernetLayers returns an Ethernet header (with VLAN tags, outermost
// first: tpid, id pairs) for an IP packet.
func ethernetLayers(src, dst string, ipv6 bool, tags ...[2]uint16) []gopacket.SerializableLayer {
	et := layers.EthernetTypeIPv4
	if ipv6 {
		et = layers.EthernetTypeIPv6
	}
	first := et
	if len(tags) > 0 {
		first = layers.EthernetType(tags[0][0])
	}
	ls := []gopacket.SerializableLayer{&layers.Ethernet{SrcMAC: mac(src), DstMAC: mac(dst), EthernetType: first}}
	for i, tag := range tags {
		next := et
		if i+1 < len(tags) {
			next = layers.EthernetType(tags[i+1][0])
		}
		ls = append(ls, &layers.Dot1Q{VLANIdentifier: tag[1], Priority: 5, Type: next})
	}
	return ls
}

func isV6(p ipPacket) bool {
	_, ok := p.layers[0].(*layers.IPv6)
	return ok
}

// ethernetFrame builds Ethernet(+tags)/p and the Frame it must decode to.
func ethernetFrame(t testing.TB, p ipPacket, tags ...[2]uint16) ([]byte, packet.Frame) {
	b := serialize(t, append(ethernetLayers(macA, macB, isV6(p), tags...), p.layers...)...)
	want := packet.Frame{Link: packet.LinkEthernet, HasMAC: true, SrcMAC: mac6(macA), DstMAC: mac6(macB),
		EtherType: packet.EtherTypeIPv4}
	if isV6(p) {
		want.EtherType = packet.EtherTypeIPv6
	}
	for _, tag := range tags[:min(len(tags), packet.MaxVLANs)] {
		want.VLANs[want.NVLAN] = tag[1]
		want.NVLAN++
	}
	p.want(&want, b, 14+4*len(tags))
	return b, want
}
