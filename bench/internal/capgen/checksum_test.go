package capgen

import (
	"encoding/binary"
	"math/rand/v2"
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// RFC 1071 §3 works the example bytes 00 01 f2 03 f4 f5 f6 f7 to the
// folded sum ddf2, so the checksum field is its complement 220d.
func TestSumRFC1071Example(t *testing.T) {
	b := []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}
	if got := Fold(Sum(b, 0)); got != 0x220d {
		t.Fatalf("Fold(Sum) = %#04x, want 0x220d", got)
	}
}

// Sum must agree with gopacket's independent checksum code on every length
// and alignment, including odd tails and pieces summed separately.
func TestSumMatchesGopacket(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 2100; n += 1 + rng.IntN(7) {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		want := gopacket.FoldChecksum(gopacket.ComputeChecksum(b, 0))
		if got := Fold(Sum(b, 0)); got != want {
			t.Fatalf("len %d: Fold(Sum) = %#04x, gopacket %#04x", n, got, want)
		}
		split := n / 2 &^ 1 // pieces of even length add up
		if got := Fold(Sum(b[split:], Sum(b[:split], 0))); got != want {
			t.Fatalf("len %d split %d: %#04x, gopacket %#04x", n, split, got, want)
		}
	}
}

// A UDP datagram serialized by gopacket carries gopacket's checksum; the
// pseudo-header sum plus Sum must reproduce it.
func TestPseudoHeaderSumMatchesGopacketUDP(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 20, 333, 1472} {
		payload := make([]byte, n)
		for i := range payload {
			payload[i] = byte(rng.Uint32())
		}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP,
			SrcIP: net.IP{192, 0, 2, 1}, DstIP: net.IP{198, 51, 100, 7}}
		udp := &layers.UDP{SrcPort: 40000, DstPort: 1812}
		udp.SetNetworkLayerForChecksum(ip)
		pkt := serialize(t, ip, udp, gopacket.Payload(payload))
		seg := append([]byte(nil), pkt[20:]...)
		want := binary.BigEndian.Uint16(seg[6:])
		seg[6], seg[7] = 0, 0
		got := Fold(Sum(seg, PseudoHeaderSum(pkt[12:16], pkt[16:20], 17, len(seg))))
		if got == 0 {
			got = 0xffff
		}
		if got != want {
			t.Fatalf("payload %d: checksum %#04x, gopacket %#04x", n, got, want)
		}
	}
}

// Updating a checksum incrementally after replacing addresses and ports
// must give what a full recomputation gives.
func TestAdjustChecksumMatchesRecompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		seg := make([]byte, 8+rng.IntN(200))
		for i := range seg {
			seg[i] = byte(rng.Uint32())
		}
		addrs := make([]byte, 8)
		for i := range addrs {
			addrs[i] = byte(rng.Uint32())
		}
		seg[6], seg[7] = 0, 0
		cs := Fold(Sum(seg, PseudoHeaderSum(addrs[:4], addrs[4:], 17, len(seg))))
		oldAddrs, oldPorts := append([]byte(nil), addrs...), append([]byte(nil), seg[:4]...)
		for i := range addrs {
			addrs[i] = byte(rng.Uint32())
		}
		for i := range 4 {
			seg[i] = byte(rng.Uint32())
		}
		adj := AdjustChecksum(AdjustChecksum(cs, oldAddrs, addrs), oldPorts, seg[:4])
		want := Fold(Sum(seg, PseudoHeaderSum(addrs[:4], addrs[4:], 17, len(seg))))
		// 0x0000 and 0xffff are the same value in one's complement.
		if adj != want && !(adj^want == 0xffff && (adj == 0 || want == 0)) {
			t.Fatalf("incremental %#04x, recomputed %#04x", adj, want)
		}
	}
}

func TestIPv4HeaderChecksumVerifiedByGopacket(t *testing.T) {
	h := []byte{0x45, 0, 0, 60, 0x1c, 0x46, 0x40, 0, 64, 6, 0xde, 0xad, 172, 16, 10, 99, 172, 16, 10, 12}
	IPv4HeaderChecksum(h)
	var ip layers.IPv4
	if err := ip.DecodeFromBytes(append(h, make([]byte, 40)...), gopacket.NilDecodeFeedback); err != nil {
		t.Fatal(err)
	}
	if err, res := ip.VerifyChecksum(); err != nil || !res.Valid {
		t.Fatalf("gopacket rejects the header checksum: %v %+v", err, res)
	}
}

func BenchmarkSum(b *testing.B) {
	buf := make([]byte, 1500)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		Fold(Sum(buf, 0))
	}
}
