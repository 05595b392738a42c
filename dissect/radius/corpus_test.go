package radius

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/ip4defrag"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sessionscope/sscope/dissect"
)

// corpusRADIUSFiles are the captures of the public corpus that carry RADIUS
// (MANIFEST.tsv, protocols column).
var corpusRADIUSFiles = []string{
	"tcpdump/RADIUS.pcap",
	"tcpdump/RADIUS-RFC3162.pcap",
	"tcpdump/RADIUS-RFC4675.pcap",
	"tcpdump/RADIUS-RFC5176.pcap",
	"tcpdump/RADIUS-RFC5176-2.pcap",
	"tcpdump/RADIUS-port1700.pcap",
	"tcpdump/RADIUS-RFC5580.pcap",
	"tcpdump/radius_rfc5447.pcap",
	"tcpdump/radius_rfc5447_invalid_length.pcap",
	"zeek/Traces/radius/radius.pcap",
	"zeek/Traces/radius/radius_localhost.pcap",
	"arkime/radius.pcap",
	"nDPI/pcap/fuzz-2020-02-16-11740.pcap",
}

// corpusDir returns the shared corpus directory (SSCOPE_CORPUS, or
// shared/corpus beside the repository), or "" when it is not there.
func corpusDir() string {
	if d := os.Getenv("SSCOPE_CORPUS"); d != "" {
		return d
	}
	d, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus"))
	if err != nil {
		return ""
	}
	if _, err := os.Stat(filepath.Join(d, "MANIFEST.tsv")); err != nil {
		return ""
	}
	return d
}

func needCorpus(t testing.TB) string {
	t.Helper()
	d := corpusDir()
	if d == "" {
		t.Skip("public corpus not found (shared/corpus beside the repository, or SSCOPE_CORPUS)")
	}
	return d
}

// corpusPacket is the UDP payload of one frame that tshark read as RADIUS.
type corpusPacket struct {
	File    string
	Frame   int // 1-based, as in Wireshark
	Code    int // tshark's radius.code
	Payload []byte
}

func (c corpusPacket) String() string { return c.File + "#" + strconv.Itoa(c.Frame) }

// readCapture returns the UDP payload of every frame of a pcap or pcapng
// file, by frame number. IPv4 fragments are reassembled; the payload is
// filed under the frame that completes the datagram, as Wireshark does.
func readCapture(t testing.TB, path string) map[int][]byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type source interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var src source
	var link layers.LinkType
	if bytes.HasPrefix(raw, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		r, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		src, link = r, r.LinkType()
	} else {
		r, err := pcapgo.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		src, link = r, r.LinkType()
	}
	defrag := ip4defrag.NewIPv4Defragmenter()
	out := map[int][]byte{}
	for frame := 1; ; frame++ {
		data, _, err := src.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s frame %d: %v", path, frame, err)
		}
		pkt := gopacket.NewPacket(data, link, gopacket.Default)
		if ip4, ok := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok {
			whole, err := defrag.DefragIPv4(ip4)
			if err != nil || whole == nil || whole.Protocol != layers.IPProtocolUDP {
				continue
			}
			if whole != ip4 {
				pkt = gopacket.NewPacket(whole.Payload, layers.LayerTypeUDP, gopacket.Default)
			}
		}
		if udp, ok := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP); ok {
			out[frame] = udp.Payload
		}
	}
	return out
}

