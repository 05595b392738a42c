package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/live"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/report/reporttest"
	"github.com/sessionscope/sscope/samples/expect"
)

// verdict is what a report concludes, without anything that depends on
// when packets were seen (times, response times, durations).
type verdict struct {
	Sessions map[string]sessionVerdict
	Clients  []report.Client
	Findings []findingVerdict
}

type sessionVerdict struct {
	Kind, Outcome, Client, Server, ClientKey string
	FirstFrame, LastFrame                    uint64
	Packets                                  int
	Method, Identity, Final                  string
	Requests, Retransmissions                int
	Handshakes                               []handshakeVerdict
	Findings                                 []findingVerdict
}

type handshakeVerdict struct {
	Version, Kind, Resumption, Refused, Cipher, ClientCertificate, Alert string
	Offered                                                              report.Offered
	ClientSessionID, ServerSessionID                                     string
	FirstFrame, LastFrame                                                uint64
}

type findingVerdict struct {
	ID, Severity, Session string
	Frames                []uint64
}

func str(p *string) string {
	if p == nil {
		return "<null>"
	}
	return *p
}

func verdictOf(r *report.Report) verdict {
	v := verdict{Sessions: map[string]sessionVerdict{}, Clients: r.Clients}
	for _, f := range r.Findings {
		v.Findings = append(v.Findings, findingVerdict{f.ID, f.Severity, f.Session, f.Frames})
	}
	for _, s := range r.Sessions {
		sv := sessionVerdict{Kind: s.Kind, Outcome: s.Outcome, ClientKey: s.ClientKey,
			Client:     fmt.Sprintf("%s:%d", s.Client.IP, s.Client.Port),
			Server:     fmt.Sprintf("%s:%d", s.Server.IP, s.Server.Port),
			FirstFrame: s.FirstFrame, LastFrame: s.LastFrame, Packets: s.Packets}
		if e := s.EAP; e != nil {
			sv.Method, sv.Identity, sv.Final = e.Method, str(e.OuterIdentity), str(e.RADIUS.FinalCode)
			sv.Requests, sv.Retransmissions = e.RADIUS.Requests, e.RADIUS.Retransmissions
		}
		for _, h := range s.Handshakes {
			hv := handshakeVerdict{Version: h.Version, Kind: h.Kind, Resumption: str(h.Resumption), Cipher: str(h.CipherSuite),
				ClientCertificate: h.ClientCertificate, Offered: h.Offered, ClientSessionID: h.ClientSessionID,
				ServerSessionID: h.ServerSessionID, FirstFrame: h.FirstFrame, LastFrame: h.LastFrame, Refused: "<null>"}
			if h.ResumptionRefused != nil {
				hv.Refused = fmt.Sprint(*h.ResumptionRefused)
			}
			if h.Alert != nil {
				hv.Alert = h.Alert.Level + " " + h.Alert.Description
			}
			sv.Handshakes = append(sv.Handshakes, hv)
		}
		for _, f := range s.Findings {
			sv.Findings = append(sv.Findings, findingVerdict{f.ID, f.Severity, f.Session, f.Frames})
		}
		v.Sessions[s.ID] = sv
	}
	return v
}

