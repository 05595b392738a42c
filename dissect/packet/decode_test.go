package packet_test

import (
	"errors"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
)

// decodeCase is a frame built by an independent implementation (gopacket's
// serializers, plus hand-built headers gopacket cannot write) and the Frame
// Decode must return for it.
type decodeCase struct {
	name    string
	link    packet.LinkType
	data    []byte
	want    packet.Frame
	decoder *packet.Decoder // nil: NewDecoder()
	// noTshark says why tshark 4.0 cannot serve as the oracle for this
	// frame ("" when it can).
	noTshark string
}

func outerIPv4(proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, TTL: 255, Id: 1, Protocol: proto,
		SrcIP: ip("172.16.0.1"), DstIP: ip("172.16.0.2")}
}

func outerEth(et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: mac(macC), DstMAC: mac(macD), EthernetType: et}
}

// erspan3Header is a hand-built ERSPAN type III header: version 2, VLAN 7,
// COS 5, T (truncated) set, session 0x2ab, timestamp 0x01020304, SGT 0,
// frame type ft, hardware ID 1, D set, granularity 2, and the O bit with an
// 8-byte platform subheader when platform is set. The bits around the
// session ID are set so that a decoder that does not mask them fails.
func erspan3Header(ft byte, platform bool) []byte {
	h := []byte{0x20, 0x07, 0xa6, 0xab, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, ft << 2, 0x1c}
	if platform {
		h[11] |= 0x01
		h = append(h, 0x0c, 0x00, 0x00, 0x05, 0xa1, 0xa2, 0xa3, 0xa4)
	}
	return h
}

// innerEthernet serializes Ethernet(macA→macB, tags)/p on its own, to be
// wrapped in a tunnel, with the Frame fields it decodes to at offset off.
func innerEthernet(t testing.TB, p ipPacket, tags ...[2]uint16) ([]byte, func(f *packet.Frame, b []byte, off int)) {
	inner, _ := ethernetFrame(t, p, tags...)
	return inner, func(f *packet.Frame, b []byte, off int) {
		f.HasMAC, f.SrcMAC, f.DstMAC = true, mac6(macA), mac6(macB)
		f.EtherType = packet.EtherTypeIPv4
		if isV6(p) {
			f.EtherType = packet.EtherTypeIPv6
		}
		f.VLANs, f.NVLAN = [packet.MaxVLANs]uint16{}, 0
		for _, tag := range tags {
			f.VLANs[f.NVLAN] = tag[1]
			f.NVLAN++
		}
		p.want(f, b, off+14+4*len(tags))
	}
}

func tunnels(f *packet.Frame, ts ...packet.Tunnel) {
	for _, t := range ts {
		f.Tunnels[f.NTunnel] = t
		f.NTunnel++
	}
}

