package ipfrag_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/dissect/packet"
)

type capturedFrame struct {
	Number uint64
	Link   packet.LinkType
	Data   []byte
	TS     time.Time
}

func readPcapng(t testing.TB, path string) []capturedFrame {
	t.Helper()
	fs, err := readCapture(path)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// readCapture reads the records of a pcap or pcapng file, gzip'd or not,
// up to the first error.
func readCapture(path string) ([]capturedFrame, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(raw) >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	type reader interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var rd reader
	linkOf := func(ci gopacket.CaptureInfo) (packet.LinkType, error) { return 0, nil }
	if len(raw) >= 4 && bytes.Equal(raw[:4], []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		r, err := pcapgo.NewNgReader(bufio.NewReader(bytes.NewReader(raw)), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, err
		}
		rd = r
		linkOf = func(ci gopacket.CaptureInfo) (packet.LinkType, error) {
			iface, err := r.Interface(ci.InterfaceIndex)
			return packet.LinkType(iface.LinkType), err
		}
	} else {
		r, err := pcapgo.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		rd = r
		linkOf = func(gopacket.CaptureInfo) (packet.LinkType, error) { return packet.LinkType(r.LinkType()), nil }
	}
	var out []capturedFrame
	for n := uint64(1); ; n++ {
		data, ci, err := rd.ReadPacketData()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		link, err := linkOf(ci)
		if err != nil {
			return out, err
		}
		out = append(out, capturedFrame{n, link, data, ci.Timestamp})
	}
}

// readOracle reads a tshark -T fields -E header=y file into rows by frame
// number.
func readOracle(t testing.TB, path string) (map[string]int, map[uint64][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	col := map[string]int{}
	for i, name := range strings.Split(lines[0], "\t") {
		col[name] = i
	}
	rows := map[uint64][]string{}
	for _, line := range lines[1:] {
		cells := strings.Split(line, "\t")
		n, err := strconv.ParseUint(cells[0], 10, 64)
		if err != nil {
			t.Fatalf("%s: %q", path, cells[0])
		}
		rows[n] = cells
	}
	return col, rows
}

func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func ip(s string) net.IP { return net.IP(netip.MustParseAddr(s).AsSlice()) }

// udpDatagram builds a UDP datagram (header + payload, checksum over the
// pseudo header of the given addresses) with gopacket and returns it.
func udpDatagram(t testing.TB, v6 bool, payload []byte) []byte {
	u := &layers.UDP{SrcPort: 1812, DstPort: 50123}
	var b []byte
	if v6 {
		ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: ip("2001:db8::1"), DstIP: ip("2001:db8::2")}
		u.SetNetworkLayerForChecksum(ip6)
		b = serialize(t, ip6, u, gopacket.Payload(payload))[40:]
	} else {
		ip4 := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: ip("10.0.0.1"), DstIP: ip("10.0.0.2")}
		u.SetNetworkLayerForChecksum(ip4)
		b = serialize(t, ip4, u, gopacket.Payload(payload))[20:]
	}
	return b
}

// fragmentFrame builds an Ethernet frame carrying bytes [off, off+len(data))
// of a datagram with gopacket (IPv4 header flags and offset, or an IPv6
// Fragment header).
func fragmentFrame(t testing.TB, v6 bool, id uint32, off int, data []byte, more bool) []byte {
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}}
	if v6 {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolIPv6Fragment, SrcIP: ip("2001:db8::1"), DstIP: ip("2001:db8::2")}
		fr := &layers.IPv6Fragment{NextHeader: layers.IPProtocolUDP, FragmentOffset: uint16(off / 8), MoreFragments: more, Identification: id}
		return serialize(t, eth, ip6, fr, gopacket.Payload(data))
	}
	eth.EthernetType = layers.EthernetTypeIPv4
	ip4 := &layers.IPv4{Version: 4, TTL: 64, Id: uint16(id), FragOffset: uint16(off / 8), Protocol: layers.IPProtocolUDP,
		SrcIP: ip("10.0.0.1"), DstIP: ip("10.0.0.2")}
	if more {
		ip4.Flags = layers.IPv4MoreFragments
	}
	return serialize(t, eth, ip4, gopacket.Payload(data))
}

// piece is one fragment: its frame bytes and where it sits.
type piece struct {
	frame     []byte
	off, size int
}

// split cuts a datagram into fragments of size bytes (a multiple of 8).
func split(t testing.TB, v6 bool, id uint32, dgram []byte, size int) []piece {
	var ps []piece
	for off := 0; off < len(dgram); off += size {
		end := min(off+size, len(dgram))
		ps = append(ps, piece{fragmentFrame(t, v6, id, off, dgram[off:end], end < len(dgram)), off, end - off})
	}
	return ps
}

// decode decodes a fragment frame into a fresh Frame.
func decode(t testing.TB, link packet.LinkType, b []byte) *packet.Frame {
	t.Helper()
	var f packet.Frame
	if err := packet.NewDecoder().Decode(link, b, &f); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return &f
}

// udpChecksumOK verifies the UDP checksum of a reassembled datagram with
// the pseudo header of f's addresses (RFC 768, RFC 8200 8.1).
func udpChecksumOK(f *packet.Frame, dgram []byte) bool {
	var s uint32
	add := func(b []byte) {
		for len(b) >= 2 {
			s += uint32(binary.BigEndian.Uint16(b))
			b = b[2:]
		}
		if len(b) == 1 {
			s += uint32(b[0]) << 8
		}
	}
	add(f.Src.AsSlice())
	add(f.Dst.AsSlice())
	s += 17 + uint32(len(dgram))
	add(dgram)
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return s == 0xffff
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
