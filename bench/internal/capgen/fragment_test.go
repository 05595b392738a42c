package capgen

import (
	"bytes"
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sessionscope/sscope/bench/internal/captest"
)

var (
	nasMAC    = net.HardwareAddr{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}
	serverMAC = net.HardwareAddr{0x00, 0x66, 0x77, 0x88, 0x99, 0xaa}
)

// radiusRequest builds an Access-Request of about size bytes holding a
// Calling-Station-Id and EAP-Message attributes.
func radiusRequest(id byte, size int) []byte {
	p := []byte{1, id, 0, 0}
	p = append(p, bytes.Repeat([]byte{0xa5}, 16)...)
	p = append(p, 31, 19)
	p = append(p, "00-11-22-33-44-55"...)
	for len(p) < size-257 {
		p = append(p, 79, 255)
		p = append(p, bytes.Repeat([]byte{0x3c}, 253)...)
	}
	binary.BigEndian.PutUint16(p[2:], uint16(len(p)))
	return p
}

// fragmentedExchange builds, with gopacket's serializers, a RADIUS request
// larger than the MTU sent as two IPv4 fragments (the last one first, as
// Linux sends them; UDP checksum computed by gopacket over the whole
// datagram) and its answer. It returns the frames, the UDP datagram and
// the request.
func fragmentedExchange(t *testing.T) (frames [][]byte, dgram, req []byte) {
	req = radiusRequest(7, 2400)
	src, dst := net.IP{192, 0, 2, 10}, net.IP{192, 0, 2, 200}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: src, DstIP: dst}
	udp := &layers.UDP{SrcPort: 41000, DstPort: 1812}
	udp.SetNetworkLayerForChecksum(ip)
	dgram = serialize(t, udp, gopacket.Payload(req))
	eth := func(from, to net.HardwareAddr) *layers.Ethernet {
		return &layers.Ethernet{SrcMAC: from, DstMAC: to, EthernetType: layers.EthernetTypeIPv4}
	}
	frag := func(off int, more bool, data []byte) []byte {
		f := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: src, DstIP: dst,
			Id: 0x4242, FragOffset: uint16(off / 8)}
		if more {
			f.Flags = layers.IPv4MoreFragments
		}
		return serialize(t, eth(nasMAC, serverMAC), f, gopacket.Payload(data))
	}
	respIP := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: dst, DstIP: src}
	respUDP := &layers.UDP{SrcPort: 1812, DstPort: 41000}
	respUDP.SetNetworkLayerForChecksum(respIP)
	resp := []byte{11, 7, 0, 20}
	resp = append(resp, bytes.Repeat([]byte{0x11}, 16)...)
	frames = [][]byte{
		frag(1480, false, dgram[1480:]),
		frag(0, true, dgram[:1480]),
		serialize(t, eth(serverMAC, nasMAC), respIP, respUDP, gopacket.Payload(resp)),
	}
	return frames, dgram, req
}

