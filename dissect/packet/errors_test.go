package packet_test

import (
	"errors"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
)

func mutate(b []byte, fn func(b []byte)) []byte {
	c := append([]byte(nil), b...)
	fn(c)
	return c
}

// TestDecodeErrors feeds frames with one defect each and checks the error
// kind, layer and offset, and that what was decoded before the defect is
// kept.
func TestDecodeErrors(t *testing.T) {
	udp, _ := ethernetFrame(t, udp4(payloadOf(20, 1)))         // IPv4 at 14, UDP at 34
	tcp, _ := ethernetFrame(t, tcp6(nil))                      // IPv6 at 14, TCP at 54
	tcpOpts, _ := ethernetFrame(t, tcp4opts(payloadOf(10, 2))) // IPv4 at 14 (IHL 6), TCP at 38
	greERSPAN := func(proto layers.EthernetType, hdr []byte) []byte {
		inner, _ := ethernetFrame(t, udp4(nil))
		return serialize(t, outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
			&layers.GRE{SeqPresent: true, Protocol: proto}, gopacket.Payload(hdr), gopacket.Payload(inner))
	}
	nested := func(n int) []byte {
		ls := []gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4)}
		for range n {
			ls = append(ls, outerIPv4(layers.IPProtocolIPv4))
		}
		return serialize(t, append(ls, udp4(nil).layers...)...)
	}
	hbhTooLong, _ := ethernetFrame(t, udp6ext(nil))
	hbhTooLong[14+40+1] = 20 // hop-by-hop claims 168 bytes

	for _, c := range []struct {
		name   string
		link   packet.LinkType
		data   []byte
		kind   dissect.Kind
		layer  string
		offset int
		check  func(t *testing.T, f *packet.Frame)
	}{
		{"ethernet header cut", packet.LinkEthernet, udp[:10], dissect.Truncated, "ethernet", 0,
			func(t *testing.T, f *packet.Frame) {
				if !f.Truncated || f.HasMAC {
					t.Errorf("Truncated %v HasMAC %v", f.Truncated, f.HasMAC)
				}
			}},
		{"ipv4 header length 16", packet.LinkEthernet, mutate(udp, func(b []byte) { b[14] = 0x44 }), dissect.Malformed, "ipv4", 14,
			func(t *testing.T, f *packet.Frame) {
				if f.Src != addr("10.0.0.1") || f.Dst != addr("10.0.0.2") || f.HasMAC != true {
					t.Errorf("fields before the defect lost: %v %v", f.Src, f.Dst)
				}
			}},
		{"ipv4 version 5", packet.LinkEthernet, mutate(udp, func(b []byte) { b[14] = 0x55 }), dissect.Malformed, "ipv4", 14, nil},
		{"ipv4 total length below header", packet.LinkEthernet, mutate(udp, func(b []byte) { b[17] = 10 }), dissect.Malformed, "ipv4", 16, nil},
		{"ipv4 options cut by capture", packet.LinkEthernet, tcpOpts[:14+22], dissect.Truncated, "ipv4", 14, nil},
		{"udp length 7", packet.LinkEthernet, mutate(udp, func(b []byte) { b[38], b[39] = 0, 7 }), dissect.Malformed, "udp", 38,
			func(t *testing.T, f *packet.Frame) {
				if !f.HasTransport || f.SrcPort != 50000 || f.DstPort != 1812 {
					t.Errorf("ports lost: %v %d %d", f.HasTransport, f.SrcPort, f.DstPort)
				}
			}},
		{"udp length beyond ip", packet.LinkEthernet, mutate(udp, func(b []byte) { b[38], b[39] = 0, 200 }), dissect.Malformed, "udp", 38,
			func(t *testing.T, f *packet.Frame) {
				if len(f.Payload) != 20 || f.Truncated {
					t.Errorf("Payload %d bytes, Truncated %v", len(f.Payload), f.Truncated)
				}
			}},
		{"tcp data offset 4", packet.LinkEthernet, mutate(tcp, func(b []byte) { b[54+12] = 0x40 }), dissect.Malformed, "tcp", 66,
			func(t *testing.T, f *packet.Frame) {
				if f.SrcPort != 51001 || f.TCP.Seq != 7 || f.TCP.Raw != nil {
					t.Errorf("SrcPort %d Seq %d Raw %x", f.SrcPort, f.TCP.Seq, f.TCP.Raw)
				}
			}},
		{"tcp data offset beyond ip", packet.LinkEthernet, mutate(tcp, func(b []byte) { b[54+12] = 0xf0 }), dissect.Malformed, "tcp", 54, nil},
		{"tcp options cut by capture", packet.LinkEthernet, tcpOpts[:38+30], dissect.Truncated, "tcp", 38,
			func(t *testing.T, f *packet.Frame) {
				if !f.Truncated || f.TCP.DataOffset != 10 || f.SrcPort != 443 {
					t.Errorf("Truncated %v DataOffset %d SrcPort %d", f.Truncated, f.TCP.DataOffset, f.SrcPort)
				}
			}},
		{"five vlan tags", packet.LinkEthernet, func() []byte {
			b, _ := ethernetFrame(t, udp4(nil), [2]uint16{0x88a8, 1}, [2]uint16{0x8100, 2}, [2]uint16{0x8100, 3}, [2]uint16{0x8100, 4}, [2]uint16{0x8100, 5})
			return b
		}(), dissect.Unsupported, "vlan", 30, func(t *testing.T, f *packet.Frame) {
			if f.NVLAN != 4 || f.VLANs != [4]uint16{1, 2, 3, 4} {
				t.Errorf("VLANs %v (%d)", f.VLANs, f.NVLAN)
			}
		}},
		{"vlan tag cut", packet.LinkEthernet, mutate(udp[:16], func(b []byte) { b[12], b[13] = 0x81, 0 }), dissect.Truncated, "vlan", 14, nil},
		{"null family 7", packet.LinkNull, append([]byte{7, 0, 0, 0}, udp[14:]...), dissect.Unsupported, "null", 0, nil},
		{"null cut", packet.LinkNull, []byte{2, 0}, dissect.Truncated, "null", 0, nil},
		{"loop cut", packet.LinkLoop, []byte{0, 0, 0}, dissect.Truncated, "loop", 0, nil},
		{"sll cut", packet.LinkLinuxSLL, make([]byte, 15), dissect.Truncated, "sll", 0, nil},
		{"sll2 cut", packet.LinkLinuxSLL2, make([]byte, 19), dissect.Truncated, "sll2", 0, nil},
		{"raw ip version 5", packet.LinkRaw, mutate(udp[14:], func(b []byte) { b[0] = 0x55 }), dissect.Malformed, "ip", 0, nil},
		{"raw empty", packet.LinkRaw, nil, dissect.Truncated, "ip", 0, nil},
		{"ipv4 link carrying ipv6", packet.LinkIPv4, tcp[14:], dissect.Malformed, "ipv4", 0, nil},
		{"ipv6 link carrying ipv4", packet.LinkIPv6, udp[14:], dissect.Malformed, "ipv6", 0, nil},
		{"ipv6 header cut", packet.LinkEthernet, tcp[:14+39], dissect.Truncated, "ipv6", 14, nil},
		{"ipv6 hop-by-hop beyond payload", packet.LinkEthernet, hbhTooLong, dissect.Malformed, "ipv6", 54,
			func(t *testing.T, f *packet.Frame) {
				if f.Proto != packet.ProtoHopByHop || f.Src != addr("2001:db8:1::a") {
					t.Errorf("Proto %d Src %v", f.Proto, f.Src)
				}
			}},
		{"ah beyond payload", packet.LinkEthernet, func() []byte {
			b, _ := ethernetFrame(t, ah6())
			b[54+1] = 30
			return b
		}(), dissect.Malformed, "ah", 54, nil},
		{"erspan version 0", packet.LinkEthernet, greERSPAN(layers.EthernetTypeERSPAN, []byte{0x00, 0, 0, 1, 0, 0, 0, 0}), dissect.Unsupported, "erspan", 42,
			func(t *testing.T, f *packet.Frame) {
				if f.NTunnel != 0 || f.Src != addr("172.16.0.1") {
					t.Errorf("NTunnel %d Src %v", f.NTunnel, f.Src)
				}
			}},
		{"erspan version 1 on 0x22eb", packet.LinkEthernet, greERSPAN(0x22eb, make([]byte, 12)), dissect.Unsupported, "erspan", 42, nil},
		{"erspan III frame type 5", packet.LinkEthernet, greERSPAN(0x22eb, erspan3Header(5, false)), dissect.Unsupported, "erspan", 52, nil},
		{"erspan III platform subheader beyond ip", packet.LinkEthernet, func() []byte {
			return serialize(t, outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
				&layers.GRE{SeqPresent: true, Protocol: 0x22eb}, gopacket.Payload(erspan3Header(0, true)[:16]))
		}(), dissect.Malformed, "erspan", 42, nil},
		{"gre header cut by capture", packet.LinkEthernet, greERSPAN(layers.EthernetTypeERSPAN, nil)[:14+20+6], dissect.Truncated, "gre", 34, nil},
		{"five nested tunnels", packet.LinkEthernet, nested(5), dissect.CapExceeded, "ip", 114,
			func(t *testing.T, f *packet.Frame) {
				if f.NTunnel != 4 {
					t.Errorf("NTunnel %d", f.NTunnel)
				}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var f packet.Frame
			err := packet.NewDecoder().Decode(c.link, c.data, &f)
			var de *dissect.Error
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want a *dissect.Error", err)
			}
			if de.Kind != c.kind || de.Layer != c.layer || de.Offset != c.offset {
				t.Fatalf("got %s/%s at %d (%v), want %s/%s at %d", de.Layer, de.Kind, de.Offset, err, c.layer, c.kind, c.offset)
			}
			if c.check != nil {
				c.check(t, &f)
			}
		})
	}
}

