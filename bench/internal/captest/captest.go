package captest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Frame is one record read back from a classic pcap.
type Frame struct {
	Time time.Time
	Data []byte
}

// ReadPcap reads every record of a classic Ethernet pcap with pcapgo.
func ReadPcap(t testing.TB, data []byte) []Frame {
	t.Helper()
	r, err := pcapgo.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if r.LinkType() != layers.LinkTypeEthernet {
		t.Fatalf("link type %v, want Ethernet", r.LinkType())
	}
	var out []Frame
	for {
		d, ci, err := r.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("record %d: %v", len(out)+1, err)
		}
		if ci.CaptureLength != ci.Length {
			t.Fatalf("record %d: captured %d of %d bytes", len(out)+1, ci.CaptureLength, ci.Length)
		}
		out = append(out, Frame{ci.Timestamp, d})
	}
}

// CheckChecksums verifies with gopacket every IPv4 header, ICMPv4, TCP and
// UDP checksum of a decoded packet (outer and mirrored layers alike) and
// returns how many it checked.
func CheckChecksums(t testing.TB, pkt gopacket.Packet) int {
	t.Helper()
	var net gopacket.NetworkLayer
	n := 0
	type verifier interface {
		VerifyChecksum() (error, gopacket.ChecksumVerificationResult)
	}
	check := func(name string, v verifier) {
		n++
		if err, res := v.VerifyChecksum(); err != nil || !res.Valid {
			t.Errorf("%s checksum invalid (%v %+v) in %v", name, err, res, pkt)
		}
	}
	for _, l := range pkt.Layers() {
		switch l := l.(type) {
		case *layers.IPv4:
			net = l
			check("IPv4", l)
		case *layers.IPv6:
			net = l
		case *layers.ICMPv4:
			check("ICMPv4", l)
		case *layers.TCP:
			if err := l.SetNetworkLayerForChecksum(net); err != nil {
				t.Fatal(err)
			}
			check("TCP", l)
		case *layers.UDP:
			if l.Checksum == 0 {
				continue
			}
			if err := l.SetNetworkLayerForChecksum(net); err != nil {
				t.Fatal(err)
			}
			check("UDP", l)
		}
	}
	return n
}

// Tshark runs tshark with args and returns its standard output, skipping
// the test when tshark is not installed and failing it when tshark exits
// with an error or reports anything on standard error other than its
// running-as-root notice.
func Tshark(t testing.TB, args ...string) string {
	t.Helper()
	path, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: the oracle comparison is skipped")
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %v: %v\n%s", args, err, stderr.String())
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if line != "" && !strings.Contains(line, "Running as user") {
			t.Errorf("tshark %v reported: %s", args, line)
		}
	}
	return stdout.String()
}

// WriteTemp writes data to a file in the test's temporary directory.
func WriteTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := t.TempDir() + "/" + name
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Lines splits tshark field output into non-empty lines.
func Lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}