func decodeCases(t testing.TB) []decodeCase {
	var cs []decodeCase
	add := func(name string, link packet.LinkType, data []byte, want packet.Frame) {
		want.Link = link
		cs = append(cs, decodeCase{name: name, link: link, data: data, want: want})
	}
	eth := func(name string, p ipPacket, tags ...[2]uint16) {
		b, w := ethernetFrame(t, p, tags...)
		add(name, packet.LinkEthernet, b, w)
	}

	// Ethernet II.
	eth("ethernet/ipv4/udp", udp4(payloadOf(60, 1)))
	eth("ethernet/ipv4/udp padded", udp4([]byte{1, 2}))
	eth("ethernet/ipv4 options/tcp options", tcp4opts(payloadOf(100, 2)))
	eth("ethernet/ipv6/tcp", tcp6(nil))
	eth("ethernet/ipv6/udp", udp6(payloadOf(30, 3)))
	eth("ethernet/ipv6 hop-by-hop routing dstopts/udp", udp6ext(payloadOf(50, 4)))
	eth("ethernet/ipv6 ah/udp", ah6())
	eth("ethernet/ipv6 esp", esp6())
	eth("ethernet/ipv4 first fragment", frag4(true))
	eth("ethernet/ipv4 later fragment", frag4(false))
	eth("ethernet/ipv6 first fragment", frag6(true))
	eth("ethernet/ipv6 later fragment", frag6(false))
	eth("802.1q/ipv4/udp", udp4(payloadOf(20, 5)), [2]uint16{0x8100, 100})
	eth("qinq 88a8+8100/ipv6/tcp", tcp6(payloadOf(10, 6)), [2]uint16{0x88a8, 200}, [2]uint16{0x8100, 100})
	eth("qinq 9100+8100/ipv4/tcp", tcp4opts(nil), [2]uint16{0x9100, 4094}, [2]uint16{0x8100, 1})
	eth("4 tags/ipv4/udp", udp4(nil), [2]uint16{0x88a8, 1}, [2]uint16{0x8100, 2}, [2]uint16{0x8100, 3}, [2]uint16{0x8100, 4})

	// Ethernet frames that carry no IP.
	{
		b := serialize(t, &layers.Ethernet{SrcMAC: mac(macA), DstMAC: mac("ff:ff:ff:ff:ff:ff"), EthernetType: layers.EthernetTypeEAPOL},
			&layers.EAPOL{Version: 2, Type: layers.EAPOLTypeStart})
		add("ethernet/eapol", packet.LinkEthernet, b, packet.Frame{HasMAC: true, SrcMAC: mac6(macA),
			DstMAC: mac6("ff:ff:ff:ff:ff:ff"), EtherType: packet.EtherTypeEAPOL, EtherPayload: b[14:]})
	}
	{
		b := serialize(t, &layers.Ethernet{SrcMAC: mac(macA), DstMAC: mac("ff:ff:ff:ff:ff:ff"), EthernetType: layers.EthernetTypeARP},
			&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
				Operation: layers.ARPRequest, SourceHwAddress: mac(macA), SourceProtAddress: ip("10.0.0.1"),
				DstHwAddress: mac("00:00:00:00:00:00"), DstProtAddress: ip("10.0.0.2")})
		add("ethernet/arp", packet.LinkEthernet, b, packet.Frame{HasMAC: true, SrcMAC: mac6(macA),
			DstMAC: mac6("ff:ff:ff:ff:ff:ff"), EtherType: packet.EtherTypeARP, EtherPayload: b[14:]})
	}
	{
		bpdu := payloadOf(35, 0)
		b := serialize(t, &layers.Ethernet{SrcMAC: mac(macA), DstMAC: mac("01:80:c2:00:00:00"), EthernetType: layers.EthernetTypeLLC},
			&layers.LLC{DSAP: 0x42, SSAP: 0x42, Control: 3}, gopacket.Payload(bpdu))
		add("802.3/llc spanning tree (skipped)", packet.LinkEthernet, b, packet.Frame{HasMAC: true, SrcMAC: mac6(macA),
			DstMAC: mac6("01:80:c2:00:00:00"), EtherPayload: b[14 : 14+3+35]})
	}
	{
		p := udp4(payloadOf(8, 7))
		b := serialize(t, append([]gopacket.SerializableLayer{
			&layers.Ethernet{SrcMAC: mac(macA), DstMAC: mac(macB), EthernetType: layers.EthernetTypeLLC},
			&layers.LLC{DSAP: 0xaa, SSAP: 0xaa, Control: 3},
			&layers.SNAP{OrganizationalCode: []byte{0, 0, 0}, Type: layers.EthernetTypeIPv4}}, p.layers...)...)
		w := packet.Frame{HasMAC: true, SrcMAC: mac6(macA), DstMAC: mac6(macB), EtherType: packet.EtherTypeIPv4}
		p.want(&w, b, 22)
		add("802.3/llc/snap/ipv4/udp", packet.LinkEthernet, b, w)
	}

	// Linux cooked captures.
	{
		p := udp4(payloadOf(16, 8))
		hdr := cat([]byte{0, 4, 0, 1, 0, 6}, mac(macA), []byte{0, 0, 0x08, 0x00})
		b := cat(hdr, serialize(t, p.layers...))
		w := packet.Frame{HasMAC: true, SrcMAC: mac6(macA), PacketType: 4, EtherType: packet.EtherTypeIPv4}
		p.want(&w, b, 16)
		add("sll/ipv4/udp", packet.LinkLinuxSLL, b, w)
	}
	{
		p := tcp6(payloadOf(16, 9))
		hdr := cat([]byte{0, 0, 0, 1, 0, 6}, mac(macB), []byte{0, 0, 0x81, 0x00, 0x00, 0x2a, 0x86, 0xdd})
		b := cat(hdr, serialize(t, p.layers...))
		w := packet.Frame{HasMAC: true, SrcMAC: mac6(macB), EtherType: packet.EtherTypeIPv6, NVLAN: 1}
		w.VLANs[0] = 42
		p.want(&w, b, 20)
		add("sll/802.1q/ipv6/tcp", packet.LinkLinuxSLL, b, w)
	}
	{
		llc := cat([]byte{0x42, 0x42, 0x03}, payloadOf(35, 0))
		b := cat([]byte{0, 2, 0, 1, 0, 6}, mac(macA), []byte{0, 0, 0x00, 0x04}, llc)
		add("sll/llc (skipped)", packet.LinkLinuxSLL, b, packet.Frame{HasMAC: true, SrcMAC: mac6(macA), PacketType: 2, EtherPayload: llc})
	}
	{
		nl := payloadOf(24, 0x50)
		b := cat([]byte{0, 4, 0x03, 0x38, 0, 0}, make([]byte, 8), []byte{0, 0}, nl)
		add("sll/netlink (skipped)", packet.LinkLinuxSLL, b, packet.Frame{PacketType: 4, EtherPayload: nl})
	}
	{
		p := tcp6(payloadOf(5, 10))
		hdr := cat([]byte{0x86, 0xdd, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6}, mac(macB), []byte{0, 0})
		b := cat(hdr, serialize(t, p.layers...))
		w := packet.Frame{HasMAC: true, SrcMAC: mac6(macB), IfIndex: 3, EtherType: packet.EtherTypeIPv6}
		p.want(&w, b, 20)
		add("sll2/ipv6/tcp", packet.LinkLinuxSLL2, b, w)
	}
	{
		p := udp4(payloadOf(5, 11))
		hdr := cat([]byte{0x08, 0x00, 0, 0, 0, 0, 0x01, 0x02, 0, 1, 4, 6}, mac(macA), []byte{0, 0})
		b := cat(hdr, serialize(t, p.layers...))
		w := packet.Frame{HasMAC: true, SrcMAC: mac6(macA), IfIndex: 0x102, PacketType: 4, EtherType: packet.EtherTypeIPv4}
		p.want(&w, b, 20)
		add("sll2/ipv4/udp", packet.LinkLinuxSLL2, b, w)
	}

	// Loopback and raw IP.
	raw := func(name string, link packet.LinkType, hdr []byte, p ipPacket) {
		b := cat(hdr, serialize(t, p.layers...))
		w := packet.Frame{EtherType: packet.EtherTypeIPv4}
		if isV6(p) {
			w.EtherType = packet.EtherTypeIPv6
		}
		p.want(&w, b, len(hdr))
		add(name, link, b, w)
	}
	{
		p := udp4(payloadOf(12, 12))
		b := serialize(t, append([]gopacket.SerializableLayer{&layers.Loopback{Family: layers.ProtocolFamilyIPv4}}, p.layers...)...)
		w := packet.Frame{EtherType: packet.EtherTypeIPv4}
		p.want(&w, b, 4)
		add("null little-endian/ipv4/udp (gopacket)", packet.LinkNull, b, w)
	}
	raw("null big-endian AF 30/ipv6/tcp", packet.LinkNull, []byte{0, 0, 0, 30}, tcp6(payloadOf(3, 13)))
	raw("null little-endian AF 24/ipv6/udp", packet.LinkNull, []byte{24, 0, 0, 0}, udp6(payloadOf(3, 14)))
	raw("null little-endian AF 28/ipv6/udp", packet.LinkNull, []byte{28, 0, 0, 0}, udp6(nil))
	raw("null big-endian AF 2/ipv4/tcp", packet.LinkNull, []byte{0, 0, 0, 2}, tcp4opts(nil))
	raw("loop/ipv4/udp", packet.LinkLoop, []byte{0, 0, 0, 2}, udp4(payloadOf(7, 15)))
	raw("loop/ipv6/udp", packet.LinkLoop, []byte{0, 0, 0, 24}, udp6(payloadOf(7, 16)))
	raw("raw/ipv4/udp", packet.LinkRaw, nil, udp4(payloadOf(9, 17)))
	raw("raw/ipv6/tcp", packet.LinkRaw, nil, tcp6(payloadOf(9, 18)))
	raw("raw dlt 12/ipv4/tcp", packet.LinkRawDLT12, nil, tcp4opts(payloadOf(9, 19)))
	raw("raw dlt 14/ipv6/udp", packet.LinkRawDLT14, nil, udp6ext(nil))
	raw("ipv4/udp", packet.LinkIPv4, nil, udp4(nil))
	raw("ipv6/udp", packet.LinkIPv6, nil, udp6(nil))

	// Tunnels.
	tunnel := func(name string, ts []packet.Tunnel, outer []gopacket.SerializableLayer, inner []byte,
		fill func(*packet.Frame, []byte, int), extra func(*packet.Frame)) {
		b := serialize(t, append(outer, gopacket.Payload(inner))...)
		off := len(b) - len(inner)
		// gopacket pads the outer Ethernet frame only when it is short,
		// and never here: the inner frame ends the buffer.
		w := packet.Frame{}
		tunnels(&w, ts...)
		fill(&w, b, off)
		if extra != nil {
			extra(&w)
		}
		add(name, packet.LinkEthernet, b, w)
	}
	{
		inner, fill := innerEthernet(t, udp4(payloadOf(40, 20)), [2]uint16{0x8100, 30})
		tunnel("gre (checksum, key, sequence)/ethernet/802.1q/ipv4/udp", []packet.Tunnel{packet.TunnelGREEthernet},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
				&layers.GRE{ChecksumPresent: true, KeyPresent: true, SeqPresent: true, Key: 7, Seq: 9,
					Protocol: layers.EthernetTypeTransparentEthernetBridging}}, inner, fill, nil)
	}
	{
		p := udp4(payloadOf(33, 21))
		inner := serialize(t, p.layers...)
		ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolGRE, SrcIP: ip("2001:db8:ff::1"), DstIP: ip("2001:db8:ff::2")}
		tunnel("ipv6/gre (key)/ipv4/udp", []packet.Tunnel{packet.TunnelGREIP},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv6), ip6,
				&layers.GRE{KeyPresent: true, Key: 0x100, Protocol: layers.EthernetTypeIPv4}}, inner,
			func(f *packet.Frame, b []byte, off int) {
				f.HasMAC, f.SrcMAC, f.DstMAC = true, mac6(macC), mac6(macD)
				f.EtherType = packet.EtherTypeIPv4
				p.want(f, b, off)
			}, nil)
	}
	{
		inner, fill := innerEthernet(t, udp6(payloadOf(20, 22)))
		tunnel("erspan I/ethernet/ipv6/udp", []packet.Tunnel{packet.TunnelERSPAN1},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
				&layers.GRE{Protocol: layers.EthernetTypeERSPAN}}, inner, fill, nil)
	}
	{
		inner, fill := innerEthernet(t, tcp4opts(payloadOf(64, 23)))
		tunnel("erspan II/ethernet/ipv4/tcp", []packet.Tunnel{packet.TunnelERSPAN2},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
				&layers.GRE{SeqPresent: true, Seq: 1, Protocol: layers.EthernetTypeERSPAN},
				&layers.ERSPANII{Version: 1, VLANIdentifier: 10, CoS: 7, TrunkEncap: 3, IsTruncated: false, SessionID: 0x155, Index: 5}}, inner, fill,
			func(f *packet.Frame) { f.ERSPANSession = 0x155 })
	}
	for _, platform := range []bool{false, true} {
		inner, fill := innerEthernet(t, tcp6(payloadOf(12, 25)))
		name := "erspan III/ethernet/ipv6/tcp"
		if platform {
			name = "erspan III platform subheader/ethernet/ipv6/tcp"
		}
		tunnel(name, []packet.Tunnel{packet.TunnelERSPAN3},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
				&layers.GRE{SeqPresent: true, Seq: 3, Protocol: 0x22eb}, gopacket.Payload(erspan3Header(0, platform))},
			inner, fill, func(f *packet.Frame) { f.ERSPANSession = 0x2ab })
	}
	{
		inner, fill := innerEthernet(t, udp6(payloadOf(18, 26)))
		tunnel("erspan III over 0x88be/ethernet/ipv6/udp", []packet.Tunnel{packet.TunnelERSPAN3},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
				&layers.GRE{SeqPresent: true, Seq: 4, Protocol: layers.EthernetTypeERSPAN}, gopacket.Payload(erspan3Header(0, false))},
			inner, fill, func(f *packet.Frame) { f.ERSPANSession = 0x2ab })
	}
	{
		p := udp4(payloadOf(18, 27))
		inner := serialize(t, p.layers...)
		tunnel("erspan III frame type IP/ipv4/udp", []packet.Tunnel{packet.TunnelERSPAN3},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
				&layers.GRE{SeqPresent: true, Seq: 5, Protocol: 0x22eb}, gopacket.Payload(erspan3Header(2, false))},
			inner, func(f *packet.Frame, b []byte, off int) {
				f.EtherType = packet.EtherTypeIPv4
				p.want(f, b, off)
			}, func(f *packet.Frame) { f.ERSPANSession = 0x2ab })
		cs[len(cs)-1].noTshark = "tshark 4.0 shows an ERSPAN III payload of frame type IP as data"
	}
	{
		inner, fill := innerEthernet(t, udp6(payloadOf(44, 28)))
		u := &layers.UDP{SrcPort: 40000, DstPort: 4789}
		oip := outerIPv4(layers.IPProtocolUDP)
		u.SetNetworkLayerForChecksum(oip)
		tunnel("vxlan/ethernet/ipv6/udp", []packet.Tunnel{packet.TunnelVXLAN},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), oip, u,
				&layers.VXLAN{ValidIDFlag: true, VNI: 0x123456}}, inner, fill,
			func(f *packet.Frame) { f.VXLANVNI = 0x123456 })
	}
	{
		p := udp4(payloadOf(21, 29))
		inner := serialize(t, p.layers...)
		tunnel("ipv4/ipv4 (ip-in-ip)/udp", []packet.Tunnel{packet.TunnelIPinIP},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolIPv4)}, inner,
			func(f *packet.Frame, b []byte, off int) {
				f.HasMAC, f.SrcMAC, f.DstMAC = true, mac6(macC), mac6(macD)
				f.EtherType = packet.EtherTypeIPv4
				p.want(f, b, off)
			}, nil)
	}
	{
		p := tcp6(payloadOf(21, 30))
		inner := serialize(t, p.layers...)
		tunnel("ipv4/ipv6 (6in4)/tcp", []packet.Tunnel{packet.TunnelIPinIP},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolIPv6)}, inner,
			func(f *packet.Frame, b []byte, off int) {
				f.HasMAC, f.SrcMAC, f.DstMAC = true, mac6(macC), mac6(macD)
				f.EtherType = packet.EtherTypeIPv6
				p.want(f, b, off)
			}, nil)
	}
	{
		// GRE-Ethernet carrying VXLAN carrying Ethernet/IPv4/UDP.
		inner, fill := innerEthernet(t, udp4(payloadOf(30, 31)))
		u := &layers.UDP{SrcPort: 40001, DstPort: 4789}
		mid := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip("192.168.0.1"), DstIP: ip("192.168.0.2")}
		u.SetNetworkLayerForChecksum(mid)
		tunnel("gre/ethernet/ipv4/udp/vxlan/ethernet/ipv4/udp", []packet.Tunnel{packet.TunnelGREEthernet, packet.TunnelVXLAN},
			[]gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
				&layers.GRE{Protocol: layers.EthernetTypeTransparentEthernetBridging},
				&layers.Ethernet{SrcMAC: mac(macD), DstMAC: mac(macC), EthernetType: layers.EthernetTypeIPv4}, mid, u,
				&layers.VXLAN{ValidIDFlag: true, VNI: 99}}, inner, fill,
			func(f *packet.Frame) { f.VXLANVNI = 99 })
	}
	{
		// Four nested IP-in-IP headers: the cap, still decoded.
		p := udp4(payloadOf(10, 32))
		inner := serialize(t, p.layers...)
		outer := []gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4)}
		for range 4 {
			outer = append(outer, outerIPv4(layers.IPProtocolIPv4))
		}
		tunnel("4 nested ip-in-ip/udp", []packet.Tunnel{packet.TunnelIPinIP, packet.TunnelIPinIP, packet.TunnelIPinIP, packet.TunnelIPinIP},
			outer, inner,
			func(f *packet.Frame, b []byte, off int) {
				f.HasMAC, f.SrcMAC, f.DstMAC = true, mac6(macC), mac6(macD)
				f.EtherType = packet.EtherTypeIPv4
				p.want(f, b, off)
			}, nil)
	}
	{
		// Tunnels off: the VXLAN datagram stays UDP.
		inner, _ := innerEthernet(t, udp4(payloadOf(30, 33)))
		u := &layers.UDP{SrcPort: 40000, DstPort: 4789}
		oip := outerIPv4(layers.IPProtocolUDP)
		u.SetNetworkLayerForChecksum(oip)
		vx := &layers.VXLAN{ValidIDFlag: true, VNI: 5}
		b := serialize(t, outerEth(layers.EthernetTypeIPv4), oip, u, vx, gopacket.Payload(inner))
		w := packet.Frame{Link: packet.LinkEthernet, HasMAC: true, SrcMAC: mac6(macC), DstMAC: mac6(macD),
			EtherType: packet.EtherTypeIPv4, IPVersion: 4, Src: addr("172.16.0.1"), Dst: addr("172.16.0.2"),
			Proto: packet.ProtoUDP, TTL: 255, IPID: 1, IPPayload: b[34:], HasTransport: true,
			SrcPort: 40000, DstPort: 4789, Payload: b[42:]}
		cs = append(cs, decodeCase{name: "vxlan with DecodeTunnels off", link: packet.LinkEthernet, data: b, want: w,
			decoder: &packet.Decoder{VXLANPort: 4789}})
	}
	return cs
}

