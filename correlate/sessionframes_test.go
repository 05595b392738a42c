package correlate

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
)

// writeFrames writes frames [from, to] (1-based) of a capture to a pcap.
func writeFramesOf(t *testing.T, src string, from, to uint64) string {
	t.Helper()
	r, err := source.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	path := filepath.Join(t.TempDir(), "cut.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriterNanos(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	var p source.Packet
	for r.Next(&p) == nil {
		if p.Frame >= from && p.Frame <= to {
			ci := gopacket.CaptureInfo{Timestamp: p.Timestamp, CaptureLength: len(p.Data), Length: p.Length}
			if err := w.WritePacket(ci, p.Data); err != nil {
				t.Fatal(err)
			}
		}
	}
	return path
}

func analyzeOne(t *testing.T, path string) *report.Report {
	t.Helper()
	rep, errs := AnalyzeFiles([]string{path}, Options{KeepSessions: true, TLSDetect: true}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return rep
}

// A session whose first datagram was fragmented: the fragment before the
// session's first frame is exported with it.
func TestSessionFramesTakeEarlierFragments(t *testing.T) {
	// Frames 4-17 of P1-ipfrag start with the two fragments of an
	// Access-Challenge (its Access-Request is cut away).
	path := writeFramesOf(t, "../samples/lab/captures/P1-ipfrag.pcapng", 4, 17)
	rep := analyzeOne(t, path)
	if len(rep.Sessions) != 1 {
		t.Fatalf("%d sessions", len(rep.Sessions))
	}
	s := rep.Sessions[0]
	if s.FirstFrame != 2 {
		t.Fatalf("the session starts at frame %d; the test expects the completing fragment, 2", s.FirstFrame)
	}
	frames, exact, err := SessionFrames(path, s)
	if err != nil || !exact {
		t.Fatal(err, exact)
	}
	want := make([]uint64, 14)
	for i := range want {
		want[i] = uint64(i + 1)
	}
	if !reflect.DeepEqual(frames, want) {
		t.Errorf("frames %v, want %v", frames, want)
	}
}

// When a RADIUS session's timeline was cut at its cap, its address pair
// chooses the frames, and the answer says it is not exact.
func TestSessionFramesFallBackToTheAddressPair(t *testing.T) {
	path := "../samples/scenarios/P3.pcapng"
	rep := analyzeOne(t, path)
	s := rep.Sessions[1]
	exactFrames, exact, err := SessionFrames(path, s)
	if err != nil || !exact || len(exactFrames) != s.Packets {
		t.Fatalf("%v %v %v", exactFrames, exact, err)
	}
	cut := *s
	cut.Timeline = append(append([]report.Event{}, s.Timeline[:3]...), report.Event{Layer: "sscope", Event: "timeline truncated", Input: s.Input, Frame: s.Timeline[2].Frame})
	frames, exact, err := SessionFrames(path, &cut)
	if err != nil || exact {
		t.Fatalf("exact %v, err %v", exact, err)
	}
	if !reflect.DeepEqual(frames, exactFrames) {
		t.Errorf("by address pair %v, by timeline %v", frames, exactFrames)
	}
}
