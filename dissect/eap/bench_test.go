package eap

import (
	"testing"
)

func benchPackets(b *testing.B) []*Packet {
	_, events := captureEvents(&testing.T{}, "peap-mschapv2.pcap")
	var out []*Packet
	for _, ev := range events {
		out = append(out, ev.pkt)
	}
	if len(out) == 0 {
		b.Skip("no capture")
	}
	return out
}

func BenchmarkDecodeFromBytes(b *testing.B) {
	pkts := benchPackets(b)
	var p Packet
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := p.DecodeFromBytes(pkts[i%len(pkts)].Raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeAndParseTLSFragment(b *testing.B) {
	pkts := benchPackets(b)
	var tlsPkts [][]byte
	for _, p := range pkts {
		if p.Type == TypePEAP {
			tlsPkts = append(tlsPkts, p.Raw)
		}
	}
	var p Packet
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := p.DecodeFromBytes(tlsPkts[i%len(tlsPkts)]); err != nil {
			b.Fatal(err)
		}
		if _, err := ParseTLSFragment(&p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReassembleFlight joins a 4 KB flight sent in 1 KB fragments.
func BenchmarkReassembleFlight(b *testing.B) {
	msg := make([]byte, 4096)
	frags := FragmentTLS(TypePEAP, 0, msg, 1024, LengthOnFirst)
	var r Reassembler
	id := uint8(0)
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		for _, f := range frags {
			id++
			if _, _, err := r.Add(id, f); err != nil {
				b.Fatal(err)
			}
		}
	}
}