func TestDecodeBuiltFrames(t *testing.T) {
	var f packet.Frame
	for _, c := range decodeCases(t) {
		t.Run(c.name, func(t *testing.T) {
			d := c.decoder
			if d == nil {
				d = packet.NewDecoder()
			}
			if err := d.Decode(c.link, c.data, &f); err != nil {
				t.Fatalf("Decode: %v", err)
			}
			for _, diff := range frameDiff(&c.want, &f) {
				t.Error(diff)
			}
		})
	}
}

// TestDecodeResetsFrame decodes a rich frame and then a poor one into the
// same Frame: nothing of the first may survive.
func TestDecodeResetsFrame(t *testing.T) {
	cs := decodeCases(t)
	d := packet.NewDecoder()
	var f packet.Frame
	for _, a := range cs {
		for _, b := range cs {
			if err := d.Decode(a.link, a.data, &f); err != nil && a.decoder == nil {
				t.Fatalf("%s: %v", a.name, err)
			}
			dd := b.decoder
			if dd == nil {
				dd = d
			}
			if err := dd.Decode(b.link, b.data, &f); err != nil {
				t.Fatalf("%s: %v", b.name, err)
			}
			if diffs := frameDiff(&b.want, &f); len(diffs) > 0 {
				t.Fatalf("%s after %s: %v", b.name, a.name, diffs)
			}
		}
	}
}

