package packet_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
)

// TestMarshalRoundTrip decodes every built frame without tunnels, marshals
// the Frame and decodes the result: the two Frames must be equal.
func TestMarshalRoundTrip(t *testing.T) {
	d := packet.NewDecoder()
	n := 0
	for _, c := range decodeCases(t) {
		if c.want.NTunnel > 0 || c.decoder != nil {
			continue
		}
		var f1, f2 packet.Frame
		if err := d.Decode(c.link, c.data, &f1); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		b, err := f1.Marshal()
		if err != nil {
			t.Errorf("%s: Marshal: %v", c.name, err)
			continue
		}
		if err := d.Decode(c.link, b, &f2); err != nil {
			t.Errorf("%s: Decode(Marshal): %v", c.name, err)
			continue
		}
		for _, diff := range frameDiff(&f1, &f2) {
			t.Errorf("%s: %s", c.name, diff)
		}
		n++
	}
	if n < 30 {
		t.Fatalf("only %d frames round-tripped", n)
	}
}

// TestMarshalMatchesGopacket builds the same frames with Marshal and with
// gopacket's serializers (lengths and checksums computed by gopacket): the
// bytes must be identical.
func TestMarshalMatchesGopacket(t *testing.T) {
	raw := cat(make([]byte, 20), []byte{2, 4, 5, 0xb4, 1, 1, 4, 2}) // MSS, NOP, NOP, SACK permitted
	for i, c := range []struct {
		f      packet.Frame
		layers func() []gopacket.SerializableLayer
	}{
		{packet.Frame{Link: packet.LinkEthernet, SrcMAC: mac6(macA), DstMAC: mac6(macB), IPVersion: 4,
			Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"), TTL: 64, IPID: 7, Proto: packet.ProtoUDP,
			HasTransport: true, SrcPort: 1812, DstPort: 50000, Payload: payloadOf(101, 3)},
			func() []gopacket.SerializableLayer {
				ip4 := &layers.IPv4{Version: 4, TTL: 64, Id: 7, Protocol: layers.IPProtocolUDP, SrcIP: ip("10.0.0.1"), DstIP: ip("10.0.0.2")}
				u := &layers.UDP{SrcPort: 1812, DstPort: 50000}
				u.SetNetworkLayerForChecksum(ip4)
				return []gopacket.SerializableLayer{&layers.Ethernet{SrcMAC: mac(macA), DstMAC: mac(macB), EthernetType: layers.EthernetTypeIPv4},
					ip4, u, gopacket.Payload(payloadOf(101, 3))}
			}},
		{packet.Frame{Link: packet.LinkRaw, IPVersion: 6, Src: addr("2001:db8::1"), Dst: addr("2001:db8::2"), TTL: 3,
			Proto: packet.ProtoTCP, HasTransport: true, SrcPort: 443, DstPort: 55555,
			TCP:     packet.TCPHeader{Seq: 0xfffffff0, Ack: 99, Flags: packet.TCPFlagSYN | packet.TCPFlagACK, Window: 29200, Raw: raw},
			Payload: payloadOf(33, 9)},
			func() []gopacket.SerializableLayer {
				ip6 := &layers.IPv6{Version: 6, HopLimit: 3, NextHeader: layers.IPProtocolTCP, SrcIP: ip("2001:db8::1"), DstIP: ip("2001:db8::2")}
				tcp := &layers.TCP{SrcPort: 443, DstPort: 55555, Seq: 0xfffffff0, Ack: 99, SYN: true, ACK: true, Window: 29200,
					Options: []layers.TCPOption{{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{5, 0xb4}},
						{OptionType: layers.TCPOptionKindNop}, {OptionType: layers.TCPOptionKindNop},
						{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2}}}
				tcp.SetNetworkLayerForChecksum(ip6)
				return []gopacket.SerializableLayer{ip6, tcp, gopacket.Payload(payloadOf(33, 9))}
			}},
		{packet.Frame{Link: packet.LinkNull, IPVersion: 4, Src: addr("127.0.0.1"), Dst: addr("127.0.0.1"), TTL: 1,
			Proto: packet.ProtoTCP, HasTransport: true, SrcPort: 1, DstPort: 2, TCP: packet.TCPHeader{Flags: packet.TCPFlagRST}},
			func() []gopacket.SerializableLayer {
				ip4 := &layers.IPv4{Version: 4, TTL: 1, Protocol: layers.IPProtocolTCP, SrcIP: ip("127.0.0.1"), DstIP: ip("127.0.0.1")}
				tcp := &layers.TCP{SrcPort: 1, DstPort: 2, RST: true}
				tcp.SetNetworkLayerForChecksum(ip4)
				return []gopacket.SerializableLayer{&layers.Loopback{Family: layers.ProtocolFamilyIPv4}, ip4, tcp}
			}},
		{packet.Frame{Link: packet.LinkEthernet, SrcMAC: mac6(macA), DstMAC: mac6(macB), NVLAN: 2, VLANs: [4]uint16{300, 12},
			IPVersion: 6, Src: addr("fe80::1"), Dst: addr("fe80::2"), TTL: 255, Proto: packet.ProtoUDP,
			HasTransport: true, SrcPort: 547, DstPort: 546, Payload: payloadOf(7, 1)},
			func() []gopacket.SerializableLayer {
				ip6 := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolUDP, SrcIP: ip("fe80::1"), DstIP: ip("fe80::2")}
				u := &layers.UDP{SrcPort: 547, DstPort: 546}
				u.SetNetworkLayerForChecksum(ip6)
				return []gopacket.SerializableLayer{&layers.Ethernet{SrcMAC: mac(macA), DstMAC: mac(macB), EthernetType: layers.EthernetTypeQinQ},
					&layers.Dot1Q{VLANIdentifier: 300, Type: layers.EthernetTypeDot1Q}, &layers.Dot1Q{VLANIdentifier: 12, Type: layers.EthernetTypeIPv6},
					ip6, u, gopacket.Payload(payloadOf(7, 1))}
			}},
		{packet.Frame{Link: packet.LinkRaw, IPVersion: 6, Src: addr("2001:db8::7"), Dst: addr("2001:db8::8"), TTL: 64,
			Proto: packet.ProtoUDP, IPID: 0x01020304, Fragment: true, FragOffset: 1232, MoreFragments: true, IPPayload: payloadOf(64, 5)},
			func() []gopacket.SerializableLayer {
				ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolIPv6Fragment, SrcIP: ip("2001:db8::7"), DstIP: ip("2001:db8::8")}
				fr := &layers.IPv6Fragment{NextHeader: layers.IPProtocolUDP, FragmentOffset: 1232 / 8, MoreFragments: true, Identification: 0x01020304}
				return []gopacket.SerializableLayer{ip6, fr, gopacket.Payload(payloadOf(64, 5))}
			}},
		{packet.Frame{Link: packet.LinkRaw, IPVersion: 4, Src: addr("10.9.9.9"), Dst: addr("10.8.8.8"), TTL: 64, IPID: 0xabcd,
			Proto: packet.ProtoUDP, Fragment: true, FragOffset: 2960, IPPayload: payloadOf(11, 5)},
			func() []gopacket.SerializableLayer {
				ip4 := &layers.IPv4{Version: 4, TTL: 64, Id: 0xabcd, FragOffset: 2960 / 8, Protocol: layers.IPProtocolUDP, SrcIP: ip("10.9.9.9"), DstIP: ip("10.8.8.8")}
				return []gopacket.SerializableLayer{ip4, gopacket.Payload(payloadOf(11, 5))}
			}},
	} {
		got, err := c.f.Marshal()
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		want := serialize(t, c.layers()...)
		if c.f.Link == packet.LinkEthernet && len(got) < 60 {
			got = append(got, make([]byte, 60-len(got))...) // gopacket pads
		}
		if !bytes.Equal(got, want) {
			t.Errorf("case %d:\nMarshal  % x\ngopacket % x", i, got, want)
		}
	}
}

