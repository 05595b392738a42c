package tui

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/tui/frames"
	"github.com/sessionscope/sscope/tui/keymap"
)

// The session list groups sessions per client and shows kind, identity,
// outcome, verdict and the worst finding; the refused resumptions of P3
// and T1 are there.
func TestSessionList(t *testing.T) {
	h := start(t, sampleSource(t), 100, 30, Options{})
	h.waitFor("Sessions (7)", "10.77.0.2  (5 sessions)")
	for _, want := range []string{
		"02:00:5e:20:00:51  (2 sessions)",
		"   eap-1 PEAP alice@lab.… success full",
		"W1 eap-2 PEAP alice@lab.… success refused tls-resumption-refused",
		"   tls-1 TLS  server.lab… success full",
		"W2 tls-5 TLS  server.lab… success refused tls-resumption-refused",
	} {
		if l := h.line(want); l == "" {
			t.Errorf("no row %q:\n%s", want, h.text())
		}
	}
	// The first session is selected and its summary shown below.
	h.waitFor("Session eap-1", "Timeline eap-1 (", "P3.pcapng, T1.pcapng │ 152 packets │ 7 sessions")
	if st, ok := h.cellStyle("eap-1 PEAP"); !ok {
		t.Fatal("no eap-1 row")
	} else if _, _, attr := st.Decompose(); attr&tcell.AttrReverse == 0 {
		t.Errorf("selected row not in reverse video: %v", attr)
	}
}