// readOracleCodes returns tshark's radius.code by frame from the stored
// tshark oracle file of a capture.
func readOracleCodes(t testing.TB, path string) map[int]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	col := -1
	out := map[int]int{}
	for sc.Scan() {
		cells := strings.Split(sc.Text(), "\t")
		if col < 0 {
			for i, c := range cells {
				if c == "radius.code" {
					col = i
				}
			}
			if col < 0 {
				t.Fatalf("%s: no radius.code column", path)
			}
			continue
		}
		if col >= len(cells) || cells[col] == "" {
			continue
		}
		frame, err1 := strconv.Atoi(cells[0])
		code, err2 := strconv.Atoi(cells[col])
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad row %q", path, sc.Text())
		}
		out[frame] = code
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// corpusRADIUSPackets returns every frame of the corpus RADIUS captures
// that tshark decoded as RADIUS.
func corpusRADIUSPackets(t testing.TB) []corpusPacket {
	t.Helper()
	dir := needCorpus(t)
	var out []corpusPacket
	for _, file := range corpusRADIUSFiles {
		payloads := readCapture(t, filepath.Join(dir, file))
		codes := readOracleCodes(t, filepath.Join(dir, file+".tshark.tsv"))
		if len(codes) == 0 {
			t.Fatalf("%s: the oracle lists no RADIUS frame", file)
		}
		frames := make([]int, 0, len(codes))
		for frame := range codes {
			frames = append(frames, frame)
		}
		slices.Sort(frames)
		for _, frame := range frames {
			code := codes[frame]
			p, ok := payloads[frame]
			if !ok {
				t.Fatalf("%s frame %d: tshark saw RADIUS, the test reader found no UDP payload", file, frame)
			}
			out = append(out, corpusPacket{File: file, Frame: frame, Code: code, Payload: p})
		}
	}
	return out
}

// corpusMalformed are the captures made to break decoders (MANIFEST.tsv
// notes "malformed/crafted").
var corpusMalformed = map[string]bool{
	"tcpdump/radius_rfc5447_invalid_length.pcap": true,
	"nDPI/pcap/fuzz-2020-02-16-11740.pcap":       true,
}

// Every RADIUS frame of the corpus decodes with tshark's code and its own
// identifier; only the crafted captures produce errors, and those are
// typed, located inside the packet, and leave the attributes before the
// bad one decoded.
func TestCorpusDecode(t *testing.T) {
	pkts := corpusRADIUSPackets(t)
	if len(pkts) < 320 {
		t.Fatalf("only %d RADIUS frames in the corpus", len(pkts))
	}
	errs := 0
	var p Packet
	for _, c := range pkts {
		err := p.DecodeFromBytes(c.Payload)
		if int(p.Code) != c.Code {
			t.Errorf("%v: code %d, tshark %d", c, p.Code, c.Code)
		}
		if len(c.Payload) > 1 && p.Identifier != c.Payload[1] {
			t.Errorf("%v: identifier %d, byte 1 is %d", c, p.Identifier, c.Payload[1])
		}
		if err == nil {
			if len(p.Raw) != int(p.Length) {
				t.Errorf("%v: Raw %d bytes, Length %d", c, len(p.Raw), p.Length)
			}
			continue
		}
		errs++
		if !corpusMalformed[c.File] {
			t.Errorf("%v: %v", c, err)
			continue
		}
		var de *dissect.Error
		if !errors.As(err, &de) || (de.Kind != dissect.Truncated && de.Kind != dissect.Malformed) {
			t.Errorf("%v: error %v is not a truncated/malformed *dissect.Error", c, err)
			continue
		}
		if de.Offset < 0 || de.Offset > len(c.Payload) {
			t.Errorf("%v: error offset %d outside the %d-byte packet", c, de.Offset, len(c.Payload))
		}
		for _, a := range p.Attributes {
			if a.Offset >= de.Offset && de.Offset > 2 {
				t.Errorf("%v: attribute at %d kept after the error at %d", c, a.Offset, de.Offset)
			}
		}
	}
	if errs == 0 {
		t.Error("the crafted captures decoded without a single error")
	}
	t.Logf("%d RADIUS frames, %d with decode errors", len(pkts), errs)
}

// The crafted tcpdump capture claims 57 bytes in a 56-byte datagram.
func TestCorpusInvalidLength(t *testing.T) {
	dir := needCorpus(t)
	payloads := readCapture(t, filepath.Join(dir, "tcpdump/radius_rfc5447_invalid_length.pcap"))
	p, err := Parse(payloads[1])
	if dissect.KindOf(err) != dissect.Truncated || p.Length != 57 || len(p.Raw) != 56 {
		t.Fatalf("err %v, Length %d, Raw %d bytes; want truncated, 57, 56", err, p.Length, len(p.Raw))
	}
	if u, _ := p.Text(AttrUserName); u != "luser" {
		t.Errorf("User-Name before the cut = %q", u)
	}
	if !strings.Contains(err.Error(), "57") || !strings.Contains(err.Error(), "56") {
		t.Errorf("error %q does not give both lengths", err)
	}
}