// TestDecodeNotErrors covers frames that look odd but are not errors.
func TestDecodeNotErrors(t *testing.T) {
	d := packet.NewDecoder()
	var f packet.Frame

	// A short datagram to the VXLAN port is left as UDP.
	u := &layers.UDP{SrcPort: 1, DstPort: 4789}
	oip := outerIPv4(layers.IPProtocolUDP)
	u.SetNetworkLayerForChecksum(oip)
	b := serialize(t, outerEth(layers.EthernetTypeIPv4), oip, u, gopacket.Payload([]byte{8, 0, 0}))
	if err := d.Decode(packet.LinkEthernet, b, &f); err != nil || f.NTunnel != 0 || f.DstPort != 4789 || len(f.Payload) != 3 {
		t.Errorf("short VXLAN: %v, NTunnel %d, DstPort %d, Payload %x", err, f.NTunnel, f.DstPort, f.Payload)
	}
	// Without the I flag it is not VXLAN either.
	oip = outerIPv4(layers.IPProtocolUDP)
	u = &layers.UDP{SrcPort: 1, DstPort: 4789}
	u.SetNetworkLayerForChecksum(oip)
	b = serialize(t, outerEth(layers.EthernetTypeIPv4), oip, u, gopacket.Payload(make([]byte, 30)))
	if err := d.Decode(packet.LinkEthernet, b, &f); err != nil || f.NTunnel != 0 {
		t.Errorf("VXLAN without I flag: %v, NTunnel %d", err, f.NTunnel)
	}
	// PPTP's enhanced GRE (version 1) is left as the IP payload.
	pptp := []byte{0x30, 0x01, 0x88, 0x0b, 0, 4, 0, 1, 0, 0, 0, 1, 0xff, 0x03, 0, 0x21}
	b = serialize(t, outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE), gopacket.Payload(pptp))
	if err := d.Decode(packet.LinkEthernet, b, &f); err != nil || f.NTunnel != 0 || f.Proto != packet.ProtoGRE || len(f.IPPayload) != len(pptp) {
		t.Errorf("PPTP GRE: %v, NTunnel %d, Proto %d", err, f.NTunnel, f.Proto)
	}
	// GRE with a protocol nobody strips (WCCP) likewise.
	b = serialize(t, outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE), &layers.GRE{Protocol: 0x883e}, gopacket.Payload(make([]byte, 30)))
	if err := d.Decode(packet.LinkEthernet, b, &f); err != nil || f.NTunnel != 0 || f.Proto != packet.ProtoGRE {
		t.Errorf("WCCP GRE: %v, NTunnel %d, Proto %d", err, f.NTunnel, f.Proto)
	}
	// A first fragment whose TCP header goes on in the next fragment: left
	// to reassembly.
	ip4 := &layers.IPv4{Version: 4, TTL: 1, Id: 9, Flags: layers.IPv4MoreFragments, Protocol: layers.IPProtocolTCP,
		SrcIP: ip("10.0.0.1"), DstIP: ip("10.0.0.2")}
	b = serialize(t, outerEth(layers.EthernetTypeIPv4), ip4, gopacket.Payload(make([]byte, 16)))
	if err := d.Decode(packet.LinkEthernet, b, &f); err != nil || !f.Fragment || f.TCP.Raw != nil || !f.HasTransport {
		t.Errorf("tiny first fragment: %v, Fragment %v, Raw %x", err, f.Fragment, f.TCP.Raw)
	}
	// An IPv4 total length of 0 (segmentation offload): the capture decides.
	b, _ = ethernetFrame(t, tcp4opts(payloadOf(3000, 0)))
	b[16], b[17] = 0, 0
	if err := d.Decode(packet.LinkEthernet, b, &f); err != nil || len(f.Payload) != 3000 || f.Truncated {
		t.Errorf("TSO frame: %v, Payload %d, Truncated %v", err, len(f.Payload), f.Truncated)
	}
	// An IPv6 header with payload length 0 and only Ethernet padding behind.
	ip6 := &layers.IPv6{Version: 6, HopLimit: 1, NextHeader: layers.IPProtocolNoNextHeader, SrcIP: ip("fe80::1"), DstIP: ip("fe80::2")}
	b = serialize(t, outerEth(layers.EthernetTypeIPv6), ip6)
	if err := d.Decode(packet.LinkEthernet, b, &f); err != nil || len(b) != 60 || len(f.IPPayload) != 0 || f.Proto != packet.ProtoNoNext {
		t.Errorf("IPv6 no next header: %v, frame %d bytes, IPPayload %d", err, len(b), len(f.IPPayload))
	}
}
