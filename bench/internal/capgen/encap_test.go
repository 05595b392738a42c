package capgen

import (
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Every encapsulation must decode with gopacket down to the same inner
// IPv4/UDP packet, with the tags, ERSPAN fields and outer checksum right.
func TestEncapDecodesWithGopacket(t *testing.T) {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP,
		SrcIP: net.IP{10, 1, 2, 3}, DstIP: net.IP{10, 4, 5, 6}}
	udp := &layers.UDP{SrcPort: 33333, DstPort: 5140}
	udp.SetNetworkLayerForChecksum(ip)
	l3 := serialize(t, ip, udp, gopacket.Payload([]byte("syslog-ish payload")))
	src, dst := MAC{2, 0, 0, 0, 0, 1}, MAC{2, 0, 0, 0, 0, 2}
	m := NewMirror()
	for _, e := range []Encap{
		{},
		{Kind: EncapVLAN, VLAN: 301},
		{Kind: EncapQinQ, OuterVLAN: 1002, VLAN: 20},
		{Kind: EncapERSPAN, Session: 2},
		{Kind: EncapERSPAN, Session: 1, VLAN: 100},
	} {
		buf := make([]byte, BufferSize)
		copy(buf[Headroom:], l3)
		s := e.Prepend(buf, Headroom, Headroom+len(l3), src, dst, EtherTypeIPv4, m)
		pkt := gopacket.NewPacket(buf[s:Headroom+len(l3)], layers.LinkTypeEthernet, gopacket.Default)
		if el := pkt.ErrorLayer(); el != nil {
			t.Fatalf("%+v: decode error: %v", e, el.Error())
		}
		checkChecksums(t, pkt)
		var vlans []uint16
		for _, l := range pkt.Layers() {
			if d, ok := l.(*layers.Dot1Q); ok {
				vlans = append(vlans, d.VLANIdentifier)
			}
		}
		u, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
		if u == nil || u.DstPort != 5140 || string(u.Payload) != "syslog-ish payload" {
			t.Fatalf("%+v: inner UDP not found intact: %v", e, pkt)
		}
		switch e.Kind {
		case EncapVLAN:
			if len(vlans) != 1 || vlans[0] != 301 {
				t.Errorf("VLAN tags %v, want [301]", vlans)
			}
		case EncapQinQ:
			if len(vlans) != 2 || vlans[0] != 1002 || vlans[1] != 20 {
				t.Errorf("QinQ tags %v, want [1002 20]", vlans)
			}
		case EncapERSPAN:
			er, _ := pkt.Layer(layers.LayerTypeERSPANII).(*layers.ERSPANII)
			gre, _ := pkt.Layer(layers.LayerTypeGRE).(*layers.GRE)
			if er == nil || gre == nil {
				t.Fatalf("no GRE/ERSPAN layers: %v", pkt)
			}
			if er.Version != 1 || er.SessionID != e.Session || er.VLANIdentifier != e.VLAN {
				t.Errorf("ERSPAN %+v, want session %d vlan %d", er, e.Session, e.VLAN)
			}
			if wantEn := uint8(0); e.VLAN != 0 && er.TrunkEncap != 3 || e.VLAN == 0 && er.TrunkEncap != wantEn {
				t.Errorf("ERSPAN encapsulation type %d for VLAN %d", er.TrunkEncap, e.VLAN)
			}
			if !gre.SeqPresent {
				t.Error("GRE sequence number missing (ERSPAN type II needs it)")
			}
			outer := pkt.Layers()[1].(*layers.IPv4)
			if !outer.SrcIP.Equal(net.IP(m.ProbeIP[:])) || outer.Protocol != layers.IPProtocolGRE {
				t.Errorf("outer IPv4 %v -> %v proto %v", outer.SrcIP, outer.DstIP, outer.Protocol)
			}
			if len(vlans) != map[bool]int{true: 1, false: 0}[e.VLAN != 0] {
				t.Errorf("inner VLAN tags %v for VLAN %d", vlans, e.VLAN)
			}
		default:
			if len(vlans) != 0 {
				t.Errorf("plain frame has tags %v", vlans)
			}
		}
	}
}