// TestMarshalUDPChecksumZero checks RFC 768's rule: a computed checksum of
// zero is sent as 0xffff.
func TestMarshalUDPChecksumZero(t *testing.T) {
	f := packet.Frame{Link: packet.LinkRaw, IPVersion: 4, Src: addr("0.0.0.0"), Dst: addr("0.0.0.0"),
		Proto: packet.ProtoUDP, HasTransport: true}
	// Choose the payload so the one's-complement sum is 0xffff: pseudo
	// header (proto 17 + length 10) + header (length 10) + payload word.
	sum := uint32(17 + 10 + 10)
	word := uint16(0xffff - sum)
	f.Payload = binary.BigEndian.AppendUint16(nil, word)
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if got := binary.BigEndian.Uint16(b[26:28]); got != 0xffff {
		t.Fatalf("UDP checksum %#04x, want 0xffff", got)
	}
}

func TestMarshalRefuses(t *testing.T) {
	for name, c := range map[string]struct {
		f    packet.Frame
		kind dissect.Kind
	}{
		"tunnel":             {packet.Frame{Link: packet.LinkEthernet, NTunnel: 1, IPVersion: 4}, dissect.Unsupported},
		"loopback non-IP":    {packet.Frame{Link: packet.LinkNull, EtherType: packet.EtherTypeARP}, dissect.Unsupported},
		"raw without IP":     {packet.Frame{Link: packet.LinkRaw}, dissect.Unsupported},
		"unknown link":       {packet.Frame{Link: 147, IPVersion: 4}, dissect.Unsupported},
		"ipv4 with v6 addrs": {packet.Frame{Link: packet.LinkRaw, IPVersion: 4, Src: addr("::1"), Dst: addr("::1")}, dissect.Malformed},
		"ipv6 with v4 addrs": {packet.Frame{Link: packet.LinkRaw, IPVersion: 6, Src: addr("10.0.0.1"), Dst: addr("10.0.0.1")}, dissect.Malformed},
		"ipv4 too long": {packet.Frame{Link: packet.LinkRaw, IPVersion: 4, Src: addr("10.0.0.1"), Dst: addr("10.0.0.1"),
			IPPayload: make([]byte, 65516)}, dissect.Malformed},
		"odd fragment offset": {packet.Frame{Link: packet.LinkRaw, IPVersion: 4, Src: addr("10.0.0.1"), Dst: addr("10.0.0.1"),
			Fragment: true, FragOffset: 3}, dissect.Malformed},
		"bad tcp options": {packet.Frame{Link: packet.LinkRaw, IPVersion: 4, Src: addr("10.0.0.1"), Dst: addr("10.0.0.1"),
			Proto: packet.ProtoTCP, HasTransport: true, TCP: packet.TCPHeader{Raw: make([]byte, 23)}}, dissect.Malformed},
	} {
		if _, err := c.f.Marshal(); dissect.KindOf(err) != c.kind {
			t.Errorf("%s: got %v, want %s", name, err, c.kind)
		}
	}
}