// TestDecodeCrossCheckGopacket decodes every built frame that gopacket can
// decode with gopacket too and compares the innermost addresses and ports.
func TestDecodeCrossCheckGopacket(t *testing.T) {
	first := map[packet.LinkType]gopacket.Decoder{
		packet.LinkEthernet:  layers.LayerTypeEthernet,
		packet.LinkLinuxSLL:  layers.LayerTypeLinuxSLL,
		packet.LinkLinuxSLL2: layers.LayerTypeLinuxSLL2,
		packet.LinkNull:      layers.LayerTypeLoopback,
		packet.LinkRaw:       layers.LayerTypeIPv4,
	}
	d := packet.NewDecoder()
	var f packet.Frame
	checked := 0
	for _, c := range decodeCases(t) {
		dec, ok := first[c.link]
		if !ok || c.decoder != nil || c.want.NTunnel > 0 && c.want.Tunnels[0] == packet.TunnelERSPAN3 {
			continue
		}
		if c.link == packet.LinkRaw && c.data[0]>>4 == 6 {
			dec = layers.LayerTypeIPv6
		}
		p := gopacket.NewPacket(c.data, dec, gopacket.Default)
		if err := d.Decode(c.link, c.data, &f); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var src, dst []byte
		var sport, dport uint16
		for _, l := range p.Layers() {
			switch l := l.(type) {
			case *layers.IPv4:
				src, dst = l.SrcIP, l.DstIP
			case *layers.IPv6:
				src, dst = l.SrcIP, l.DstIP
			case *layers.UDP:
				if !f.Fragment {
					sport, dport = uint16(l.SrcPort), uint16(l.DstPort)
				}
			case *layers.TCP:
				sport, dport = uint16(l.SrcPort), uint16(l.DstPort)
			case *layers.LinuxSLL:
				if l.AddrLen == 6 && [6]byte(l.Addr) != f.SrcMAC {
					t.Errorf("%s: SLL address gopacket %v, ours %x", c.name, l.Addr, f.SrcMAC)
				}
			case *layers.LinuxSLL2:
				if l.InterfaceIndex != f.IfIndex || uint8(l.PacketType) != f.PacketType {
					t.Errorf("%s: SLL2 ifindex/type gopacket %d/%d, ours %d/%d", c.name, l.InterfaceIndex, l.PacketType, f.IfIndex, f.PacketType)
				}
			}
		}
		if src == nil {
			continue
		}
		if addr(ipString(src)) != f.Src || addr(ipString(dst)) != f.Dst {
			t.Errorf("%s: gopacket %v→%v, ours %v→%v", c.name, ipString(src), ipString(dst), f.Src, f.Dst)
		}
		if f.HasTransport && !f.Fragment && (sport != f.SrcPort || dport != f.DstPort) {
			t.Errorf("%s: gopacket ports %d→%d, ours %d→%d", c.name, sport, dport, f.SrcPort, f.DstPort)
		}
		checked++
	}
	if checked < 30 {
		t.Fatalf("only %d frames cross-checked", checked)
	}
}

