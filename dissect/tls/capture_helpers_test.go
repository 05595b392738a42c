package tls

// Test-only capture reading: pcap/pcapng (optionally gzip'd) through
// gopacket, a simple TCP reassembler (segments ordered by sequence number
// per direction) and UDP datagram extraction, plus the tshark oracle and
// the corpus manifest.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// corpusDir returns the public test corpus, or skips the test.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("SSCOPE_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		t.Skipf("corpus not found at %s (set SSCOPE_CORPUS): %v", dir, err)
	}
	return dir
}

type manifestRow struct {
	File      string
	Protocols []string
	Notes     string
}

func (r manifestRow) has(proto string) bool {
	for _, p := range r.Protocols {
		if p == proto {
			return true
		}
	}
	return false
}

func (r manifestRow) crafted() bool { return strings.Contains(r.Notes, "malformed/crafted") }

func readManifest(t testing.TB, dir string) []manifestRow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []manifestRow
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if i == 0 {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 11 {
			continue
		}
		rows = append(rows, manifestRow{File: f[0], Protocols: strings.Split(f[5], ","), Notes: f[10]})
	}
	return rows
}

// capPacket is one decoded frame.
type capPacket struct {
	Frame   int // 1-based, as tshark numbers frames
	Src     net.IP
	Dst     net.IP
	TCP     *layers.TCP
	UDP     *layers.UDP
	Payload []byte
}

func openCapture(t testing.TB, path string) []capPacket {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if raw, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	type source interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var src source
	linkOf := func(gopacket.CaptureInfo) layers.LinkType { return 0 }
	if len(raw) >= 4 && bytes.Equal(raw[:4], []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		r, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			t.Fatal(err)
		}
		src = r
		linkOf = func(ci gopacket.CaptureInfo) layers.LinkType {
			if intf, err := r.Interface(ci.InterfaceIndex); err == nil {
				return intf.LinkType
			}
			return r.LinkType()
		}
	} else {
		r, err := pcapgo.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		src = r
		linkOf = func(gopacket.CaptureInfo) layers.LinkType { return r.LinkType() }
	}
	var out []capPacket
	for frame := 1; ; frame++ {
		data, ci, err := src.ReadPacketData()
		if err != nil {
			break
		}
		pkt := gopacket.NewPacket(data, linkOf(ci), gopacket.Default)
		cp := capPacket{Frame: frame}
		// The innermost IP and transport layers (GTP and other tunnels
		// nest them).
		for _, l := range pkt.Layers() {
			switch l := l.(type) {
			case *layers.IPv4:
				cp.Src, cp.Dst = l.SrcIP, l.DstIP
				cp.TCP, cp.UDP = nil, nil
			case *layers.IPv6:
				cp.Src, cp.Dst = l.SrcIP, l.DstIP
				cp.TCP, cp.UDP = nil, nil
			case *layers.TCP:
				cp.TCP, cp.UDP, cp.Payload = l, nil, l.Payload
			case *layers.UDP:
				cp.UDP, cp.TCP, cp.Payload = l, nil, l.Payload
			}
		}
		out = append(out, cp)
	}
	return out
}

func endpoint(ip net.IP, port uint16) string {
	if ip4 := ip.To4(); ip4 != nil {
		return fmt.Sprintf("%s:%d", ip4, port)
	}
	return fmt.Sprintf("[%s]:%d", ip, port)
}

// tcpSegment is the payload of one TCP frame.
type tcpSegment struct {
	frame   int
	seq     uint32
	payload []byte
}

// streamChunk says which frame delivered stream bytes [start, end).
type streamChunk struct {
	start, end int
	frame      int
}

// tcpDirection is one direction of a TCP connection, reassembled.
type tcpDirection struct {
	Src, Dst string
	segs     []tcpSegment
	synSeq   uint32
	hasSYN   bool
	Data     []byte
	chunks   []streamChunk
	Gap      bool // a hole in the sequence space stopped reassembly
}

