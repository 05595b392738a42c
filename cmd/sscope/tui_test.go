package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The terminal UI's end-to-end tests build the real binary and drive it in
// tmux as a user would (send-keys), asserting on what tmux shows
// (capture-pane). The views and keys themselves are tested on a simulated
// screen in package tui.

// sscopeBinary builds the command into the test's temporary directory
// (the build cache makes it quick).
func sscopeBinary(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sscope")
	if out, err := exec.Command("go", "build", "-o", path, "./cmd/sscope").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return path
}

// tmuxTerm is a tmux server of the test's own with one window.
type tmuxTerm struct {
	t      *testing.T
	socket string
}

// startTUI runs the command line in a new tmux window of w x h cells. The
// window stays after the program ends and shows its exit status.
func startTUI(t *testing.T, w, h int, env []string, args ...string) *tmuxTerm {
	t.Helper()
	return startTUIIn(t, nil, w, h, env, args...)
}

// startTUIIn is startTUI through a command prefix (e.g. "ip netns exec
// NAME").
func startTUIIn(t *testing.T, prefix []string, w, h int, env []string, args ...string) *tmuxTerm {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the terminal UI's end-to-end tests drive the binary in tmux (apt-get install tmux)")
	}
	bin := sscopeBinary(t)
	tm := &tmuxTerm{t: t, socket: fmt.Sprintf("sscope-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cfg := t.TempDir()
	// The user's key file must not change the keys under test.
	env = append([]string{"XDG_CONFIG_HOME=" + cfg, "HOME=" + cfg, "SSCOPE_KEYS=", "TERM=tmux-256color"}, env...)
	quoted := make([]string, 0, len(args)+1)
	for _, a := range append([]string{bin}, args...) {
		quoted = append(quoted, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
	}
	script := fmt.Sprintf("%s env %s %s; echo \"[exited $?]\"; sleep 600", strings.Join(prefix, " "), strings.Join(env, " "), strings.Join(quoted, " "))
	cmd := exec.Command("tmux", "-L", tm.socket, "-f", "/dev/null", "new-session", "-d", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "-s", "ui", script)
	cmd.Dir, _ = os.Getwd()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	sockPath, _ := exec.Command("tmux", "-L", tm.socket, "display-message", "-p", "#{socket_path}").Output()
	t.Cleanup(func() {
		exec.Command("tmux", "-L", tm.socket, "kill-server").Run()
		if p := strings.TrimSpace(string(sockPath)); p != "" {
			os.Remove(p)
		}
	})
	return tm
}

func (tm *tmuxTerm) screen(escapes bool) string {
	tm.t.Helper()
	args := []string{"-L", tm.socket, "capture-pane", "-p", "-t", "ui"}
	if escapes {
		args = append(args, "-e")
	}
	out, err := exec.Command("tmux", args...).Output()
	if err != nil {
		tm.t.Fatalf("tmux capture-pane: %v", err)
	}
	return string(out)
}

// waitFor waits until the window shows every string and returns it.
func (tm *tmuxTerm) waitFor(want ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := tm.screen(false)
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the window never showed %q:\n%s", missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// send types keys as tmux names them ("j", "Enter", "Escape", "/").
func (tm *tmuxTerm) send(keys ...string) {
	tm.t.Helper()
	args := append([]string{"-L", tm.socket, "send-keys", "-t", "ui"}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		tm.t.Fatalf("tmux send-keys %v: %v\n%s", keys, err, out)
	}
}

// sendText types text literally.
func (tm *tmuxTerm) sendText(text string) {
	tm.t.Helper()
	tm.send("-l", text)
}

func lineWith(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func TestTUIEndToEnd(t *testing.T) {
	tm := startTUI(t, 100, 30, nil, "tui", "samples/scenarios/P3.pcapng", "samples/lab/captures/T1.pcapng")

	// The session list shows the refused resumptions with their finding.
	s := tm.waitFor("Sessions (7)", "10.77.0.2  (5 sessions)", "7 sessions")
	for _, id := range []string{"eap-2", "tls-2", "tls-3", "tls-4"} {
		l := lineWith(s, " "+id+" ")
		if !strings.HasPrefix(strings.TrimLeft(l, "║│"), "W1 ") || !strings.Contains(l, "refused tls-resumption-refused") {
			t.Errorf("%s row does not show the refused resumption: %q", id, l)
		}
	}
	if l := lineWith(s, "  eap-1 PEAP"); !strings.Contains(l, "success full") || strings.Contains(l, "refused") {
		t.Errorf("eap-1 row: %q", l)
	}

	// Drilling into a session shows its timeline; again, the event.
	tm.send("j", "Enter")
	s = tm.waitFor("Timeline eap-2 (", "Event #21", "Frame 21")
	if l := lineWith(s, "Timeline eap-2"); !strings.Contains(l, "╔") {
		t.Errorf("the timeline does not have the focus: %q", l)
	}
	for _, want := range []string{"#21 → radius Access-Request", "#22 ← radius Access-Challenge", "#23 → tls    ClientHello"} {
		if lineWith(s, want) == "" {
			t.Errorf("timeline misses %q:\n%s", want, s)
		}
	}
	tm.send("j", "j", "j", "j", "j", "j")
	tm.waitFor("Event #23", "ClientHello", "W tls-resumption-refused")
	tm.send("Escape")
	tm.waitFor("Session eap-2")

	// "/" filters the sessions; n steps through the matches.
	tm.send("/")
	tm.sendText("tls-ids")
	tm.send("Enter")
	s = tm.waitFor("Sessions (1 of 7)", "filter: tls-ids")
	if lineWith(s, "  eap-1 PEAP") != "" || lineWith(s, " tls-5 TLS") == "" {
		t.Errorf("filter tls-ids:\n%s", s)
	}
	tm.send("Escape")
	tm.waitFor("Sessions (7)", "filter cleared")
	tm.send("/")
	tm.sendText("refused")
	tm.send("Enter")
	tm.waitFor("Sessions (5 of 7)", "5 sessions pass the filter")
	// tls-5, selected by the previous filter, is still selected: n wraps
	// to the first match.
	tm.send("n")
	tm.waitFor("match 1 of 5", "Timeline eap-2")
	tm.send("n")
	tm.waitFor("match 2 of 5", "Timeline tls-2")

	// "?" lists the keys.
	tm.send("?")
	s = tm.waitFor("Help", "Everywhere", "next pane", "Sessions", "Down, j")
	tm.send("Escape")
	tm.waitFor("Sessions (5 of 7)")

	// The findings view.
	tm.send("f")
	tm.waitFor("Findings (6)", "tls-ids-never-accepted")
	tm.send("Escape")
	tm.waitFor("Sessions (5 of 7)")

	// q quits, with status 0 and the terminal restored.
	tm.send("q")
	s = tm.waitFor("[exited 0]")
	if strings.Contains(s, "Sessions (") {
		t.Errorf("the UI is still on screen after q:\n%s", s)
	}
}

// :export and :json write the selected session; the export is the
// session's frames.
func TestTUIExportCommand(t *testing.T) {
	dir := t.TempDir()
	tm := startTUI(t, 100, 30, nil, "tui", "samples/lab/captures/T1.pcapng")
	tm.waitFor("Sessions (5)")
	tm.send("G")
	tm.waitFor("Timeline tls-5")
	out := filepath.Join(dir, "tls-5.pcapng")
	tm.send(":")
	tm.sendText("export " + out)
	tm.send("Enter")
	tm.waitFor("wrote 22 frames of tls-5")
	got := captureFrames(t, out)
	want := captureFrames(t, "samples/lab/captures/T1.pcapng")[89:111] // frames 90-111
	if len(got) != len(want) {
		t.Fatalf("%d frames exported, want %d", len(got), len(want))
	}
	for i := range got {
		if string(got[i].Data) != string(want[i].Data) || !got[i].Timestamp.Equal(want[i].Timestamp) {
			t.Fatalf("exported frame %d differs from frame %d of the capture", i+1, want[i].Frame)
		}
	}
	tm.send(":")
	tm.sendText("export " + out)
	tm.send("Enter")
	tm.waitFor("exists: use :export! ")
	tm.send("q")
	tm.waitFor("[exited 0]")
}

// NO_COLOR leaves every colour out; without it, warnings have colour.
func TestTUINoColor(t *testing.T) {
	colour := regexp.MustCompile(`\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;[0-9;]+|4[0-7]|10[0-7]|48;[0-9;]+)m`)
	for _, noColor := range []bool{true, false} {
		var env []string
		if noColor {
			env = []string{"NO_COLOR=1"}
		}
		tm := startTUI(t, 100, 30, env, "tui", "samples/scenarios/P3.pcapng")
		tm.waitFor("Sessions (2)", "tls-resumption-refused")
		s := tm.screen(true)
		if got := colour.FindString(s); noColor && got != "" {
			t.Errorf("NO_COLOR: colour sequence %q on screen", got)
		} else if !noColor && got == "" {
			t.Error("no colour without NO_COLOR")
		}
		tm.send("q")
		tm.waitFor("[exited 0]")
	}
}

// The UI fits 80x24, the size of an SSH session's terminal.
func TestTUISmallTerminal(t *testing.T) {
	tm := startTUI(t, 80, 24, nil, "tui", "samples/scenarios/P3.pcapng", "samples/lab/captures/T1.pcapng")
	s := tm.waitFor("Sessions (7)", "Timeline eap-1", "Session eap-1", "? help")
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) != 24 || !strings.Contains(lines[23], "7 sessions") {
		t.Errorf("status line %q of %d lines", lines[len(lines)-1], len(lines))
	}
	if l := lineWith(s, " eap-2 PEAP"); !strings.Contains(l, "refused tls-resu") {
		t.Errorf("eap-2 row at 80 columns: %q", l)
	}
	tm.send("q")
	tm.waitFor("[exited 0]")
}

func TestTUIUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"tui"}, "give one or more capture files"},
		{[]string{"tui", "-"}, "standard input cannot be browsed"},
		{[]string{"tui", "no/such/file.pcap"}, "no/such/file.pcap: no such file or directory"},
		{[]string{"tui", "samples"}, "is a directory"},
		{[]string{"tui", "-w", "x.pcapng", "samples/scenarios/P3.pcapng"}, "--write goes with -i IFACE"},
		{[]string{"tui", "-i", "lo", "samples/scenarios/P3.pcapng"}, "not both"},
		{[]string{"tui", "-i", "lo", "-f", "udp port"}, "bad capture filter"},
		{[]string{"tui", "-i", "no-such-if0"}, `interface "no-such-if0" does not exist`},
		{[]string{"tui", "--radius-ports", "x", "samples/scenarios/P3.pcapng"}, "not a port number"},
	}
	for _, c := range cases {
		_, stderr, code := sscope(t, c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, exitUsage, c.want)
		}
	}
	t.Setenv("SSCOPE_KEYS", filepath.Join(t.TempDir(), "keys.json"))
	os.WriteFile(os.Getenv("SSCOPE_KEYS"), []byte(`{"down": ["k"]}`), 0o644)
	_, stderr, code := sscope(t, "tui", "samples/scenarios/P3.pcapng")
	if code != exitUsage || !strings.Contains(stderr, `key k is bound to both "up" and "down"`) {
		t.Errorf("bad key file: exit %d, %q", code, stderr)
	}
}

