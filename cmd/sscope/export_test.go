package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate/report"
)

func exportSession(t *testing.T, file, id, out string) {
	t.Helper()
	_, stderr, code := sscope(t, "export", file, "--session", id, "-w", out)
	if code != 0 {
		t.Fatalf("export %s %s: exit %d: %s", file, id, code, stderr)
	}
}

// Every TLS session of T1 exports to exactly the frames Wireshark's
// display filter for it selects between the session's first and last
// frame (the last ACK after both FINs is not the session's), and as many
// as the session counted.
func TestExportTLSSessionIsItsConnection(t *testing.T) {
	const file = "samples/scenarios/T1.pcapng"
	all := captureFrames(t, file)
	rep := offlineReport(t, file)
	_, haveTshark := exec.LookPath("tshark")
	for _, s := range rep.Sessions {
		out := filepath.Join(t.TempDir(), s.ID+".pcap")
		exportSession(t, file, s.ID, out)
		got := captureFrames(t, out)
		if len(got) != s.Packets {
			t.Errorf("%s: %d frames exported, the session counted %d", s.ID, len(got), s.Packets)
		}
		if haveTshark != nil {
			continue
		}
		filter := s.Filter + " && frame.number>=" + strconv.FormatUint(s.FirstFrame, 10) + " && frame.number<=" + strconv.FormatUint(s.LastFrame, 10)
		nums, err := exec.Command("tshark", "-r", file, "-Y", filter, "-T", "fields", "-e", "frame.number").Output()
		if err != nil {
			t.Fatalf("tshark -Y %q: %v", filter, err)
		}
		fields := strings.Fields(string(nums))
		if len(fields) != len(got) {
			t.Errorf("%s: tshark's filter %q selects %d frames, export wrote %d", s.ID, filter, len(fields), len(got))
			continue
		}
		for i, f := range fields {
			n, _ := strconv.Atoi(f)
			if !bytes.Equal(all[n-1].Data, got[i].Data) || !all[n-1].Timestamp.Equal(got[i].Timestamp) {
				t.Errorf("%s: exported frame %d is not frame %d of %s", s.ID, i+1, n, file)
			}
		}
	}
	if haveTshark != nil {
		t.Skip("tshark not installed: frames checked against the session's packet count only")
	}
}

// A RADIUS session exports its own packets; analyzed alone they give the
// same verdict.
func TestExportRADIUSSessionAnalyzesTheSame(t *testing.T) {
	for _, c := range []struct {
		file, id string
		frames   int
	}{
		{"samples/scenarios/P3.pcapng", "eap-2", 20},
		// A fragmented Access-Challenge: both fragments come along, the
		// session counts the reassembled datagram once.
		{"samples/lab/captures/P1-ipfrag.pcapng", "eap-1", 17},
	} {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			rep := offlineReport(t, c.file)
			var orig *report.Session
			for _, s := range rep.Sessions {
				if s.ID == c.id {
					orig = s
				}
			}
			if orig == nil {
				t.Fatalf("no %s in %s", c.id, c.file)
			}
			out := filepath.Join(t.TempDir(), "one.pcapng")
			exportSession(t, c.file, c.id, out)
			if n := len(captureFrames(t, out)); n != c.frames {
				t.Errorf("%d frames exported, want %d", n, c.frames)
			}
			alone := offlineReport(t, out)
			if len(alone.Sessions) != 1 {
				t.Fatalf("%d sessions in the export, want 1", len(alone.Sessions))
			}
			s := alone.Sessions[0]
			if s.Kind != orig.Kind || s.Outcome != orig.Outcome || s.Packets != orig.Packets || s.EAP.Method != orig.EAP.Method ||
				len(s.Handshakes) != len(orig.Handshakes) || s.Handshakes[0].Kind != orig.Handshakes[0].Kind ||
				s.Handshakes[0].ServerSessionID != orig.Handshakes[0].ServerSessionID {
				a, _ := json.Marshal(s)
				b, _ := json.Marshal(orig)
				t.Errorf("exported session differs:\n%s\n%s", a, b)
			}
		})
	}
}

func TestExportFormats(t *testing.T) {
	const file = "samples/scenarios/P3.pcapng"
	dir := t.TempDir()
	magic := func(path string) uint32 {
		b, err := os.ReadFile(path)
		if err != nil || len(b) < 4 {
			t.Fatalf("%s: %v", path, err)
		}
		return binary.LittleEndian.Uint32(b)
	}
	exportSession(t, file, "eap-1", filepath.Join(dir, "a.pcap"))
	exportSession(t, file, "eap-1", filepath.Join(dir, "a.PCAPNG"))
	if m := magic(filepath.Join(dir, "a.pcap")); m != 0xa1b23c4d {
		t.Errorf(".pcap magic %#x, want nanosecond pcap", m)
	}
	if m := magic(filepath.Join(dir, "a.PCAPNG")); m != 0x0a0d0d0a {
		t.Errorf(".pcapng magic %#x", m)
	}
	// Both sessions in one file, and pcap on standard output.
	stdout, stderr, code := sscope(t, "export", file, "--session", "eap-1,eap-2", "-w", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	p := filepath.Join(dir, "stdout.pcap")
	if err := os.WriteFile(p, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := len(captureFrames(t, p)); n != 40 {
		t.Errorf("%d frames for both sessions, want 40", n)
	}
}

func TestExportErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "samples/scenarios/P3.pcapng", "--session", "eap-9", "-w", "x.pcap"}, "no such session in samples/scenarios/P3.pcapng (sessions: eap-1, eap-2)"},
		{[]string{"export", "samples/scenarios/P3.pcapng", "-w", "x.pcap"}, "needs --session"},
		{[]string{"export", "samples/scenarios/P3.pcapng", "--session", "eap-1"}, "needs -w"},
		{[]string{"export", "/nonexistent.pcap", "--session", "eap-1", "-w", "x.pcap"}, "no such file"},
		{[]string{"export", "samples/scenarios/P3.pcapng", "--session", "eap-1", "-w", "/nonexistent/dir/x.pcap"}, "-w /nonexistent/dir/x.pcap"},
	} {
		_, stderr, code := sscope(t, c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
}
