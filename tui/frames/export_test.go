package frames

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
	"github.com/sessionscope/sscope/rules"
)

func analyzeFile(t *testing.T, path string) *report.Report {
	t.Helper()
	rep, errs := correlate.AnalyzeFiles([]string{path}, correlate.Options{Judge: rules.New(), TLSDetect: true, KeepSessions: true}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return rep
}

func tsharkFrames(t *testing.T, path, filter string) []uint64 {
	t.Helper()
	out, err := exec.Command(tsharkPath, "-r", path, "-Y", filter, "-T", "fields", "-e", "frame.number").Output()
	if err != nil {
		t.Fatalf("tshark -Y %q: %v", filter, err)
	}
	var ns []uint64
	for _, f := range strings.Fields(string(out)) {
		n, _ := strconv.ParseUint(f, 10, 64)
		ns = append(ns, n)
	}
	return ns
}

// A session's frames (chosen by correlate.SessionFrames, read back through
// the store) are those tshark selects with the session's own display
// filter, within the session's extent, plus the other fragments of IP
// datagrams the session uses (which tshark shows reassembled in the last
// fragment).
func TestSessionFramesMatchDisplayFilter(t *testing.T) {
	if _, err := exec.LookPath(tsharkPath); err != nil {
		t.Skip("tshark (the oracle) is not installed at " + tsharkPath)
	}
	for _, rel := range []string{"samples/scenarios/P3.pcapng", "samples/lab/captures/T1.pcapng", "samples/lab/captures/P1-ipfrag.pcapng"} {
		path := repoFile(t, rel)
		rep := analyzeFile(t, path)
		frag := tsharkFields(t, path, "frame.number", "ip.id", "ip.flags.mf", "ip.frag_offset")
		st := NewStore([]string{path})
		for _, s := range rep.Sessions {
			t.Run(filepath.Base(rel)+"/"+s.ID, func(t *testing.T) {
				want := tsharkFrames(t, path, fmt.Sprintf("(%s) && frame.number>=%d && frame.number<=%d", s.Filter, s.FirstFrame, s.LastFrame))
				// Datagrams kept: add their fragments.
				ids := map[string]bool{}
				for _, n := range want {
					ids[frag[n-1][1]] = true
				}
				for _, row := range frag {
					n, _ := strconv.ParseUint(row[0], 10, 64)
					isFrag := row[2] == "1" || row[3] != "0" && row[3] != ""
					if isFrag && ids[row[1]] && n >= s.FirstFrame && n <= s.LastFrame && !slices.Contains(want, n) {
						want = append(want, n)
					}
				}
				slices.Sort(want)
				fs, exact, err := SessionFrames(st, s)
				if err != nil || !exact {
					t.Fatal(err)
				}
				var got []uint64
				for _, f := range fs {
					got = append(got, f.Number)
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("frames %v\ntshark %v (filter %s)", got, want, s.Filter)
				}
				if len(got) < s.Packets {
					t.Errorf("%d frames, the session counts %d packets", len(got), s.Packets)
				}
			})
		}
	}
}

// Written captures read back frame for frame, by our reader and by tshark.
func TestWriteFileRoundTrip(t *testing.T) {
	path := repoFile(t, "samples/lab/captures/T1.pcapng")
	rep := analyzeFile(t, path)
	st := NewStore([]string{path})
	fs, _, err := SessionFrames(st, rep.Sessions[1])
	if err != nil || len(fs) == 0 {
		t.Fatal(len(fs), err)
	}
	dir := t.TempDir()
	for _, name := range []string{"s.pcap", "s.pcapng"} {
		out := filepath.Join(dir, name)
		if err := WriteFile(out, fs, false); err != nil {
			t.Fatal(err)
		}
		r, err := source.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		if r.Format() != FormatFor(name) {
			t.Errorf("%s written as %s", name, r.Format())
		}
		var p source.Packet
		for i := 0; ; i++ {
			if err := r.Next(&p); err != nil {
				if i != len(fs) {
					t.Errorf("%s: %d frames read back, wrote %d (%v)", name, i, len(fs), err)
				}
				break
			}
			if i >= len(fs) || !bytes.Equal(p.Data, fs[i].Data) || !p.Timestamp.Equal(fs[i].Time) || p.Length != fs[i].Length || p.Link != fs[i].Link {
				t.Fatalf("%s: frame %d differs", name, i+1)
			}
		}
		r.Close()
		if _, err := exec.LookPath(tsharkPath); err == nil {
			n := tsharkFrames(t, out, "frame")
			if len(n) != len(fs) {
				t.Errorf("%s: tshark reads %d frames, wrote %d", name, len(n), len(fs))
			}
		}
		// No silent overwrite.
		if err := WriteFile(out, fs[:1], false); !errors.Is(err, ErrExists) {
			t.Errorf("second write: %v, want ErrExists", err)
		}
		if err := WriteFile(out, fs[:1], true); err != nil {
			t.Errorf("overwrite: %v", err)
		}
	}
	// Frames of two link types need pcapng.
	mixed := []Frame{fs[0], fs[1]}
	mixed[1].Link = packet.LinkRaw
	if err := WriteFile(filepath.Join(dir, "m.pcap"), mixed, false); err == nil || !strings.Contains(err.Error(), "pcapng") {
		t.Errorf("mixed link types in pcap: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "m.pcap")); err == nil {
		t.Error("a failed write left a file behind")
	}
	if err := WriteFile(filepath.Join(dir, "m.pcapng"), mixed, false); err != nil {
		t.Errorf("mixed link types in pcapng: %v", err)
	}
}
