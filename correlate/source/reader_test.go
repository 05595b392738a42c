package source

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/dissect/packet"
)

var (
	t0    = time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)
	frame = []byte("0123456789abcdefghij")
)

func readAll(t *testing.T, r *Reader) []Packet {
	t.Helper()
	var out []Packet
	for {
		var p Packet
		err := r.Next(&p)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		p.Data = append([]byte(nil), p.Data...)
		out = append(out, p)
	}
}

// bigEndianPcap writes a pcap file the way a big-endian host does, which
// pcapgo's writer cannot.
func bigEndianPcap(nanos bool, link uint32, ts time.Time, data []byte) []byte {
	var b bytes.Buffer
	magic := uint32(0xa1b2c3d4)
	sub := uint32(ts.Nanosecond() / 1000)
	if nanos {
		magic = 0xa1b23c4d
		sub = uint32(ts.Nanosecond())
	}
	be := binary.BigEndian
	for _, v := range []any{magic, uint16(2), uint16(4), int32(0), uint32(0), uint32(65535), link} {
		binary.Write(&b, be, v)
	}
	for _, v := range []any{uint32(ts.Unix()), sub, uint32(len(data)), uint32(len(data))} {
		binary.Write(&b, be, v)
	}
	b.Write(data)
	return b.Bytes()
}

func TestPcapResolutionsAndByteOrders(t *testing.T) {
	var le, leNs bytes.Buffer
	w := pcapgo.NewWriter(&le)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(frame), Length: 100}, frame)
	wn := pcapgo.NewWriterNanos(&leNs)
	wn.WriteFileHeader(65535, layers.LinkTypeRaw)
	wn.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(frame), Length: len(frame)}, frame)
	cases := []struct {
		name string
		data []byte
		link packet.LinkType
		ts   time.Time
	}{
		{"little-endian µs", le.Bytes(), packet.LinkEthernet, t0.Truncate(time.Microsecond)},
		{"little-endian ns", leNs.Bytes(), packet.LinkRaw, t0},
		{"big-endian µs", bigEndianPcap(false, 113, t0, frame), packet.LinkLinuxSLL, t0.Truncate(time.Microsecond)},
		{"big-endian ns", bigEndianPcap(true, 276, t0, frame), packet.LinkLinuxSLL2, t0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewReader(c.name, bytes.NewReader(c.data), nil)
			if err != nil {
				t.Fatal(err)
			}
			ps := readAll(t, r)
			if len(ps) != 1 || r.Format() != FormatPcap {
				t.Fatalf("%d packets, format %s", len(ps), r.Format())
			}
			p := ps[0]
			if !bytes.Equal(p.Data, frame) || p.Frame != 1 || p.Link != c.link || !p.Timestamp.Equal(c.ts) {
				t.Errorf("packet %+v, want link %v time %v", p, c.link, c.ts)
			}
		})
	}
}

// ngFile builds pcapng files block by block, independently of pcapgo's
// writer (which writes every interface in nanoseconds).
type ngFile struct{ b bytes.Buffer }

func (n *ngFile) block(typ uint32, body []byte) {
	le := binary.LittleEndian
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	size := uint32(12 + len(body))
	binary.Write(&n.b, le, typ)
	binary.Write(&n.b, le, size)
	n.b.Write(body)
	binary.Write(&n.b, le, size)
}

func (n *ngFile) section() {
	shb := make([]byte, 16)
	binary.LittleEndian.PutUint32(shb, 0x1a2b3c4d)
	binary.LittleEndian.PutUint16(shb[4:], 1)
	binary.LittleEndian.PutUint64(shb[8:], ^uint64(0))
	n.block(0x0a0d0d0a, shb)
}

// iface adds an Interface Description Block with an if_tsresol option
// (10^-tsresol seconds).
func (n *ngFile) iface(link uint16, tsresol uint8) {
	le := binary.LittleEndian
	idb := make([]byte, 8)
	le.PutUint16(idb, link)
	le.PutUint32(idb[4:], 65535)
	opt := []byte{9, 0, 1, 0, tsresol, 0, 0, 0, 0, 0, 0, 0}
	n.block(1, append(idb, opt...))
}

// packet adds an Enhanced Packet Block with a timestamp in units.
func (n *ngFile) packet(iface uint32, units uint64, data []byte) {
	le := binary.LittleEndian
	epb := make([]byte, 20)
	le.PutUint32(epb, iface)
	le.PutUint32(epb[4:], uint32(units>>32))
	le.PutUint32(epb[8:], uint32(units))
	le.PutUint32(epb[12:], uint32(len(data)))
	le.PutUint32(epb[16:], uint32(len(data)))
	n.block(6, append(epb, data...))
}

