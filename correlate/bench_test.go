package correlate_test

import (
	"encoding/binary"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
	"github.com/sessionscope/sscope/rules"
)

// irrelevantFrames builds span-like traffic that cannot matter: TCP
// between web ports and UDP DNS, 700 bytes on average.
func irrelevantFrames(b *testing.B) [][]byte {
	b.Helper()
	var out [][]byte
	for i := 0; i < 256; i++ {
		f := packet.Frame{Link: packet.LinkEthernet, IPVersion: 4, TTL: 64, HasTransport: true,
			Src: netip.AddrFrom4([4]byte{10, 0, byte(i), 1}), Dst: netip.AddrFrom4([4]byte{10, 9, 0, byte(i)})}
		if i%4 == 0 {
			f.Proto, f.SrcPort, f.DstPort = packet.ProtoUDP, 53000+uint16(i), 53
			f.Payload = make([]byte, 80)
		} else {
			f.Proto, f.SrcPort, f.DstPort = packet.ProtoTCP, 40000+uint16(i), 80
			f.TCP = packet.TCPHeader{Seq: uint32(i) * 1000, Ack: 1, Flags: packet.TCPFlagACK | packet.TCPFlagPSH, Window: 512, DataOffset: 5}
			f.Payload = make([]byte, 200+(i*37)%1200)
		}
		data, err := f.Marshal()
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// BenchmarkFastPathIrrelevant measures a packet that is decoded to its
// transport header and dropped: the bulk of a span-port capture.
func BenchmarkFastPathIrrelevant(b *testing.B) {
	frames := irrelevantFrames(b)
	a := correlate.New(correlate.Options{TLSDetect: true, Judge: rules.New()})
	idx := a.AddInput("bench", "pcap")
	ts := time.Unix(1700000000, 0)
	var total int
	for _, f := range frames {
		total += len(f)
	}
	b.SetBytes(int64(total / len(frames)))
	b.ReportAllocs()
	b.ResetTimer()
	var p source.Packet
	p.Link = packet.LinkEthernet
	for i := 0; i < b.N; i++ {
		p.Data = frames[i%len(frames)]
		p.Frame = uint64(i + 1)
		p.Timestamp = ts.Add(time.Duration(i) * time.Microsecond)
		a.Packet(idx, &p)
	}
}

// loadFrames reads a capture's Ethernet frames into memory.
func loadFrames(b *testing.B, path string) ([][]byte, []time.Duration) {
	b.Helper()
	r, err := source.Open(path)
	if err != nil {
		b.Skip(err)
	}
	defer r.Close()
	var frames [][]byte
	var offs []time.Duration
	var first time.Time
	var p source.Packet
	for r.Next(&p) == nil {
		if first.IsZero() {
			first = p.Timestamp
		}
		frames = append(frames, append([]byte(nil), p.Data...))
		offs = append(offs, p.Timestamp.Sub(first))
	}
	return frames, offs
}

// BenchmarkRADIUSEAPDense replays a real PEAP capture (two full
// authentications, 40 packets) over and over, each copy as a distinct
// RADIUS client port so every copy is its own conversation.
func BenchmarkRADIUSEAPDense(b *testing.B) {
	frames, offs := loadFrames(b, filepath.Join(labDir, "P3.pcapng"))
	a := correlate.New(correlate.Options{TLSDetect: true, Judge: rules.New()})
	idx := a.AddInput("bench", "pcap")
	var total int
	for _, f := range frames {
		total += len(f)
	}
	b.SetBytes(int64(total / len(frames)))
	b.ReportAllocs()
	base := time.Unix(1700000000, 0)
	var p source.Packet
	p.Link = packet.LinkEthernet
	buf := make([]byte, 2048)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copyN := i / len(frames)
		j := i % len(frames)
		data := append(buf[:0], frames[j]...)
		// Rewrite the NAS port (UDP source or destination port 1812's
		// peer) so that each copy is a new conversation.
		setNASPort(data, uint16(20000+copyN%40000))
		p.Data = data
		p.Frame = uint64(i + 1)
		p.Timestamp = base.Add(time.Duration(copyN)*200*time.Millisecond + offs[j])
		a.Packet(idx, &p)
	}
	b.StopTimer()
	a.Finish()
}

// setNASPort rewrites the non-1812 UDP port of an Ethernet/IPv4/UDP frame
// and clears the UDP checksum.
func setNASPort(f []byte, port uint16) {
	if len(f) < 42 || f[12] != 8 || f[13] != 0 {
		return
	}
	ihl := int(f[14]&0x0f) * 4
	u := 14 + ihl
	if len(f) < u+8 {
		return
	}
	if binary.BigEndian.Uint16(f[u:]) == 1812 {
		binary.BigEndian.PutUint16(f[u+2:], port)
	} else {
		binary.BigEndian.PutUint16(f[u:], port)
	}
	f[u+6], f[u+7] = 0, 0
}

// BenchmarkReadAndAnalyzeFile measures the whole path over a file on disk
// (page cache): reading, decoding, analysis.
func BenchmarkReadAndAnalyzeFile(b *testing.B) {
	path := filepath.Join(labDir, "T1.pcapng")
	st, err := os.Stat(path)
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		correlate.AnalyzeFiles([]string{path}, correlate.Options{TLSDetect: true, Judge: rules.New(), KeepSessions: true}, nil)
	}
}
