package packet_test

import (
	"testing"

	"github.com/sessionscope/sscope/dissect/packet"
)

func TestFlowKey(t *testing.T) {
	d := packet.NewDecoder()
	var f packet.Frame
	b, _ := ethernetFrame(t, udp4(payloadOf(10, 0)))
	if err := d.Decode(packet.LinkEthernet, b, &f); err != nil {
		t.Fatal(err)
	}
	k := f.FlowKey()
	want := packet.FlowKey{Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"), SrcPort: 50000, DstPort: 1812, Proto: packet.ProtoUDP}
	if k != want {
		t.Fatalf("FlowKey %+v, want %+v", k, want)
	}
	r := k.Reverse()
	if r != (packet.FlowKey{Src: addr("10.0.0.2"), Dst: addr("10.0.0.1"), SrcPort: 1812, DstPort: 50000, Proto: packet.ProtoUDP}) {
		t.Fatalf("Reverse %+v", r)
	}
	if r.Reverse() != k {
		t.Fatal("Reverse is not an involution")
	}
	c1, rev1 := k.Canonical()
	c2, rev2 := r.Canonical()
	if c1 != c2 || rev1 == rev2 {
		t.Fatalf("Canonical: %+v/%v and %+v/%v", c1, rev1, c2, rev2)
	}
	if c1 != k || rev1 {
		t.Fatalf("the lower address comes first: %+v %v", c1, rev1)
	}
	// Same address both ways (loopback): the lower port comes first.
	lo := packet.FlowKey{Src: addr("127.0.0.1"), Dst: addr("127.0.0.1"), SrcPort: 9000, DstPort: 80, Proto: packet.ProtoTCP}
	if c, rev := lo.Canonical(); !rev || c.SrcPort != 80 {
		t.Fatalf("loopback Canonical %+v %v", c, rev)
	}
	if c, rev := lo.Reverse().Canonical(); rev || c.SrcPort != 80 {
		t.Fatalf("loopback reverse Canonical %+v %v", c, rev)
	}
	// IPv4 and IPv6 keys never collide, and keys work as map keys.
	m := map[packet.FlowKey]int{k: 1}
	k6 := k
	k6.Src, k6.Dst = addr("::ffff:10.0.0.1"), addr("::ffff:10.0.0.2")
	if _, ok := m[k6]; ok {
		t.Fatal("IPv4-mapped IPv6 key equals the IPv4 key")
	}
	if m[want] != 1 {
		t.Fatal("map lookup failed")
	}
	if n := testing.AllocsPerRun(100, func() {
		k := f.FlowKey()
		c, _ := k.Canonical()
		_ = c.Reverse()
	}); n != 0 {
		t.Fatalf("FlowKey allocates %v times", n)
	}
}
