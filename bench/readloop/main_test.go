package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const corpusDir = "../../../shared/corpus"

// manifestPackets reads the packet counts tshark recorded for the corpus.
func manifestPackets(t *testing.T) map[string]int64 {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus manifest not available: %v", err)
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	sc.Scan()
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if n, err := strconv.ParseInt(c[6], 10, 64); err == nil {
			out[c[0]] = n
		}
	}
	return out
}

// readAll counts exactly the packets the corpus manifest lists, for pcap
// and pcapng files, several link types included.
func TestReadAllCountsManifestPackets(t *testing.T) {
	want := manifestPackets(t)
	for _, rel := range []string{
		"zeek/Traces/radius/radius_localhost.pcap", // NULL/loopback
		"tcpdump/eapon1.pcap",
		"tcpdump/ikev2pI2-segfault.pcapng",
		"tcpdump/isakmp-no-none-np.pcapng",
		"arkime/openssl-tls1_2.pcap",
	} {
		data, err := os.ReadFile(filepath.Join(corpusDir, rel))
		if err != nil {
			t.Fatal(err)
		}
		c, err := readAll(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
		}
		if c.packets != want[rel] || c.packets == 0 {
			t.Errorf("%s: %d packets, manifest says %d", rel, c.packets, want[rel])
		}
		if c.bytes <= 0 || c.bytes > int64(len(data)) {
			t.Errorf("%s: %d packet bytes in a %d-byte file", rel, c.bytes, len(data))
		}
	}
}

func TestReadAllRejectsGarbage(t *testing.T) {
	if _, err := readAll(strings.NewReader("not a capture at all")); err == nil {
		t.Fatal("garbage accepted")
	}
}

func BenchmarkReadAll(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "tcpdump/eapon1.pcap"))
	if err != nil {
		b.Skip("corpus not available")
	}
	big := append([]byte(nil), data...)
	for len(big) < 8<<20 {
		big = append(big, data[24:]...) // more records after the same header
	}
	b.SetBytes(int64(len(big)))
	for b.Loop() {
		if _, err := readAll(bytes.NewReader(big)); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzReadAll: arbitrary files end in an error or a count, never a panic,
// and never count more packet bytes than the file holds.
func FuzzReadAll(f *testing.F) {
	for _, rel := range []string{"tcpdump/RADIUS.pcap", "tcpdump/ikev2pI2-segfault.pcapng", "tcpdump/isakmp-no-none-np.pcapng"} {
		if b, err := os.ReadFile(filepath.Join(corpusDir, rel)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, _ := readAll(bytes.NewReader(data))
		if c.bytes > int64(len(data)) || c.packets < 0 {
			t.Fatalf("counted %d packets, %d bytes in %d bytes", c.packets, c.bytes, len(data))
		}
	})
}