func readFrames(t *testing.T, frames [][]byte) *Template {
	t.Helper()
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	times := make([]time.Time, len(frames))
	for i := range times {
		times[i] = t0.Add(time.Duration(i) * time.Millisecond)
	}
	tpl, err := ReadTemplate(bytes.NewReader(writePcap(t, frames, times)), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// A datagram whose fragments are all captured is reassembled, rewritten
// whole (ports, identifier, Calling-Station-Id, UDP checksum) and cut into
// the same fragments again; gopacket checks the reassembled checksum.
func TestCopyRewritesReassembledFragments(t *testing.T) {
	frames, _, req := fragmentedExchange(t)
	tpl := readFrames(t, frames)
	if len(tpl.Frames) != 3 || tpl.RADIUSFrames != 2 || tpl.ClientHosts() != 1 || len(tpl.datagrams) != 1 {
		t.Fatalf("%d frames, %d RADIUS, %d client hosts, %d datagrams", len(tpl.Frames), tpl.RADIUSFrames, tpl.ClientHosts(), len(tpl.datagrams))
	}
	if f := tpl.Frames[0]; f.L4 != 0 || f.Whole || tpl.Hosts[f.Src].Addr.String() != "192.0.2.10" || !tpl.Hosts[f.Src].ClientSide {
		t.Fatalf("trailing fragment: %+v", f)
	}
	var cp Copier
	cp.New(tpl, 0, Encap{}, nil) // copy 0
	c := cp.New(tpl, 0, Encap{}, nil)
	buf := make([]byte, BufferSize)
	var parts [2][]byte
	var outer [2]*layers.IPv4
	for j := range 2 {
		frame, _ := c.Next(buf, nil)
		pkt := gopacket.NewPacket(append([]byte(nil), frame...), layers.LinkTypeEthernet, gopacket.Default)
		checkChecksums(t, pkt)
		outer[j] = pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		parts[j] = outer[j].Payload
	}
	if !outer[0].SrcIP.Equal(outer[1].SrcIP) || !outer[0].DstIP.Equal(outer[1].DstIP) || outer[0].SrcIP.Equal(net.IP{192, 0, 2, 10}) {
		t.Fatalf("fragments rewritten inconsistently: %v/%v and %v/%v", outer[0].SrcIP, outer[0].DstIP, outer[1].SrcIP, outer[1].DstIP)
	}
	if len(parts[1]) != 1480 || outer[1].Flags != layers.IPv4MoreFragments || outer[0].FragOffset != 185 {
		t.Fatalf("fragment boundaries changed: %d bytes, flags %v, offset %d", len(parts[1]), outer[1].Flags, outer[0].FragOffset)
	}
	whole := append(append([]byte(nil), parts[1]...), parts[0]...)
	ip2 := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: outer[0].SrcIP, DstIP: outer[0].DstIP}
	pkt := gopacket.NewPacket(serialize(t, ip2, gopacket.Payload(whole)), layers.LayerTypeIPv4, gopacket.Default)
	u, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
	if u == nil {
		t.Fatalf("reassembled datagram has no UDP: %v", pkt)
	}
	checkChecksums(t, pkt)
	if uint16(u.SrcPort) != c.Port(41000) || u.DstPort != 1812 {
		t.Errorf("ports %d -> %d", u.SrcPort, u.DstPort)
	}
	if u.Payload[1] != 7+1 || string(u.Payload[22:39]) != "02-00-00-00-00-01" || !bytes.Equal(u.Payload[39:], req[39:]) {
		t.Errorf("rewritten request: id %d, Calling-Station-Id %q, rest unchanged %v",
			u.Payload[1], u.Payload[22:39], bytes.Equal(u.Payload[39:], req[39:]))
	}
	frame, _ := c.Next(buf, nil)
	if p := radiusPayload(t, frame); p[1] != 8 {
		t.Errorf("response identifier %d, want 8", p[1])
	}
}

// When a fragment is missing the datagram cannot be rewritten whole: the
// first fragment gets new addresses, port and identifier, and its UDP
// checksum is updated incrementally to exactly what the whole rewritten
// datagram would have (computed here by gopacket).
func TestCopyUpdatesLoneFirstFragmentIncrementally(t *testing.T) {
	frames, dgram, _ := fragmentedExchange(t)
	tpl := readFrames(t, frames[1:]) // the trailing fragment was not captured
	if len(tpl.datagrams) != 0 || tpl.Frames[0].L4 == 0 || !tpl.Frames[0].RADIUS {
		t.Fatalf("lone first fragment loaded as %+v (%d datagrams)", tpl.Frames[0], len(tpl.datagrams))
	}
	var cp Copier
	for range 4 {
		cp.New(tpl, 0, Encap{}, nil)
	}
	c := cp.New(tpl, 0, Encap{}, nil) // copy 4
	frame, _ := c.Next(make([]byte, BufferSize), nil)
	pkt := gopacket.NewPacket(append([]byte(nil), frame...), layers.LinkTypeEthernet, gopacket.Default)
	ip := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	captest.CheckChecksums(t, pkt) // the IPv4 header
	got := binary.BigEndian.Uint16(ip.Payload[6:])
	if ip.Payload[9] != 7+4 || binary.BigEndian.Uint16(ip.Payload[0:]) != c.Port(41000) {
		t.Fatalf("identifier %d, port %d", ip.Payload[9], binary.BigEndian.Uint16(ip.Payload[0:]))
	}
	want := append([]byte(nil), dgram...)
	want[9] += 4
	uip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip.SrcIP, DstIP: ip.DstIP}
	u := &layers.UDP{SrcPort: layers.UDPPort(c.Port(41000)), DstPort: 1812}
	u.SetNetworkLayerForChecksum(uip)
	full := serialize(t, uip, u, gopacket.Payload(want[8:]))
	if exp := binary.BigEndian.Uint16(full[20+6:]); got != exp {
		t.Fatalf("incremental UDP checksum %#04x, whole datagram's %#04x", got, exp)
	}
}

