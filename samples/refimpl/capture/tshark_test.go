package capture

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// checksumOptions make tshark verify every checksum.
var checksumOptions = []string{
	"-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
	// The sample's payloads are patterns, not RADIUS or TLS.
	"--disable-protocol", "radius", "--disable-protocol", "tls",
}

// expertWarning is Wireshark's PI_WARN; PI_ERROR is above it.
const expertWarning = 0x00600000

// needTool skips the test when a Wireshark tool is not installed.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed: the Wireshark oracle is not available", name)
	}
	return p
}

// run runs a tool and returns its standard output.
func run(t *testing.T, tool string, args ...string) string {
	t.Helper()
	cmd := exec.Command(tool, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// writeSample writes the sample capture to a temporary file.
func writeSample(t *testing.T, s sample) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sample.pcapng")
	if err := os.WriteFile(path, s.file, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fieldRows runs tshark -T fields and splits the rows into columns.
func fieldRows(t *testing.T, tshark, path string, extra []string, fields ...string) [][]string {
	t.Helper()
	args := append([]string{"-r", path}, checksumOptions...)
	args = append(args, extra...)
	args = append(args, "-T", "fields", "-E", "separator=/t")
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(run(t, tshark, args...), "\n"), "\n") {
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows
}

func TestTsharkReadsSample(t *testing.T) {
	tshark := needTool(t, "tshark")
	s := buildSample(t)
	path := writeSample(t, s)
	rows := fieldRows(t, tshark, path, nil, "frame.number", "frame.time_epoch", "ip.checksum.status",
		"udp.checksum.status", "tcp.checksum.status", "_ws.expert.severity")
	if len(rows) != s.frames {
		t.Fatalf("tshark read %d frames, want %d", len(rows), s.frames)
	}
	var udp, tcp int
	for i, r := range rows {
		if len(r) != 6 {
			t.Fatalf("row %q", r)
		}
		ts := epoch.Add(time.Duration(i) * FrameSpacing)
		if want := fmt.Sprintf("%d.%09d", ts.Unix(), ts.Nanosecond()); r[1] != want {
			t.Errorf("frame %s at %s, want %s", r[0], r[1], want)
		}
		if r[2] != "1" {
			t.Errorf("frame %s: IP checksum status %q, want 1 (good)", r[0], r[2])
		}
		for j, n := range map[int]*int{3: &udp, 4: &tcp} {
			if r[j] == "" {
				continue
			}
			*n++
			if r[j] != "1" {
				t.Errorf("frame %s: transport checksum status %q, want 1 (good)", r[0], r[j])
			}
		}
		for _, sev := range strings.Split(r[5], ",") {
			if v, _ := strconv.Atoi(sev); v >= expertWarning {
				t.Errorf("frame %s: expert information of severity %#x", r[0], v)
			}
		}
	}
	// Two datagrams (one reassembled from three fragments) and the rest TCP.
	if udp != 2 || tcp != s.frames-4 {
		t.Errorf("%d UDP and %d TCP checksums verified, want 2 and %d", udp, tcp, s.frames-4)
	}
}

func TestTsharkReassemblesFragments(t *testing.T) {
	tshark := needTool(t, "tshark")
	s := buildSample(t)
	path := writeSample(t, s)
	rows := fieldRows(t, tshark, path, []string{"-Y", "udp.length == 4008"}, "frame.number", "ip.fragment.count", "udp.payload")
	if len(rows) != 1 || len(rows[0]) != 3 {
		t.Fatalf("rows %q, want the one reassembled datagram", rows)
	}
	if want := strconv.Itoa(s.largeFirst + 2); rows[0][0] != want || rows[0][1] != "3" {
		t.Errorf("reassembled in frame %s from %s fragments, want frame %s from 3", rows[0][0], rows[0][1], want)
	}
	if got, err := hex.DecodeString(rows[0][2]); err != nil || !bytes.Equal(got, s.udpLarge) {
		t.Errorf("reassembled payload of %d bytes differs from the 4000 sent (%v)", len(got), err)
	}
}

func TestTsharkFollowsTCP(t *testing.T) {
	tshark := needTool(t, "tshark")
	s := buildSample(t)
	path := writeSample(t, s)
	out := run(t, tshark, append(append([]string{"-r", path}, checksumOptions...), "-q", "-z", "follow,tcp,raw,0")...)
	var toServer, toClient []byte
	body := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "Node 1:"):
			body = true
			continue
		case strings.HasPrefix(line, "====="), !body, line == "":
			continue
		}
		b, err := hex.DecodeString(strings.TrimPrefix(line, "\t"))
		if err != nil {
			t.Fatalf("follow line %q: %v", line, err)
		}
		if strings.HasPrefix(line, "\t") { // node 1, the server
			toClient = append(toClient, b...)
		} else {
			toServer = append(toServer, b...)
		}
	}
	if !bytes.Equal(toServer, s.tcpToSrv) || !bytes.Equal(toClient, s.tcpToCli) {
		t.Fatalf("tshark followed %d and %d bytes, want %d and %d", len(toServer), len(toClient), len(s.tcpToSrv), len(s.tcpToCli))
	}
}

func TestCapinfosSeesSecrets(t *testing.T) {
	capinfos := needTool(t, "capinfos")
	s := buildSample(t)
	out := run(t, capinfos, "-D", "-t", "-u", "-c", writeSample(t, s))
	for _, want := range []string{"Number of decryption secrets in file: 1", "Number of packets:   " + strconv.Itoa(s.frames)} {
		if !strings.Contains(out, want) {
			t.Errorf("capinfos does not say %q:\n%s", want, out)
		}
	}
}

// TestSecretsBlockMatchesEditcap injects the same key log with editcap into
// a capture written without secrets: editcap's Decryption Secrets Block must
// be the writer's, byte for byte.
func TestSecretsBlockMatchesEditcap(t *testing.T) {
	editcap := needTool(t, "editcap")
	build := func(secrets []byte) []byte {
		w := NewWriter(NewClock(epoch))
		w.UDP(Endpoint{client, 1}, Endpoint{server, 2}, []byte("x"))
		w.AddSecrets(secrets)
		var out bytes.Buffer
		if err := w.Close(&out); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	var kl KeyLog
	kl.Add(payloadOf(32, 1), payloadOf(48, 2))
	kl.Add(payloadOf(32, 3), payloadOf(48, 4))
	kl.Add(payloadOf(32, 5), payloadOf(47, 6)) // odd length: the block is padded
	dir := t.TempDir()
	plain, keys, injected := filepath.Join(dir, "plain.pcapng"), filepath.Join(dir, "keys.txt"), filepath.Join(dir, "injected.pcapng")
	if err := os.WriteFile(plain, build(nil), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keys, kl.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, editcap, "--inject-secrets", "tls,"+keys, plain, injected)
	theirs := secretsBlocks(t, readFile(t, injected))
	ours := secretsBlocks(t, build(kl.Bytes()))
	if len(theirs) != 1 || len(ours) != 1 || !bytes.Equal(theirs[0], ours[0]) {
		t.Fatalf("editcap's secrets block\n% x\nours\n% x", theirs, ours)
	}
}

func secretsBlocks(t *testing.T, file []byte) [][]byte {
	t.Helper()
	blocks, err := readBlocks(file)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, b := range blocks {
		if b.typ == 0x0a {
			out = append(out, b.raw)
		}
	}
	return out
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