func ipString(b []byte) string {
	if v4 := netIP(b).To4(); v4 != nil {
		return v4.String()
	}
	return netIP(b).String()
}

func TestLinkTypeString(t *testing.T) {
	for _, c := range []struct {
		l    packet.LinkType
		s    string
		supp bool
	}{
		{packet.LinkNull, "BSD loopback", true}, {packet.LinkEthernet, "Ethernet", true},
		{packet.LinkRaw, "raw IP", true}, {12, "raw IP", true}, {14, "raw IP", true},
		{packet.LinkLoop, "OpenBSD loopback", true}, {packet.LinkLinuxSLL, "Linux SLL", true},
		{packet.LinkLinuxSLL2, "Linux SLL2", true}, {packet.LinkIPv4, "raw IPv4", true},
		{packet.LinkIPv6, "raw IPv6", true}, {105, "LINKTYPE_105", false}, {127, "LINKTYPE_127", false},
	} {
		if c.l.String() != c.s || c.l.Supported() != c.supp {
			t.Errorf("LinkType(%d): %q %v, want %q %v", uint32(c.l), c.l.String(), c.l.Supported(), c.s, c.supp)
		}
	}
	for tun, s := range map[packet.Tunnel]string{packet.TunnelNone: "none", packet.TunnelGREEthernet: "GRE (Ethernet)",
		packet.TunnelGREIP: "GRE (IP)", packet.TunnelERSPAN1: "ERSPAN I", packet.TunnelERSPAN2: "ERSPAN II",
		packet.TunnelERSPAN3: "ERSPAN III", packet.TunnelVXLAN: "VXLAN", packet.TunnelIPinIP: "IP in IP", 99: "tunnel(99)"} {
		if tun.String() != s {
			t.Errorf("Tunnel(%d) = %q, want %q", tun, tun.String(), s)
		}
	}
}

func TestUnsupportedLink(t *testing.T) {
	var f packet.Frame
	err := packet.NewDecoder().Decode(105, []byte{1, 2, 3}, &f)
	var de *dissect.Error
	if !errors.As(err, &de) || de.Kind != dissect.Unsupported || de.Layer != "link" {
		t.Fatalf("got %v, want an Unsupported link error", err)
	}
}
