package capgen

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/bench/internal/captest"
)

// labCaptures are the reference implementation's lab captures (real
// FreeRADIUS, eapol_test and TLS peers), when they have been made.
func labCaptures(t *testing.T) []string {
	t.Helper()
	paths, _ := filepath.Glob("../../../samples/lab/captures/*.pcapng")
	if len(paths) == 0 {
		t.Skip("no lab captures in samples/lab/captures")
	}
	return paths
}

// labSecret is the shared secret the lab's RADIUS peers use.
const labSecret = "lab-radius-secret"

// Copies of the lab captures (IP-fragmented RADIUS among them) read back
// in tshark without a bad checksum or malformed packet, with the same
// RADIUS count, one Calling-Station-Id per copy, every State echoed as the
// server sent it, and, when the template was signed with the lab secret,
// every Response Authenticator valid.
func TestCopyLabCaptures(t *testing.T) {
	for _, path := range labCaptures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			tpl, err := LoadTemplate(path, LoadOptions{MaxGap: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			tpl.ID = 9
			signed := false
			for _, f := range tpl.Frames {
				if f.RADIUS && f.Request >= 0 && f.Whole {
					req := &tpl.Frames[f.Request]
					if req.Whole {
						signed = responseAuthenticatorValid(f.Packet[f.L4+8:], req.Packet[req.L4+8:][4:20], labSecret)
						break
					}
				}
			}
			var frames [][]byte
			var times []time.Time
			var cp Copier
			buf, m := make([]byte, BufferSize), NewMirror()
			const copies = 3
			for k, enc := range []Encap{{}, {Kind: EncapERSPAN, VLAN: 10}, {Kind: EncapVLAN, VLAN: 20}}[:copies] {
				c := cp.New(tpl, time.Date(2025, 1, 1, 0, 0, k, 0, time.UTC).UnixNano(), enc, []byte(labSecret))
				for !c.Done() {
					f, ts := c.Next(buf, m)
					frames = append(frames, append([]byte(nil), f...))
					times = append(times, time.Unix(0, ts))
				}
			}
			p := captest.WriteTemp(t, "lab.pcap", writePcap(t, frames, times))
			if bad := captest.Tshark(t, "-r", p, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
				"-o", "udp.check_checksum:TRUE", "-Y", "ip.checksum.status==0 || tcp.checksum.status==0 || udp.checksum.status==0 || _ws.malformed || _ws.expert.severity >= error"); bad != "" {
				t.Errorf("tshark flags frames:\n%s", bad)
			}
			if tpl.RADIUSFrames == 0 {
				return
			}
			rows := captest.Lines(captest.Tshark(t, "-r", p, "-o", "radius.shared_secret:"+labSecret, "-o", "radius.validate_authenticator:TRUE",
				"-Y", "radius", "-T", "fields", "-E", "occurrence=f", "-e", "ip.src", "-e", "ip.dst", "-e", "udp.srcport", "-e", "radius.code",
				"-e", "radius.State", "-e", "radius.Calling_Station_Id", "-e", "radius.authenticator.valid"))
			if len(rows) != copies*tpl.RADIUSFrames {
				t.Fatalf("tshark sees %d RADIUS packets, want %d", len(rows), copies*tpl.RADIUSFrames)
			}
			lastState := map[string]string{} // NAS -> State of the last Access-Challenge
			calling := map[string]string{}   // NAS -> Calling-Station-Id
			owners := map[string]string{}    // Calling-Station-Id -> NAS
			for _, r := range rows {
				c := strings.Split(r, "\t")
				for len(c) < 7 {
					c = append(c, "")
				}
				nas := c[0]
				if c[2] == "1812" {
					nas = c[1]
				}
				switch c[3] {
				case "11":
					lastState[nas] = c[4]
				case "2", "3":
					delete(lastState, nas) // the next request starts a new authentication
				case "1":
					if want, ok := lastState[nas]; ok && c[4] != want {
						t.Errorf("NAS %s echoes State %s, server sent %s", nas, c[4], want)
					}
				}
				if c[3] == "2" || c[3] == "3" || c[3] == "11" {
					if signed && c[6] != "1" {
						t.Errorf("NAS %s: response authenticator not valid (%q)", nas, c[6])
					}
				}
				if id := c[5]; id != "" {
					if prev, ok := calling[nas]; ok && prev != id {
						t.Errorf("NAS %s sends Calling-Station-Ids %s and %s", nas, prev, id)
					}
					if o, ok := owners[id]; ok && o != nas {
						t.Errorf("Calling-Station-Id %s used by %s and %s", id, o, nas)
					}
					calling[nas], owners[id] = id, nas
				}
			}
			if len(calling) != 0 && len(calling) != copies {
				t.Errorf("%d NASes with a Calling-Station-Id, want %d", len(calling), copies)
			}
			t.Logf("%d frames per copy, %d RADIUS, %d datagrams reassembled, signed with the lab secret: %v",
				len(tpl.Frames), tpl.RADIUSFrames, len(tpl.datagrams), signed)
		})
	}
}