// Enter drills into the timeline, again into the frame: the event's
// fields and the hex dump of the frame's bytes; Esc goes back.
func TestDrillIn(t *testing.T) {
	h := start(t, sampleSource(t), 100, 30, Options{})
	h.waitFor("Sessions (7)")
	h.keys("j") // eap-2
	h.waitFor("Timeline eap-2 (", "Session eap-2")
	h.key(tcell.KeyEnter)
	// The timeline has focus (double border) and the event panes show.
	h.waitFor("╔═", "Timeline eap-2", "Event #21", "Frame 21")
	if l := h.line("Timeline eap-2"); !strings.Contains(l, "╔") {
		t.Errorf("timeline not focused: %q", l)
	}
	// Down to the ClientHello of frame 23 (events 0..6).
	for i := 0; i < 6; i++ {
		h.keys("j")
	}
	h.waitFor("Event #23", "event        ClientHello", "tls-resumption-refused")
	// The hex pane shows the frame's bytes as the frames package lays
	// them out, read independently.
	r, err := source.Open(repoFile(t, "samples/scenarios/P3.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	var p source.Packet
	for i := 0; i < 23; i++ {
		if err := r.Next(&p); err != nil {
			t.Fatal(err)
		}
	}
	r.Close()
	dump := frames.HexDump(p.Data, 39) // the hex pane is 41 wide
	h.waitFor(dump[0], dump[1], dump[2])
	h.key(tcell.KeyEnter) // into the fields
	h.waitFor("║Event")
	// Scroll the fields to the frame's RADIUS attributes.
	h.key(tcell.KeyEnd)
	// The ClientHello record inside the EAP-Message (tshark reads the
	// same, see the frames package's tests).
	h.waitFor("EAP Response, id 234, length 123, type PEAP", "TLS record handshake, TLS 1.0, length 108")
	h.key(tcell.KeyEscape)
	h.key(tcell.KeyEscape)
	h.waitFor("Session eap-2")
	if l := h.line("Sessions (7)"); !strings.Contains(l, "╔") {
		t.Errorf("Esc twice did not return to the sessions: %q", l)
	}
}

// "/" filters as you type; Enter keeps the filter, n/N step through the
// matches, Esc in the sessions clears it; Esc in the bar restores.
func TestFilter(t *testing.T) {
	h := start(t, sampleSource(t), 100, 30, Options{})
	h.waitFor("Sessions (7)")
	h.keys("/tls-ids")
	h.waitFor("Sessions (1 of 7)", "/tls-ids")
	if h.line("eap-1") != "" || h.line("tls-5") == "" {
		t.Errorf("filter tls-ids:\n%s", h.text())
	}
	h.key(tcell.KeyEscape) // restores the previous (empty) filter
	h.waitFor("Sessions (7)")
	h.keys("/verdict:refused")
	h.key(tcell.KeyEnter)
	h.waitFor("Sessions (5 of 7)", "5/7 sessions │ filter: verdict:refused", "5 sessions pass the filter")
	if h.line("eap-1") != "" || h.line("tls-1 ") != "" {
		t.Errorf("full handshakes still listed:\n%s", h.text())
	}
	h.waitFor("Timeline eap-2")
	h.keys("n")
	h.waitFor("match 2 of 5", "Timeline tls-2")
	h.keys("N")
	h.waitFor("match 1 of 5", "Timeline eap-2")
	h.keys("N") // wraps
	h.waitFor("match 5 of 5", "Timeline tls-5")
	h.keys("/")
	h.key(tcell.KeyCtrlU) // tview: clear the line
	h.keys("mac:02-00-5E-20-00-51")
	h.key(tcell.KeyEnter)
	h.waitFor("Sessions (2 of 7)")
	h.key(tcell.KeyEscape)
	h.waitFor("Sessions (7)", "filter cleared")
	h.keys("n")
	h.waitFor("no filter")
}

// ? lists every action with the keys bound to it, in every view.
func TestHelpListsEveryKey(t *testing.T) {
	h := start(t, sampleSource(t), 100, 40, Options{})
	h.waitFor("Sessions (7)")
	h.keys("?")
	txt := h.waitFor("═ Help ═", "Everywhere")
	// Page through the whole help.
	for i := 0; i < 10; i++ {
		h.key(tcell.KeyPgDn)
		txt += "\n" + h.text()
	}
	for _, want := range []string{"Sessions", "Timeline", "Event fields", "Hex dump", "Findings", "Commands", ":export PATH", ":json PATH", "Filter (type /", "Ctrl-C", "mouse"} {
		if !strings.Contains(txt, want) {
			t.Errorf("help does not show %q", want)
		}
	}
	for _, ai := range keymap.Actions() {
		for _, k := range keymap.Default().Keys(ai.Action) {
			if !regexp.MustCompile(`(^|\n|[ ,])` + regexp.QuoteMeta(k.String()) + `(,| )`).MatchString(txt) {
				t.Errorf("help does not show key %s (%s)", k, ai.Action)
			}
		}
	}
	h.key(tcell.KeyEscape)
	h.waitFor("Sessions (7)")
}

// A key file remaps keys: the new ones work, the old ones do nothing, and
// help shows the new ones.
func TestRemappedKeys(t *testing.T) {
	keys, err := keymap.Read(strings.NewReader(`{"down": ["Ctrl-N"], "quit": ["Q"], "help": ["F1"]}`))
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, sampleSource(t), 100, 60, Options{Keys: keys})
	h.waitFor("Timeline eap-1", "F1 help")
	h.keys("j")
	h.waitFor("Timeline eap-1")
	h.send(tcell.NewEventKey(tcell.KeyCtrlN, 0, tcell.ModCtrl))
	h.waitFor("Timeline eap-2")
	h.keys("q") // unbound now
	h.key(tcell.KeyF1)
	h.waitFor("Ctrl-N", "  Q                quit")
	h.key(tcell.KeyEscape)
	h.keys("Q")
	select {
	case <-h.done:
	case <-time.After(5 * time.Second):
		t.Fatal("Q did not quit")
	}
}

func TestQuit(t *testing.T) {
	h := start(t, sampleSource(t), 80, 24, Options{})
	h.waitFor("Sessions (7)")
	h.keys("q")
	select {
	case <-h.done:
		if h.err != nil {
			t.Fatal(h.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("q did not quit")
	}
}

// :export writes the session's frames, :json its report; neither
// overwrites a file unless asked with "!".
func TestCommands(t *testing.T) {
	dir := t.TempDir()
	h := start(t, sampleSource(t), 120, 30, Options{})
	h.waitFor("Sessions (7)")
	h.keys("G") // tls-5
	h.waitFor("Timeline tls-5")
	pcap := filepath.Join(dir, "tls-5.pcap")
	h.keys(":export " + pcap)
	h.key(tcell.KeyEnter)
	h.waitFor("wrote 22 frames of tls-5")
	r, err := source.Open(pcap)
	if err != nil {
		t.Fatal(err)
	}
	var p source.Packet
	n := 0
	for r.Next(&p) == nil {
		n++
	}
	r.Close()
	if n != 22 {
		t.Errorf("%d frames in the export, want 22 (frames 90-111)", n)
	}
	h.keys(":export " + pcap)
	h.key(tcell.KeyEnter)
	h.waitFor("exists: use :export! ")
	h.keys(":export! " + pcap)
	h.key(tcell.KeyEnter)
	h.waitFor("wrote 22 frames of tls-5")

	js := filepath.Join(dir, "tls-5.json")
	h.keys(":json " + js)
	h.key(tcell.KeyEnter)
	h.waitFor("wrote tls-5's report")
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var s report.Session
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, f := range s.Findings {
		ids = append(ids, f.ID)
	}
	if s.ID != "tls-5" || fmt.Sprint(ids) != "[tls-resumption-refused tls-ids-never-accepted]" {
		t.Errorf("json: %s %v", s.ID, ids)
	}
	h.keys(":json " + js)
	h.key(tcell.KeyEnter)
	h.waitFor("exists: use :json! ")
	h.keys(":frobnicate")
	h.key(tcell.KeyEnter)
	h.waitFor(`unknown command "frobnicate"`)
	// Esc leaves the command bar without running anything.
	h.keys(":q")
	h.key(tcell.KeyEscape)
	h.waitFor("Sessions (7)")
	select {
	case <-h.done:
		t.Fatal("Esc ran the command")
	default:
	}
}

// The findings view lists findings most severe first; Enter goes to the
// session, on the event of the finding's first frame.
func TestFindingsView(t *testing.T) {
	h := start(t, sampleSource(t), 100, 30, Options{})
	h.waitFor("Sessions (7)")
	h.keys("f")
	h.waitFor("Findings (6)", "tls-ids-never-accepted tls-5", "tls-resumption-refused eap-2")
	h.keys("G")
	h.waitFor("session      tls-5", "frames       27, 49, 71, 93")
	h.key(tcell.KeyEnter)
	h.waitFor("Timeline tls-5", "Event #93")
	h.keys("f")
	h.keys("f")
	h.waitFor("Timeline tls-5")
}

// Sessions streamed in (live capture) are appended without moving the
// user's selection; the status line shows the drop counters.
func TestStreamKeepsSelection(t *testing.T) {
	ch := make(chan *report.Session)
	stats := func() LiveStats { return LiveStats{Packets: 1234, KernelDrops: 5, Drops: 2} }
	stopped := make(chan struct{})
	stop := func() { close(stopped) }
	h := start(t, Stream(ch, nil, StreamOptions{Name: "live eth0", Stats: stats, Stop: stop}), 100, 30, Options{})
	h.waitFor("reading… sessions appear here as they complete", "● live eth0")
	mk := func(id, client string, frame uint64) *report.Session {
		return &report.Session{ID: id, Kind: report.KindTLS, ClientKey: client, ClientLabel: client, FirstFrame: frame, Outcome: report.OutcomeSuccess,
			Client: report.Endpoint{IP: client, Port: 40000}, Server: report.Endpoint{IP: "10.0.0.1", Port: 443},
			Timeline: []report.Event{{Frame: frame, Direction: report.C2S, Layer: "tcp", Event: "SYN"}}}
	}
	ch <- mk("tls-1", "10.0.0.5", 10)
	ch <- mk("tls-2", "10.0.0.6", 20)
	h.waitFor("tls-2")
	h.keys("j")
	h.waitFor("Timeline tls-2")
	// Sessions that sort before the selected one, in its client and in a
	// new client listed first.
	ch <- mk("tls-3", "10.0.0.6", 15)
	ch <- mk("tls-4", "10.0.0.4", 1)
	ch <- mk("tls-5", "10.0.0.6", 30)
	h.waitFor("tls-3", "tls-4", "tls-5", "Sessions (5)")
	h.waitFor("Timeline tls-2", "drops: kernel 5, ours 2", "1,234 packets")
	if st, _ := h.cellStyle("tls-2 TLS"); func() bool { _, _, a := st.Decompose(); return a&tcell.AttrReverse == 0 }() {
		t.Errorf("selection moved off tls-2:\n%s", h.text())
	}
	rows := []string{}
	for _, l := range h.lines() {
		if i := strings.Index(l, "tls-"); i >= 0 && strings.Contains(l, "TLS") {
			rows = append(rows, l[i:i+5])
		}
	}
	if fmt.Sprint(rows) != "[tls-4 tls-1 tls-3 tls-2 tls-5]" {
		t.Errorf("order %v", rows)
	}
	h.keys(":stop")
	h.key(tcell.KeyEnter)
	h.waitFor("stopping the capture")
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal(":stop did not stop the capture")
	}
	close(ch)
	h.waitFor("live eth0 (stopped)", "Timeline tls-2")
}

// Without colour every cell keeps the terminal's colours; severity stays
// readable from the marker letter. With colour, warnings are yellow.
func TestNoColor(t *testing.T) {
	for _, noColor := range []bool{true, false} {
		t.Run(fmt.Sprint("noColor=", noColor), func(t *testing.T) {
			h := start(t, sampleSource(t), 100, 30, Options{NoColor: noColor})
			h.waitFor("Sessions (7)", "W1 tls-2")
			cells, _, _ := h.contents()
			colored := 0
			for _, c := range cells {
				fg, bg, _ := c.Style.Decompose()
				if fg != tcell.ColorDefault || bg != tcell.ColorDefault {
					colored++
				}
			}
			st, _ := h.cellStyle("W1 tls-2")
			fg, _, _ := st.Decompose()
			if noColor && colored > 0 {
				t.Errorf("%d cells with colour under NO_COLOR", colored)
			}
			if !noColor && fg != tcell.ColorYellow {
				t.Errorf("warning row colour %v, want yellow", fg)
			}
		})
	}
}

// The layout fits 80x24 and follows resizes.
func TestSizes(t *testing.T) {
	h := start(t, sampleSource(t), 80, 24, Options{})
	h.waitFor("Sessions (7)", "Timeline eap-1", "Session eap-1", "? help")
	lines := h.lines()
	if len(lines) != 24 || !strings.Contains(lines[23], "7 sessions") {
		t.Errorf("status line: %q", lines[23])
	}
	h.waitFor("W1 eap-2 PEAP alice@lab.… success refused tls-resu…")
	for _, size := range [][2]int{{120, 40}, {60, 15}, {40, 10}, {200, 60}, {80, 24}} {
		w, ht := size[0], size[1]
		h.sim.SetSize(w, ht)
		h.sim.PostEvent(tcell.NewEventResize(w, ht))
		// Wait for the redraw at the new size: the status line at the
		// bottom, borders at the right edge.
		deadline := time.Now().Add(5 * time.Second)
		for {
			ls := h.lines()
			last := []rune(ls[ht-1])
			right := []rune(ls[0])[w-1]
			if strings.Contains(ls[ht-1], "help") && len(last) == w && (right == '┐' || right == '╗') {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%dx%d never drawn:\n%s", w, ht, h.text())
			}
			time.Sleep(10 * time.Millisecond)
		}
		txt := h.text()
		if !strings.Contains(txt, "Sessions") || !strings.Contains(txt, "eap-1") {
			t.Errorf("%dx%d: no session list:\n%s", w, ht, txt)
		}
	}
}

// Clicks select and focus; a double click drills in; the wheel moves.
func TestMouse(t *testing.T) {
	h := start(t, sampleSource(t), 100, 30, Options{})
	h.waitFor("Sessions (7)", "tls-3")
	y := -1
	for i, l := range h.lines() {
		if strings.Contains(l, "tls-3 TLS") {
			y = i
		}
	}
	click := func(x, y int, b tcell.ButtonMask) {
		h.sim.InjectMouse(x, y, b, tcell.ModNone)
		h.sim.InjectMouse(x, y, tcell.ButtonNone, tcell.ModNone)
	}
	click(5, y, tcell.Button1)
	h.waitFor("Timeline tls-3")
	// Click on the timeline pane: it takes the focus.
	tl := -1
	for i, l := range h.lines() {
		if strings.Contains(l, "#49") {
			tl = i
			break
		}
	}
	x := strings.Index(h.lines()[tl], "#49")
	click(len([]rune(h.lines()[tl][:x])), tl, tcell.Button1)
	h.waitFor("╔", "Event #49")
	if l := h.line("Timeline tls-3"); !strings.Contains(l, "╔") {
		t.Errorf("click did not focus the timeline: %q\n%s", l, h.text())
	}
	h.sim.InjectMouse(70, 5, tcell.WheelDown, tcell.ModNone)
	h.waitGone("Event #49")
}

// stepSource delivers what the test tells it to, when it tells it to.
type stepSource struct {
	steps chan func(*Feed)
}

func (s *stepSource) Describe() Inputs {
	return Inputs{Names: []string{"big.pcapng"}, Files: []string{""}}
}

func (s *stepSource) Run(f *Feed) {
	for step := range s.steps {
		step(f)
	}
}

// A large file: the status line shows how far reading has come, and the
// sessions can be browsed before the end.
func TestProgressWhileReading(t *testing.T) {
	src := &stepSource{steps: make(chan func(*Feed))}
	h := start(t, src, 100, 30, Options{})
	h.waitFor("reading… sessions appear here as they complete")
	src.steps <- func(f *Feed) {
		f.Progress(Progress{Path: "/data/big.pcapng", Read: 512 << 20, Total: 2048 << 20, Packets: 1234567})
		f.Session(&report.Session{ID: "tls-1", Kind: report.KindTLS, ClientKey: "10.0.0.5", ClientLabel: "10.0.0.5", FirstFrame: 7, Outcome: report.OutcomeSuccess,
			Client: report.Endpoint{IP: "10.0.0.5", Port: 40000}, Server: report.Endpoint{IP: "10.0.0.1", Port: 443}})
	}
	h.waitFor("reading big.pcapng 25%", "1,234,567 packets", "tls-1 TLS", "Sessions (1)")
	h.keys("j")
	src.steps <- func(f *Feed) {
		f.Progress(Progress{Path: "/data/big.pcapng", Read: 2048 << 20, Total: 2048 << 20, Packets: 5000000})
		f.Finish(Final{Report: &report.Report{Stats: report.Stats{Packets: 5000001}}, Errors: []error{errors.New("big.pcapng: truncated after 5000001 packets")}})
	}
	h.waitFor("big.pcapng │ 5,000,001 packets │ 1 session ", "truncated after 5000001 packets")
	close(src.steps)
	// :stop only stops live captures.
	h.keys(":stop")
	h.key(tcell.KeyEnter)
	h.waitFor("nothing to stop")
}
