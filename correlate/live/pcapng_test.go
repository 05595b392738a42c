package live

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

func samplePackets(t *testing.T, path string) []source.Packet {
	t.Helper()
	r, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []source.Packet
	var p source.Packet
	for r.Next(&p) == nil {
		q := p
		q.Data = append([]byte(nil), p.Data...)
		out = append(out, q)
	}
	return out
}

func readBack(t *testing.T, paths ...string) []source.Packet {
	t.Helper()
	var out []source.Packet
	for _, path := range paths {
		out = append(out, samplePackets(t, path)...)
	}
	return out
}

func samePackets(t *testing.T, got, want []source.Packet) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d packets read back, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i].Data, want[i].Data) || !got[i].Timestamp.Equal(want[i].Timestamp) || got[i].Length != want[i].Length || got[i].Link != want[i].Link {
			t.Fatalf("packet %d differs: %v %d %v, want %v %d %v", i, got[i].Timestamp, got[i].Length, got[i].Link, want[i].Timestamp, want[i].Length, want[i].Link)
		}
	}
}

func TestPcapngWriterKeepsEveryPacketAndTheStats(t *testing.T) {
	pkts := samplePackets(t, "../../samples/scenarios/T1.pcapng")
	path := filepath.Join(t.TempDir(), "live.pcapng")
	w, err := NewPcapngWriter(WriterOptions{Path: path, Interface: "veth1", Filter: "udp port 1812", Link: packet.LinkEthernet, Application: "sscope test"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range pkts {
		if err := w.WritePacket(&pkts[i]); err != nil {
			t.Fatal(err)
		}
	}
	start := pkts[0].Timestamp
	end := pkts[len(pkts)-1].Timestamp
	if err := w.Close(&pcapgo.NgInterfaceStatistics{LastUpdate: end, StartTime: start, EndTime: end, PacketsReceived: 120, PacketsDropped: 5}); err != nil {
		t.Fatal(err)
	}
	if got := w.Files(); len(got) != 1 || got[0] != path {
		t.Fatalf("files %v", got)
	}
	samePackets(t, readBack(t, path), pkts)

	// The interface block and the statistics block, as pcapgo reads them.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stats []pcapgo.NgInterfaceStatistics
	r, err := pcapgo.NewNgReader(f, pcapgo.NgReaderOptions{StatisticsCallback: func(_ int, s pcapgo.NgInterfaceStatistics) { stats = append(stats, s) }})
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, _, err := r.ReadPacketData(); err != nil {
			break
		}
	}
	intf, err := r.Interface(0)
	if err != nil || intf.Name != "veth1" || intf.Filter != "udp port 1812" {
		t.Errorf("interface block %+v, %v", intf, err)
	}
	if len(stats) != 1 || stats[0].PacketsReceived != 120 || stats[0].PacketsDropped != 5 || !stats[0].StartTime.Equal(start) {
		t.Errorf("statistics %+v", stats)
	}

	// tshark reads the same.
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed: the pcapng is checked with pcapgo only")
	}
	out, err := exec.Command("tshark", "-r", path, "-T", "fields", "-e", "frame.number").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	if n := len(strings.Fields(string(out))); n != len(pkts) {
		t.Errorf("tshark reads %d frames, want %d", n, len(pkts))
	}
	out, err = exec.Command("capinfos", "-M", path).CombinedOutput()
	if err == nil && !strings.Contains(string(out), "veth1") {
		t.Errorf("capinfos does not show the interface:\n%s", out)
	}
}

var rotatedName = regexp.MustCompile(`^ring_(\d{5})_(\d{14})\.pcapng$`)

func TestPcapngWriterRotatesBySizeAndTime(t *testing.T) {
	pkts := samplePackets(t, "../../samples/scenarios/T1.pcapng")
	for _, c := range []struct {
		name string
		opt  WriterOptions
		min  int
	}{
		{"size", WriterOptions{RotateSize: 8000}, 4},
		{"time", WriterOptions{RotateTime: 5 * time.Second}, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			o := c.opt
			o.Path = filepath.Join(dir, "ring.pcapng")
			o.Link = packet.LinkEthernet
			w, err := NewPcapngWriter(o)
			if err != nil {
				t.Fatal(err)
			}
			for i := range pkts {
				if err := w.WritePacket(&pkts[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(nil); err != nil {
				t.Fatal(err)
			}
			files := w.Files()
			if len(files) < c.min {
				t.Fatalf("%d files: %v", len(files), files)
			}
			for i, f := range files {
				m := rotatedName.FindStringSubmatch(filepath.Base(f))
				if m == nil || m[1] != fmt.Sprintf("%05d", i+1) {
					t.Errorf("file name %s", f)
				}
				st, err := os.Stat(f)
				if err != nil {
					t.Fatal(err)
				}
				if o.RotateSize > 0 && st.Size() > o.RotateSize {
					t.Errorf("%s holds %d bytes, more than %d", f, st.Size(), o.RotateSize)
				}
				if o.RotateTime > 0 {
					ps := readBack(t, f)
					if span := ps[len(ps)-1].Timestamp.Sub(ps[0].Timestamp); span >= o.RotateTime {
						t.Errorf("%s spans %v", f, span)
					}
				}
			}
			samePackets(t, readBack(t, files...), pkts)
		})
	}
}

func TestPcapngWriterReportsAPathItCannotCreate(t *testing.T) {
	_, err := NewPcapngWriter(WriterOptions{Path: filepath.Join(t.TempDir(), "missing", "x.pcapng"), Link: packet.LinkEthernet})
	if err == nil {
		t.Fatal("no error for a missing directory")
	}
}