// frameAt returns the frame that delivered stream byte off.
func (d *tcpDirection) frameAt(off int) int {
	i := sort.Search(len(d.chunks), func(i int) bool { return d.chunks[i].end > off })
	if i < len(d.chunks) {
		return d.chunks[i].frame
	}
	return 0
}

func (d *tcpDirection) assemble() {
	if len(d.segs) == 0 {
		return
	}
	base := d.segs[0].seq
	if d.hasSYN {
		base = d.synSeq + 1
	}
	rel := func(s uint32) int64 { return int64(int32(s - base)) }
	sort.SliceStable(d.segs, func(i, j int) bool { return rel(d.segs[i].seq) < rel(d.segs[j].seq) })
	cursor := rel(d.segs[0].seq)
	if cursor > 0 && d.hasSYN {
		d.Gap = true
		return
	}
	start := cursor
	for _, s := range d.segs {
		r := rel(s.seq)
		end := r + int64(len(s.payload))
		if r > cursor {
			d.Gap = true
			return
		}
		if end <= cursor {
			continue // retransmission
		}
		d.Data = append(d.Data, s.payload[cursor-r:]...)
		d.chunks = append(d.chunks, streamChunk{start: int(cursor - start), end: int(end - start), frame: s.frame})
		cursor = end
	}
}

// tcpConn is a TCP connection: client (first sender of a SYN, else first
// sender) and server directions.
type tcpConn struct {
	Client, Server *tcpDirection
}

// reassembleTCP groups TCP payloads into connections. A new SYN on a
// 4-tuple already carrying data starts a new connection.
func reassembleTCP(pkts []capPacket) []*tcpConn {
	var conns []*tcpConn
	current := map[string]*tcpConn{}
	for _, p := range pkts {
		if p.TCP == nil || p.Src == nil {
			continue
		}
		src, dst := endpoint(p.Src, uint16(p.TCP.SrcPort)), endpoint(p.Dst, uint16(p.TCP.DstPort))
		key := src + ">" + dst
		rkey := dst + ">" + src
		c := current[key]
		if p.TCP.SYN && !p.TCP.ACK && c != nil && (len(c.Client.segs) > 0 || len(c.Server.segs) > 0) {
			c = nil
		}
		if c == nil {
			c = &tcpConn{Client: &tcpDirection{Src: src, Dst: dst}, Server: &tcpDirection{Src: dst, Dst: src}}
			if p.TCP.SYN && p.TCP.ACK {
				c.Client, c.Server = c.Server, c.Client
			}
			current[key], current[rkey] = c, c
			conns = append(conns, c)
		}
		d := c.Client
		if d.Src != src {
			d = c.Server
		}
		if p.TCP.SYN {
			d.hasSYN, d.synSeq = true, p.TCP.Seq
		}
		if len(p.Payload) > 0 {
			d.segs = append(d.segs, tcpSegment{frame: p.Frame, seq: p.TCP.Seq, payload: p.Payload})
		}
	}
	for _, c := range conns {
		c.Client.assemble()
		c.Server.assemble()
	}
	return conns
}

// oracleRow is one frame of a .tshark.tsv file.
type oracleRow struct {
	Frame            int
	TLSTypes         string // tls.handshake.type, comma-joined
	SessionIDs       string // tls.handshake.session_id
	DTLSTypes        string // dtls.handshake.type
	SrcPort, DstPort string
}

func readOracle(t testing.TB, path string) map[int]oracleRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var cols map[string]int
	rows := map[int]oracleRow{}
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if cols == nil {
			cols = map[string]int{}
			for i, c := range fields {
				cols[c] = i
			}
			continue
		}
		get := func(name string) string {
			if i, ok := cols[name]; ok && i < len(fields) {
				return fields[i]
			}
			return ""
		}
		var r oracleRow
		fmt.Sscan(get("frame.number"), &r.Frame)
		r.TLSTypes, r.SessionIDs, r.DTLSTypes = get("tls.handshake.type"), get("tls.handshake.session_id"), get("dtls.handshake.type")
		rows[r.Frame] = r
	}
	return rows
}
