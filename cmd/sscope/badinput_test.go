package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputs: every way an input can be wrong gives one clear line that
// names the file and the reason, the documented exit code, and no panic.
func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, err := os.ReadFile("samples/lab/captures/P2.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, want string
		code             int
	}{
		{"missing", filepath.Join(dir, "nope.pcap"), "no such file", exitUsage},
		{"directory", dir, "is a directory", exitUsage},
		{"empty", write("empty.pcap", nil), "empty file", exitUsage},
		{"text", write("notes.txt", []byte("<!DOCTYPE html><html>")), "not a pcap or pcapng capture", exitUsage},
		{"tiny", write("tiny.pcap", []byte{0xd4, 0xc3}), "too short", exitUsage},
		{"bad-gzip", write("bad.pcap.gz", []byte{0x1f, 0x8b, 0, 0, 1, 2}), "gzip", exitUsage},
		{"cut-header", write("cut.pcap", []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0}), "header is cut short", exitUsage},
		{"truncated", write("trunc.pcapng", good[:len(good)-37]), "truncated", exitPartial},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := sscope(t, "analyze", "--json", c.path)
			if code != c.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, c.code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], c.path) || !strings.Contains(lines[0], c.want) {
				t.Errorf("stderr %q: want one line naming %s and saying %q", stderr, c.path, c.want)
			}
		})
	}
}

// TestTruncatedAtEveryBoundary cuts a real capture at every record
// boundary and inside every record header: whatever is before the cut is
// still analyzed, and the exit code says the input was partial.
func TestTruncatedAtEveryBoundary(t *testing.T) {
	data, err := os.ReadFile("samples/lab/captures/P1-ipfrag.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for cut := 1; cut < len(data); cut += 7 {
		p := filepath.Join(dir, "cut.pcapng")
		if err := os.WriteFile(p, data[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		out, stderr, code := sscope(t, "analyze", "--json", p)
		if code != exitPartial && code != exitUsage && code != exitOK {
			t.Fatalf("cut %d: exit %d", cut, code)
		}
		if code == exitPartial && !strings.Contains(out, `"complete": false`) {
			t.Errorf("cut %d: partial input not marked incomplete", cut)
		}
		if code != exitOK && !strings.Contains(stderr, p) {
			t.Errorf("cut %d: stderr %q does not name the file", cut, stderr)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"analyze"},
		{"analyze", "--format", "xml", "samples/lab/captures/P1.pcapng"},
		{"analyze", "--radius-ports", "1812,99999", "samples/lab/captures/P1.pcapng"},
		{"analyze", "--keylog", "/nonexistent/keys.log", "samples/lab/captures/P1.pcapng"},
		{"analyze", "-", "-"},
		{"analyze", "--no-such-flag", "x"},
	} {
		_, stderr, code := sscope(t, args...)
		if code != exitUsage || stderr == "" {
			t.Errorf("%v: exit %d stderr %q, want exit 2 and a message", args, code, stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, code := sscope(t, "version")
	if code != 0 || !strings.HasPrefix(out, "sscope ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestCompletion(t *testing.T) {
	out, _, code := sscope(t, "completion", "bash")
	if code != 0 || !strings.Contains(out, "sscope") {
		t.Errorf("completion bash: exit %d", code)
	}
}