// fromNDJSON rebuilds a report from session lines and the summary line.
func fromNDJSON(t *testing.T, out string) *report.Report {
	t.Helper()
	var rep *report.Report
	var sessions []*report.Session
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var rec struct {
			Record string `json:"record"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		switch rec.Record {
		case "session":
			reporttest.Session(t, sc.Bytes())
			var s report.Session
			if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
				t.Fatal(err)
			}
			sessions = append(sessions, &s)
		case "summary":
			rep = new(report.Report)
			if err := json.Unmarshal(sc.Bytes(), rep); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("record %q", rec.Record)
		}
	}
	if rep == nil {
		t.Fatalf("no summary line in:\n%s", out)
	}
	// Findings made across sessions at the end are in the summary only;
	// a JSON report lists them in their sessions too.
	byID := map[string]*report.Session{}
	for _, s := range sessions {
		byID[s.ID] = s
	}
	for _, f := range rep.Findings {
		s := byID[f.Session]
		if s == nil {
			continue
		}
		found := false
		for _, g := range s.Findings {
			found = found || reflect.DeepEqual(f, g)
		}
		if !found {
			s.Findings = append(s.Findings, f)
		}
	}
	rep.Sessions = sessions
	return rep
}

func offlineReport(t *testing.T, path string) *report.Report {
	t.Helper()
	out, stderr, code := sscope(t, "analyze", "--json", path)
	if code != 0 {
		t.Fatalf("analyze %s: exit %d: %s", path, code, stderr)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func sameVerdicts(t *testing.T, live, offline *report.Report) {
	t.Helper()
	lv, ov := verdictOf(live), verdictOf(offline)
	if len(ov.Sessions) == 0 {
		t.Fatal("the offline report has no sessions")
	}
	for id, o := range ov.Sessions {
		l, ok := lv.Sessions[id]
		if !ok {
			t.Errorf("session %s (%s) missing from the live report", id, o.Kind)
			continue
		}
		if !reflect.DeepEqual(l, o) {
			lj, _ := json.MarshalIndent(l, "", " ")
			oj, _ := json.MarshalIndent(o, "", " ")
			t.Errorf("session %s differs:\nlive    %s\noffline %s", id, lj, oj)
		}
	}
	for id := range lv.Sessions {
		if _, ok := ov.Sessions[id]; !ok {
			t.Errorf("live report has an extra session %s", id)
		}
	}
	if !reflect.DeepEqual(lv.Clients, ov.Clients) {
		t.Errorf("clients differ:\nlive    %+v\noffline %+v", lv.Clients, ov.Clients)
	}
	if !reflect.DeepEqual(lv.Findings, ov.Findings) {
		t.Errorf("findings differ:\nlive    %+v\noffline %+v", lv.Findings, ov.Findings)
	}
}

// TestLiveMatchesOffline replays sample captures onto a veth, captures
// them with `sscope live`, stops it with SIGINT and compares its verdicts
// with `sscope analyze` of the same file — and, where the sample has
// them, with the verdicts its endpoints recorded.
func TestLiveMatchesOffline(t *testing.T) {
	ns := newTestNetns(t)
	fd := ns.rawSocket(t, "rp0")
	for _, c := range []struct {
		path, expected string
	}{
		{"samples/scenarios/P3.pcapng", "samples/scenarios/P3.expected.json"},
		{"samples/scenarios/T1.pcapng", "samples/scenarios/T1.expected.json"},
		{"samples/lab/captures/P2.pcapng", ""},
	} {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			frames := captureFrames(t, c.path)
			offline := offlineReport(t, c.path)
			pcap := filepath.Join(t.TempDir(), "live.pcapng")
			lp := startLive(t, ns, "live", "-i", "cap0", "--format", "ndjson", "-w", pcap)
			replay(t, fd, frames)
			time.Sleep(300 * time.Millisecond) // the ring hands over its last block
			before := strings.Count(lp.Stdout(), `"record":"session"`)
			if code := lp.stop(syscall.SIGINT); code != 0 {
				t.Fatalf("exit %d after SIGINT:\n%s", code, lp.Stderr())
			}
			liveRep := fromNDJSON(t, lp.Stdout())
			sameVerdicts(t, liveRep, offline)

			in := liveRep.Inputs[0]
			if in.Format != "live" || in.Path != "cap0" || in.Packets != uint64(len(frames)) || in.Capture == nil {
				t.Fatalf("input %+v", in)
			}
			if cp := in.Capture; cp.Stopped != "interrupted" || cp.KernelDropped != 0 || cp.QueueDropped != 0 ||
				cp.KernelReceived != uint64(len(frames)) || len(cp.Files) != 1 || cp.Files[0] != pcap {
				t.Errorf("capture %+v", cp)
			}
			full, _ := json.Marshal(liveRep)
			reporttest.Report(t, full)
			if !strings.Contains(lp.Stderr(), fmt.Sprintf("%d packets captured", len(frames))) {
				t.Errorf("stderr does not count the packets:\n%s", lp.Stderr())
			}

			// The -w file holds exactly the frames sent.
			got := captureFrames(t, pcap)
			if len(got) != len(frames) {
				t.Fatalf("-w file has %d frames, want %d", len(got), len(frames))
			}
			for i := range frames {
				if !bytes.Equal(got[i].Data, frames[i].Data) {
					t.Fatalf("-w frame %d differs from the frame sent", i+1)
				}
			}

			// T1's connections close with FIN: their sessions are out
			// before the capture stops.
			if filepath.Base(c.path) == "T1.pcapng" && before == 0 {
				t.Errorf("no session line before SIGINT: sessions are not streamed as they close")
			}

			if c.expected != "" {
				want, err := expect.Load(c.expected)
				if err != nil {
					t.Fatal(err)
				}
				for _, ch := range expect.Compare(want, liveRep) {
					if ch.Status == expect.Fail {
						t.Errorf("known truth: %s %s: want %s, live says %s", ch.Item, ch.Field, ch.Want, ch.Got)
					}
				}
			}
		})
	}
}

// TestLiveSignalFlushesEverything stops the capture in the middle of an
// authentication: the open session is closed and reported, the report is
// complete, and the pcapng holds every frame and is readable by tshark.
func TestLiveSignalFlushesEverything(t *testing.T) {
	ns := newTestNetns(t)
	fd := ns.rawSocket(t, "rp0")
	frames := captureFrames(t, "samples/scenarios/P3.pcapng")[:9]
	dir := t.TempDir()
	pcap := filepath.Join(dir, "cut.pcapng")
	out := filepath.Join(dir, "report.json")
	lp := startLive(t, ns, "live", "-i", "cap0", "--json", "-o", out, "-w", pcap)
	replay(t, fd, frames)
	// Stop at once: the last frames are still in a ring block the kernel
	// has not handed over (it does after 20 ms); they must be drained.
	time.Sleep(2 * time.Millisecond)
	if code := lp.stop(syscall.SIGTERM); code != 0 {
		t.Fatalf("exit %d after SIGTERM:\n%s", code, lp.Stderr())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	reporttest.Report(t, data)
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Sessions) != 1 {
		t.Fatalf("%d sessions, want the one open at SIGTERM", len(rep.Sessions))
	}
	s := rep.Sessions[0]
	if s.Kind != report.KindRADIUSEAP || s.Outcome != report.OutcomeIncomplete || s.Packets != 9 || s.LastFrame != 9 {
		t.Errorf("session %s %s %s, %d packets, last frame %d", s.ID, s.Kind, s.Outcome, s.Packets, s.LastFrame)
	}
	if len(s.Handshakes) != 1 || s.Handshakes[0].Kind != "incomplete" {
		t.Errorf("handshakes %+v", s.Handshakes)
	}
	if c := rep.Inputs[0].Capture; c == nil || c.Stopped != "interrupted" || c.KernelReceived != 9 {
		t.Errorf("capture %+v", c)
	}

	got := captureFrames(t, pcap)
	if len(got) != len(frames) {
		t.Fatalf("-w file has %d frames, want %d", len(got), len(frames))
	}
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed: the -w file was read with sscope's reader only")
	}
	tout, err := exec.Command("tshark", "-r", pcap, "-T", "fields", "-e", "radius.code").Output()
	if err != nil {
		t.Fatalf("tshark cannot read the -w file: %v\n%s", err, tout)
	}
	if codes := strings.Fields(string(tout)); len(codes) != 9 || codes[0] != "1" || codes[1] != "11" {
		t.Errorf("tshark reads RADIUS codes %v", codes)
	}
}

// TestLiveTextStreams prints each session as it closes and a summary with
// the capture's counters.
func TestLiveTextStreams(t *testing.T) {
	ns := newTestNetns(t)
	fd := ns.rawSocket(t, "rp0")
	frames := captureFrames(t, "samples/lab/captures/P2.pcapng")
	lp := startLive(t, ns, "live", "-i", "cap0", "-f", "udp port 1812")
	replay(t, fd, frames)
	time.Sleep(300 * time.Millisecond)
	if code := lp.stop(syscall.SIGINT); code != 0 {
		t.Fatalf("exit %d:\n%s", code, lp.Stderr())
	}
	out := lp.Stdout()
	for _, want := range []string{
		"SESSIONS (as they close)", "eap-1  radius-eap  SUCCESS", "eap-2  radius-eap  SUCCESS",
		"[0] cap0 (live, Ethernet): 28 packets", "capture filter: udp port 1812",
		"live on cap0 (stopped: interrupted); kernel received 28; no packets lost",
		"sessions 2 (2 radius-eap) for 1 client", "[tls-resumption-works]", "CLIENTS",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "eap-2  radius-eap") > strings.Index(out, "sessions 2 (2 radius-eap)") {
		t.Error("the summary comes before the sessions")
	}
}

// A filter that keeps nothing of the replay: the report is empty but
// complete, and --count/--duration stop the capture on their own.
func TestLiveStopsOnDuration(t *testing.T) {
	ns := newTestNetns(t)
	lp := startLive(t, ns, "live", "-i", "cap0", "--duration", "300ms", "--json")
	select {
	case <-lp.done:
	case <-time.After(10 * time.Second):
		t.Fatal("--duration did not stop the capture")
	}
	if code := lp.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, lp.Stderr())
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(lp.Stdout()), &rep); err != nil {
		t.Fatal(err)
	}
	if c := rep.Inputs[0].Capture; c == nil || c.Stopped != "duration" || len(rep.Sessions) != 0 {
		t.Errorf("capture %+v, %d sessions", c, len(rep.Sessions))
	}
}

func TestLiveErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"live", "-i", "sscope-nosuch0"}, []string{`interface "sscope-nosuch0" does not exist`, "interfaces here: ", "lo"}},
		{[]string{"live", "-i", "lo", "-f", "udp prt 1812"}, []string{"bad capture filter at column 5", `did you mean "port"`, "\n  udp prt 1812\n      ^^^"}},
		{[]string{"live", "-i", "lo", "-f", "tcp port 443 and portrange 1-5"}, []string{"column 18", "portrange", "not supported"}},
		{[]string{"live"}, []string{"needs an interface"}},
		{[]string{"live", "-i", "lo", "--rotate-size", "10MB"}, []string{"need -w"}},
		{[]string{"live", "-i", "lo", "-w", "x.pcapng", "--rotate-size", "ten"}, []string{"--rotate-size", "100MB"}},
		{[]string{"live", "-i", "lo", "--format", "xml"}, []string{"--format"}},
	} {
		_, stderr, code := sscope(t, c.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", c.args, code, exitUsage, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr %q lacks %q", c.args, stderr, w)
			}
		}
	}
}

// Without CAP_NET_RAW the error says which capability is missing.
func TestLiveNeedsCapNetRaw(t *testing.T) {
	if os.Geteuid() != 0 {
		_, stderr, code := sscope(t, "live", "-i", "lo")
		if code != exitUsage || !strings.Contains(stderr, "CAP_NET_RAW") {
			t.Errorf("exit %d, stderr %q: want the missing capability named", code, stderr)
		}
		return
	}
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Skip("setpriv (util-linux) not installed: cannot drop root's capabilities for this test")
	}
	// The helper runs as nobody, so it needs a copy of the test binary it
	// can execute and a working directory it can read.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "sscope-nopriv-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "sscope.test")
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
		bin, "-test.run=^TestLiveHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperArgs+"=live\x1f-i\x1flo")
	cmd.Dir = filepath.Join(wd, "cmd", "sscope")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if code != exitUsage || !strings.Contains(stderr.String(), "CAP_NET_RAW") {
		t.Errorf("as nobody: exit %d (%v), stderr %q: want exit 2 naming CAP_NET_RAW", code, err, stderr.String())
	}
}

func TestLiveSummaryWarnsAboutLostPackets(t *testing.T) {
	var b bytes.Buffer
	liveSummary(&b, "eth1", live.RunStats{Captured: 100, Delivered: 97, QueueDropped: 3, Stopped: "interrupted"}, live.KernelStats{Received: 102, Dropped: 2}, 2)
	got := b.String()
	for _, want := range []string{"eth1: 100 packets captured, 97 analyzed (stopped: interrupted), 2 files written",
		"warning: 5 packets lost: 2 dropped by the kernel", "3 by sscope"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary %q lacks %q", got, want)
		}
	}
	b.Reset()
	liveSummary(&b, "eth1", live.RunStats{Captured: 4, Delivered: 4, Stopped: "count"}, live.KernelStats{Received: 4}, 0)
	if strings.Contains(b.String(), "warning") {
		t.Errorf("warning without losses: %q", b.String())
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "100": 100, "100MB": 100e6, "1GiB": 1 << 30, "64k": 64000, "2 MiB": 2 << 20, "7B": 7} {
		got, err := parseSize("x", in)
		if err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"ten", "-5MB", "1.5GB", "99999999999GiB"} {
		if _, err := parseSize("x", in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}
