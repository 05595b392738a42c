package eap

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// corpusDir is the shared public capture corpus, beside the checkout.
func corpusDir(t testing.TB) string {
	t.Helper()
	for _, d := range []string{"../../../shared/corpus", "../../../../shared/corpus", "/work/shared/corpus"} {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	t.Skip("shared capture corpus not found")
	return ""
}

// frame is one captured frame, numbered from 1 as tshark does.
type frame struct {
	num int
	pkt gopacket.Packet
}

// readFrames decodes every frame of a pcap or pcapng file.
func readFrames(t testing.TB, path string) []frame {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var (
		src interface {
			ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
		}
		link layers.LinkType
	)
	if len(raw) >= 4 && binary.LittleEndian.Uint32(raw) == 0x0a0d0d0a {
		r, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			t.Fatal(err)
		}
		src, link = r, r.LinkType()
	} else {
		r, err := pcapgo.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		src, link = r, r.LinkType()
	}
	var out []frame
	for n := 1; ; n++ {
		data, _, err := src.ReadPacketData()
		if err != nil {
			break
		}
		out = append(out, frame{num: n, pkt: gopacket.NewPacket(data, link, gopacket.Default)})
	}
	return out
}

// udpPayload returns the UDP ports and payload of a frame.
func udpPayload(f frame) (src, dst uint16, payload []byte, ok bool) {
	u, _ := f.pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
	if u == nil {
		return 0, 0, nil, false
	}
	return uint16(u.SrcPort), uint16(u.DstPort), u.Payload, true
}

// radiusEAP joins the EAP-Message (79) attributes of a RADIUS packet. A
// deliberately tiny walker: header 20 bytes, then type/length/value.
func radiusEAP(b []byte) (code uint8, eap []byte, ok bool) {
	if len(b) < 20 {
		return 0, nil, false
	}
	code = b[0]
	n := int(binary.BigEndian.Uint16(b[2:4]))
	if n > len(b) || n < 20 {
		n = len(b)
	}
	attrs := b[20:n]
	for len(attrs) >= 2 {
		l := int(attrs[1])
		if l < 2 || l > len(attrs) {
			break
		}
		if attrs[0] == 79 {
			eap = append(eap, attrs[2:l]...)
		}
		attrs = attrs[l:]
	}
	return code, eap, len(eap) > 0
}

// panaEAP returns the EAP-Payload AVP (code 2) of a PANA message (RFC 5191).
func panaEAP(b []byte) ([]byte, bool) {
	if len(b) < 16 {
		return nil, false
	}
	avps := b[16:]
	for len(avps) >= 8 {
		code := binary.BigEndian.Uint16(avps[0:2])
		flags := binary.BigEndian.Uint16(avps[2:4])
		l := int(binary.BigEndian.Uint16(avps[4:6]))
		h := 8
		if flags&0x8000 != 0 {
			h = 12
		}
		if h+l > len(avps) {
			return nil, false
		}
		if code == 2 {
			return avps[h : h+l], true
		}
		step := (h + l + 3) &^ 3
		if step > len(avps) {
			break
		}
		avps = avps[step:]
	}
	return nil, false
}

// oracle is a tshark field table: frame number → field → value.
type oracle map[int]map[string]string

// loadOracle reads a corpus *.tshark.tsv.
func loadOracle(t testing.TB, path string) oracle {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parseTSV(t, string(raw))
}

func parseTSV(t testing.TB, s string) oracle {
	t.Helper()
	o := oracle{}
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var cols []string
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if cols == nil {
			cols = fields
			continue
		}
		n, err := strconv.Atoi(fields[0])
		if err != nil {
			continue
		}
		row := map[string]string{}
		for i, c := range cols {
			if i < len(fields) {
				row[c] = fields[i]
			}
		}
		o[n] = row
	}
	return o
}

// tshark runs the tshark oracle on a capture and returns the fields asked
// for; the test is skipped when tshark is not installed.
func tshark(t testing.TB, pcap string, decodeAs string, fields ...string) oracle {
	t.Helper()
	bin, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: the oracle comparison needs it")
	}
	args := []string{"-n", "-r", pcap, "-T", "fields", "-E", "header=y", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"}
	if decodeAs != "" {
		args = append(args, "-d", decodeAs)
	}
	args = append(args, "-e", "frame.number")
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %s: %v", filepath.Base(pcap), err)
	}
	return parseTSV(t, string(out))
}