// A live capture streams sessions into the UI as they close; the selection
// stays put while more arrive; frames are read back from the -w file;
// :stop ends the capture and keeps the sessions.
func TestTUILive(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the terminal UI's end-to-end tests drive the binary in tmux (apt-get install tmux)")
	}
	ns := newTestNetns(t)
	fd := ns.rawSocket(t, "rp0")
	pcap := filepath.Join(t.TempDir(), "live.pcapng")
	tm := startTUIIn(t, []string{"ip", "netns", "exec", ns.name}, 100, 30, nil, "tui", "-i", "cap0", "-w", pcap)
	tm.waitFor("● live cap0", "reading… sessions appear here as they complete", "drops: kernel 0, ours 0")
	time.Sleep(200 * time.Millisecond) // the ring is armed when the screen is up; be sure

	replay(t, fd, captureFrames(t, "samples/lab/captures/T1.pcapng"))
	// T1's connections end with FIN: each session arrives as it closes.
	s := tm.waitFor("Sessions (5)", "10.77.0.2  (5 sessions)", "112 packets")
	if l := lineWith(s, " tls-2 TLS"); !strings.Contains(l, "refused tls-resumption-refused") {
		t.Errorf("tls-2 row: %q", l)
	}
	tm.send("j")
	tm.waitFor("Timeline tls-2 (")

	// The frame behind an event, read back from the -w file.
	tm.send("Enter")
	tm.waitFor("Event #24", "frame        24 of live cap0", "event        SYN", "length       74 bytes captured", "0000  56 4d f3 5d e5 f8 da 3b")

	// More traffic: P3's PEAP authentications. RADIUS conversations are
	// closed when the capture stops (or goes idle): :stop ends it, the
	// sessions arrive, cross-session findings with them, and the
	// selection stays on tls-2.
	replay(t, fd, captureFrames(t, "samples/scenarios/P3.pcapng"))
	tm.waitFor("152 packets")
	tm.send(":")
	tm.sendText("stop")
	tm.send("Enter")
	s = tm.waitFor("live cap0 (stopped)", "Sessions (7)", "02:00:5e:20:00:51  (2 sessions)")
	if !strings.Contains(s, "Timeline tls-2 (") || !strings.Contains(s, "Event #24") {
		t.Errorf("the selection moved when sessions arrived:\n%s", s)
	}
	tm.send("f")
	tm.waitFor("Findings (6)", "tls-ids-never-accepted")
	tm.send("q")
	s = tm.waitFor("[exited 0]")
	if !strings.Contains(s, "cap0: 152 packets analyzed, 0 dropped by the kernel, 0 by sscope") {
		t.Errorf("no capture summary after quitting:\n%s", s)
	}
	if got := captureFrames(t, pcap); len(got) != 152 {
		t.Errorf("-w file holds %d frames, want 152", len(got))
	}
}
