package scenario

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/samples/expect"
)

// tsharkFields runs tshark over a committed sample with its key log and
// returns one map per frame of the requested fields.
func tsharkFields(t *testing.T, capture, keylog, filter string, fields ...string) []map[string]string {
	t.Helper()
	args := []string{"-r", capture, "-n", "-T", "fields", "-E", "separator=\t", "-E", "aggregator=,"}
	if keylog != "" {
		args = append(args, "-o", "tls.keylog_file:"+keylog)
	}
	if filter != "" {
		args = append(args, "-Y", filter)
	}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command("tshark", args...).Output()
	if err != nil {
		t.Fatalf("tshark %v: %v", args, err)
	}
	var rows []map[string]string
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if line == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		row := map[string]string{}
		for i, f := range fields {
			if i < len(cols) {
				row[f] = cols[i]
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// TestTsharkReadsSamples is the independent check of the samples: tshark
// finds no malformed packet and no error-level expert item, reads the
// ClientHello at the frame the expected report names with the same
// offered session ID, sees every server session ID, and, decrypting with
// the sample's key log, shows the inner EAP-MSCHAPv2 of PEAP tunnels.
func TestTsharkReadsSamples(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed (Debian package tshark): the samples' independent check is skipped")
	}
	paths, err := expect.Find(committed, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		s, err := expect.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(s.Scenario, func(t *testing.T) {
			capture := filepath.Join(committed, s.Capture)
			keylog := ""
			if s.KeyLog != "" {
				keylog = filepath.Join(committed, s.KeyLog)
			}
			rows := tsharkFields(t, capture, keylog, "tls.handshake || eap || _ws.malformed || _ws.expert.severity >= 8388608",
				"frame.number", "tls.handshake.type", "tls.handshake.session_id", "eap.type", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message")
			byFrame := map[string]map[string]string{}
			sids := map[string]bool{}
			var eapTypes []string
			for _, r := range rows {
				if r["_ws.malformed"] != "" || strings.Contains(r["_ws.expert.severity"], "8388608") {
					t.Errorf("tshark: frame %s malformed or in error: %s", r["frame.number"], r["_ws.expert.message"])
				}
				byFrame[r["frame.number"]] = r
				for _, id := range strings.Split(r["tls.handshake.session_id"], ",") {
					sids[strings.ReplaceAll(id, ":", "")] = true
				}
				eapTypes = append(eapTypes, strings.Split(r["eap.type"], ",")...)
			}
			innerMSCHAP := false
			for _, sess := range s.Sessions {
				if sess.EAP != nil && sess.EAP.Method == "PEAP" && slices.Contains(sess.EAP.InnerMethods, "EAP-MSCHAPv2") {
					innerMSCHAP = true
				}
				for _, h := range sess.Handshakes {
					if h.FirstFrame == 0 {
						continue
					}
					r := byFrame[itoa(h.FirstFrame)]
					if r == nil || !slices.Contains(strings.Split(r["tls.handshake.type"], ","), "1") {
						t.Errorf("frame %d: tshark sees no ClientHello (%v)", h.FirstFrame, r)
						continue
					}
					if h.OfferedSessionID != "" && !strings.Contains(strings.ReplaceAll(r["tls.handshake.session_id"], ":", ""), h.OfferedSessionID) {
						t.Errorf("frame %d: tshark reads session ID %q, expected offer %s", h.FirstFrame, r["tls.handshake.session_id"], h.OfferedSessionID)
					}
					if h.ServerSessionID != "" && !sids[h.ServerSessionID] {
						t.Errorf("tshark never sees server session ID %s", h.ServerSessionID)
					}
				}
			}
			if innerMSCHAP && !slices.Contains(eapTypes, "26") {
				t.Errorf("decrypting with %s, tshark shows no inner EAP-MSCHAPv2 (EAP types %v)", keylog, eapTypes)
			}
		})
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
