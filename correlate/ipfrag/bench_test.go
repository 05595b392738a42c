package ipfrag_test

import (
	"bytes"
	"testing"

	"github.com/sessionscope/sscope/correlate/ipfrag"
	"github.com/sessionscope/sscope/dissect/packet"
)

// BenchmarkReassemble3Fragments reassembles a 4 kB UDP datagram from three
// IPv4 fragments per iteration (the shape of a RADIUS packet carrying a
// certificate), out of order.
func BenchmarkReassemble3Fragments(b *testing.B) {
	dgram := udpDatagram(b, false, bytes.Repeat([]byte{0x42}, 4000))
	ps := split(b, false, 1, dgram, 1480)
	fs := make([]*packet.Frame, len(ps))
	for i, p := range ps {
		fs[i] = decode(b, packet.LinkEthernet, p.frame)
	}
	order := []int{2, 0, 1}
	r := ipfrag.New(ipfrag.Options{})
	b.ReportAllocs()
	b.SetBytes(int64(len(dgram)))
	id := uint32(0)
	for b.Loop() {
		id++
		for _, i := range order {
			fs[i].IPID = id
			if _, _, _, err := r.Add(fs[i], t0, uint64(i)); err != nil {
				b.Fatal(err)
			}
		}
	}
	if r.Stats().Reassembled == 0 {
		b.Fatal("nothing reassembled")
	}
}
