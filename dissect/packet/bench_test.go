package packet_test

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/sessionscope/sscope/dissect/packet"
)

func benchFrames(b testing.TB) map[string][]byte {
	tcp, _ := ethernetFrame(b, tcp4opts(payloadOf(1200, 0)))
	tcpPlain := serialize(b, func() []gopacket.SerializableLayer {
		ip4 := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: ip("10.0.0.1"), DstIP: ip("10.0.0.2")}
		t := &layers.TCP{SrcPort: 443, DstPort: 50000, Seq: 1, Ack: 2, ACK: true, Window: 1000}
		t.SetNetworkLayerForChecksum(ip4)
		return []gopacket.SerializableLayer{outerEth(layers.EthernetTypeIPv4), ip4, t, gopacket.Payload(payloadOf(1400, 0))}
	}()...)
	udp, _ := ethernetFrame(b, udp4(payloadOf(300, 0)))
	vlan, _ := ethernetFrame(b, udp4(payloadOf(300, 0)), [2]uint16{0x88a8, 10}, [2]uint16{0x8100, 20})
	inner, _ := ethernetFrame(b, udp4(payloadOf(300, 0)))
	erspan := serialize(b, outerEth(layers.EthernetTypeIPv4), outerIPv4(layers.IPProtocolGRE),
		&layers.GRE{SeqPresent: true, Seq: 1, Protocol: layers.EthernetTypeERSPAN},
		&layers.ERSPANII{Version: 1, SessionID: 3}, gopacket.Payload(inner))
	return map[string][]byte{"tcp": tcpPlain, "tcpopts": tcp, "udp": udp, "vlan": vlan, "erspan": erspan}
}

func benchmarkDecode(b *testing.B, name string) {
	data := benchFrames(b)[name]
	d := packet.NewDecoder()
	var f packet.Frame
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := d.Decode(packet.LinkEthernet, data, &f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeEthernetIPv4TCP(b *testing.B)        { benchmarkDecode(b, "tcp") }
func BenchmarkDecodeEthernetIPv4TCPOptions(b *testing.B) { benchmarkDecode(b, "tcpopts") }
func BenchmarkDecodeEthernetIPv4UDP(b *testing.B)        { benchmarkDecode(b, "udp") }
func BenchmarkDecodeEthernetVLANIPv4UDP(b *testing.B)    { benchmarkDecode(b, "vlan") }
func BenchmarkDecodeEthernetERSPANIPv4UDP(b *testing.B)  { benchmarkDecode(b, "erspan") }

// BenchmarkGopacketDecodingLayerParser is the reference point: gopacket's
// preallocated DecodingLayerParser over the same Ethernet/IPv4/TCP frame.
func BenchmarkGopacketDecodingLayerParser(b *testing.B) {
	data := benchFrames(b)["tcp"]
	var eth layers.Ethernet
	var ip4 layers.IPv4
	var tcp layers.TCP
	var pl gopacket.Payload
	p := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &ip4, &tcp, &pl)
	decoded := make([]gopacket.LayerType, 0, 4)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.DecodeLayers(data, &decoded)
	}
}

// TestDecodeDoesNotAllocate checks that decoding into a reused Frame
// allocates nothing, for every built frame (all link types and tunnels)
// and for the first frames of the corpus.
func TestDecodeDoesNotAllocate(t *testing.T) {
	d := packet.NewDecoder()
	var f packet.Frame
	for _, c := range decodeCases(t) {
		if c.decoder != nil {
			continue
		}
		if n := testing.AllocsPerRun(50, func() {
			if err := d.Decode(c.link, c.data, &f); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations per Decode", c.name, n)
		}
	}
	for name, data := range benchFrames(t) {
		if n := testing.AllocsPerRun(100, func() { _ = d.Decode(packet.LinkEthernet, data, &f) }); n != 0 {
			t.Errorf("%s: %v allocations per Decode", name, n)
		}
	}
}