func TestPcapngInterfacesAndGzip(t *testing.T) {
	var n ngFile
	n.section()
	n.iface(1, 9)   // Ethernet, nanoseconds
	n.iface(101, 3) // raw IP, milliseconds
	n.packet(0, uint64(t0.UnixNano()), frame)
	n.packet(1, uint64(t0.UnixMilli()), frame[:5])
	// A second section restarts interface numbering.
	n.section()
	n.iface(113, 6) // Linux SLL, microseconds
	n.packet(0, uint64(t0.UnixMicro()), frame)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(n.b.Bytes())
	zw.Close()
	for name, data := range map[string][]byte{"pcapng": n.b.Bytes(), "pcapng.gz": gz.Bytes()} {
		t.Run(name, func(t *testing.T) {
			r, err := NewReader(name, bytes.NewReader(data), nil)
			if err != nil {
				t.Fatal(err)
			}
			ps := readAll(t, r)
			if len(ps) != 3 || r.Format() != FormatPcapng || r.Gzipped() != (name == "pcapng.gz") {
				t.Fatalf("%d packets, format %s", len(ps), r.Format())
			}
			if ps[0].Link != packet.LinkEthernet || ps[1].Link != packet.LinkRaw || ps[2].Link != packet.LinkLinuxSLL || ps[2].Frame != 3 {
				t.Errorf("links %v %v %v", ps[0].Link, ps[1].Link, ps[2].Link)
			}
			if !ps[0].Timestamp.Equal(t0) || !ps[1].Timestamp.Equal(t0.Truncate(time.Millisecond)) || !ps[2].Timestamp.Equal(t0.Truncate(time.Microsecond)) {
				t.Errorf("times %v %v %v: per-interface resolution not applied", ps[0].Timestamp, ps[1].Timestamp, ps[2].Timestamp)
			}
			if got := r.LinkTypes(); len(got) != 3 {
				t.Errorf("link types %v", got)
			}
		})
	}
}

func TestPcapngSimplePacketBlock(t *testing.T) {
	r, err := NewReader("spb", bytes.NewReader(simplePacketBlock(frame)), nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := readAll(t, r)
	if len(ps) != 1 || !bytes.Equal(ps[0].Data, frame) || ps[0].Link != packet.LinkEthernet {
		t.Fatalf("packets %+v", ps)
	}
}

func TestDamagedInputs(t *testing.T) {
	var good bytes.Buffer
	w := pcapgo.NewWriter(&good)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	for i := 0; i < 3; i++ {
		w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(frame), Length: len(frame)}, frame)
	}
	data := good.Bytes()
	// Cut inside the third record: two packets, then a truncation error
	// that says where.
	cut := data[:24+2*(16+len(frame))+10]
	r, err := NewReader("cut.pcap", bytes.NewReader(cut), nil)
	if err != nil {
		t.Fatal(err)
	}
	var p Packet
	n := 0
	for err = r.Next(&p); err == nil; err = r.Next(&p) {
		n++
	}
	var ie *InputError
	if n != 2 || !errors.As(err, &ie) || ie.Reason != ReasonTruncated || ie.Packets != 2 || ie.Offset != int64(len(cut)) || ie.Fatal() {
		t.Fatalf("n=%d err=%v", n, err)
	}
	// An absurd record length is damage, not a reason to allocate.
	bad := append([]byte(nil), data...)
	binary.LittleEndian.PutUint32(bad[24+8:], 0xfffffff0)
	r, _ = NewReader("bad.pcap", bytes.NewReader(bad), nil)
	err = r.Next(&p)
	if !errors.As(err, &ie) || ie.Reason != ReasonDamaged {
		t.Fatalf("absurd length: %v", err)
	}
	for name, in := range map[string][]byte{"empty": nil, "short": {1, 2}, "html": []byte("<html><body>")} {
		_, err := NewReader(name, bytes.NewReader(in), nil)
		if !errors.As(err, &ie) || !ie.Fatal() {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzReader(f *testing.F) {
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(frame), Length: len(frame)}, frame)
	f.Add(b.Bytes())
	f.Add(simplePacketBlock(frame))
	f.Add(bigEndianPcap(true, 1, t0, frame))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader("fuzz", bytes.NewReader(data), nil)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		var p Packet
		for i := 0; i < 10000; i++ {
			if err := r.Next(&p); err != nil {
				var ie *InputError
				if !errors.Is(err, io.EOF) && !errors.As(err, &ie) {
					t.Fatalf("error of type %T: %v", err, err)
				}
				return
			}
		}
	})
}

// simplePacketBlock builds a pcapng file with one interface and one Simple
// Packet Block, which carries no timestamp.
func simplePacketBlock(data []byte) []byte {
	var n ngFile
	n.section()
	n.iface(1, 6)
	spb := make([]byte, 4)
	binary.LittleEndian.PutUint32(spb, uint32(len(data)))
	n.block(3, append(spb, data...))
	return n.b.Bytes()
}
