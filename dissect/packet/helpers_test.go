package packet_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/dissect/packet"
)

const corpusDir = "/work/shared/corpus"

// serialize builds bytes with gopacket's serializers, fixing lengths and
// computing checksums.
func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		t.Fatalf("serialize: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func mac6(s string) [6]byte { return [6]byte(mac(s)) }

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func ip(s string) net.IP { return net.IP(addr(s).AsSlice()) }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.Join(strings.Fields(s), "")
	b := make([]byte, len(s)/2)
	for i := range b {
		v, err := strconv.ParseUint(s[2*i:2*i+2], 16, 8)
		if err != nil {
			t.Fatalf("bad hex %q: %v", s, err)
		}
		b[i] = byte(v)
	}
	return b
}

// frameDiff lists every field of got that differs from want. It walks the
// struct by reflection so a field added to Frame is compared too; byte
// slices compare by content (nil equals empty).
func frameDiff(want, got *packet.Frame) []string {
	var diffs []string
	diffValue("Frame", reflect.ValueOf(*want), reflect.ValueOf(*got), &diffs)
	return diffs
}

func diffValue(path string, w, g reflect.Value, diffs *[]string) {
	switch w.Kind() {
	case reflect.Struct:
		if w.Type() == reflect.TypeOf(netip.Addr{}) {
			if w.Interface() != g.Interface() {
				*diffs = append(*diffs, fmt.Sprintf("%s: want %v, got %v", path, w.Interface(), g.Interface()))
			}
			return
		}
		for i := 0; i < w.NumField(); i++ {
			diffValue(path+"."+w.Type().Field(i).Name, w.Field(i), g.Field(i), diffs)
		}
	case reflect.Slice:
		wb, gb := w.Bytes(), g.Bytes()
		if !bytes.Equal(wb, gb) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %d bytes % x, got %d bytes % x", path, len(wb), clip(wb), len(gb), clip(gb)))
		}
	default:
		if !reflect.DeepEqual(w.Interface(), g.Interface()) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %v, got %v", path, w.Interface(), g.Interface()))
		}
	}
}

func clip(b []byte) []byte {
	if len(b) > 48 {
		return b[:48]
	}
	return b
}

// corpusCapture is one capture listed in the corpus manifest.
type corpusCapture struct {
	File   string // path relative to the corpus
	Oracle string // tshark oracle, relative to the corpus
}

func corpusCaptures(t testing.TB) []corpusCapture {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("MANIFEST.tsv: %v", err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	var caps []corpusCapture
	for _, row := range rows[1:] {
		caps = append(caps, corpusCapture{File: row[col["file"]], Oracle: row[col["tshark_oracle"]]})
	}
	if len(caps) == 0 {
		t.Fatal("MANIFEST.tsv lists no captures")
	}
	return caps
}

// capturedFrame is one record of a capture file.
type capturedFrame struct {
	Number int // 1-based, as tshark counts
	Link   packet.LinkType
	Data   []byte
	CI     gopacket.CaptureInfo
}

// readCapture reads every record of a pcap or pcapng file (gzip'd or not)
// it can; err reports where reading stopped early (damaged files).
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
	var frames []capturedFrame
	if len(raw) >= 4 && bytes.Equal(raw[:4], []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		r, err := pcapgo.NewNgReader(bufio.NewReader(bytes.NewReader(raw)), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, err
		}
		for n := 1; ; n++ {
			data, ci, err := r.ReadPacketData()
			if err == io.EOF {
				return frames, nil
			}
			if err != nil {
				return frames, err
			}
			iface, err := r.Interface(ci.InterfaceIndex)
			if err != nil {
				return frames, err
			}
			frames = append(frames, capturedFrame{n, packet.LinkType(iface.LinkType), data, ci})
		}
	}
	r, err := pcapgo.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	for n := 1; ; n++ {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			return frames, nil
		}
		if err != nil {
			return frames, err
		}
		frames = append(frames, capturedFrame{n, packet.LinkType(r.LinkType()), data, ci})
	}
}

// oracle is a tshark oracle file: rows by frame number, cells by field.
type oracle struct {
	col  map[string]int
	rows map[int][]string
}

func readOracle(path string) (*oracle, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	o := &oracle{col: map[string]int{}, rows: map[int][]string{}}
	for i, name := range strings.Split(lines[0], "\t") {
		o.col[name] = i
	}
	for _, line := range lines[1:] {
		cells := strings.Split(line, "\t")
		n, err := strconv.Atoi(cells[0])
		if err != nil {
			return nil, fmt.Errorf("%s: bad frame number %q", path, cells[0])
		}
		o.rows[n] = cells
	}
	return o, nil
}

// ports returns the values of a field in frame n as integers (tshark joins
// repeated fields with commas: tunnels, ICMP-quoted headers).
func (o *oracle) ints(n int, field string) []int {
	row, ok := o.rows[n]
	if !ok {
		return nil
	}
	i, ok := o.col[field]
	if !ok || i >= len(row) || row[i] == "" {
		return nil
	}
	var out []int
	for _, s := range strings.Split(row[i], ",") {
		v, err := strconv.Atoi(s)
		if err != nil {
			return nil
		}
		out = append(out, v)
	}
	return out
}

func netIP(b []byte) net.IP { return net.IP(b) }