// IPv6 templates from a pcapng file: addresses move to 2001:db8:c::/48
// (clients) and 2001:db8:5e::/48 (servers) and TCP/UDP checksums over the
// IPv6 pseudo-header stay valid.
func TestCopyIPv6FromPcapng(t *testing.T) {
	cli, srv := net.ParseIP("fd00::10"), net.ParseIP("fd00::1")
	eth := func(from, to net.HardwareAddr) *layers.Ethernet {
		return &layers.Ethernet{SrcMAC: from, DstMAC: to, EthernetType: layers.EthernetTypeIPv6}
	}
	udp6 := func(s, d net.IP, sp, dp layers.UDPPort, payload []byte, from, to net.HardwareAddr) []byte {
		ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: s, DstIP: d}
		u := &layers.UDP{SrcPort: sp, DstPort: dp}
		u.SetNetworkLayerForChecksum(ip)
		return serialize(t, eth(from, to), ip, u, gopacket.Payload(payload))
	}
	tcp6 := func(s, d net.IP, sp, dp layers.TCPPort, syn bool, payload []byte, from, to net.HardwareAddr) []byte {
		ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP, SrcIP: s, DstIP: d}
		tc := &layers.TCP{SrcPort: sp, DstPort: dp, SYN: syn, ACK: !syn, Seq: 1000, Window: 512}
		tc.SetNetworkLayerForChecksum(ip)
		return serialize(t, eth(from, to), ip, tc, gopacket.Payload(payload))
	}
	resp := append([]byte{2, 9, 0, 20}, bytes.Repeat([]byte{0x22}, 16)...)
	frames := [][]byte{
		udp6(cli, srv, 50000, 1812, radiusRequest(9, 300), nasMAC, serverMAC),
		udp6(srv, cli, 1812, 50000, resp, serverMAC, nasMAC),
		tcp6(cli, srv, 51000, 2083, true, nil, nasMAC, serverMAC),
		tcp6(cli, srv, 51000, 2083, false, []byte("\x16\x03\x01\x00\x05hello"), nasMAC, serverMAC),
	}
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriter(&buf, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for i, f := range frames {
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(f), Length: len(f)}
		if err := w.WritePacket(ci, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	tpl, err := ReadTemplate(&buf, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Frames) != 4 || tpl.RADIUSFrames != 2 || len(tpl.Hosts) != 2 {
		t.Fatalf("%d frames, %d RADIUS, hosts %+v", len(tpl.Frames), tpl.RADIUSFrames, tpl.Hosts)
	}
	tpl.ID = 3
	var cp Copier
	c := cp.New(tpl, t0.UnixNano(), Encap{Kind: EncapVLAN, VLAN: 30}, nil)
	out := make([]byte, BufferSize)
	for j := range tpl.Frames {
		frame, ts := c.Next(out, nil)
		if want := t0.Add(time.Duration(j) * time.Millisecond).UnixNano(); ts != want {
			t.Errorf("frame %d time %d, want %d", j, ts, want)
		}
		pkt := gopacket.NewPacket(append([]byte(nil), frame...), layers.LinkTypeEthernet, gopacket.Default)
		checkChecksums(t, pkt)
		ip, _ := pkt.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
		if ip == nil {
			t.Fatalf("frame %d: no IPv6: %v", j, pkt)
		}
		c6, s6 := ip.SrcIP, ip.DstIP
		if j == 1 {
			c6, s6 = s6, c6
		}
		if !(&net.IPNet{IP: net.ParseIP("2001:db8:c::"), Mask: net.CIDRMask(48, 128)}).Contains(c6) ||
			!s6.Equal(net.ParseIP("2001:db8:5e::3:1")) {
			t.Errorf("frame %d: client %v server %v", j, c6, s6)
		}
	}
}
