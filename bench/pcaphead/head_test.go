package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sessionscope/sscope/bench/internal/captest"
)

const corpusDir = "../../../shared/corpus"

func corpusFile(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, rel))
	if err != nil {
		t.Skipf("corpus capture %s not available", rel)
	}
	return b
}

// A prefix holds the first whole records that fit the budget, byte for
// byte, and reads back with gopacket and tshark.
func TestCopyHeadKeepsWholeRecords(t *testing.T) {
	in := corpusFile(t, "tcpdump/eapon1.pcap")
	all := captest.ReadPcap(t, in)
	for _, limit := range []int64{24, 100, 5000, int64(len(in)) - 1, int64(len(in)), 1 << 30} {
		var out bytes.Buffer
		records, written, err := copyHead(&out, bytes.NewReader(in), limit)
		if err != nil {
			t.Fatalf("limit %d: %v", limit, err)
		}
		if written != int64(out.Len()) || written > limit || !bytes.Equal(out.Bytes(), in[:written]) {
			t.Fatalf("limit %d: wrote %d bytes (%d buffered), not a prefix of the input", limit, written, out.Len())
		}
		got := captest.ReadPcap(t, out.Bytes())
		if int64(len(got)) != records {
			t.Fatalf("limit %d: %d records read back, %d reported", limit, len(got), records)
		}
		// The next record would not have fit.
		if records < int64(len(all)) && written+16+int64(len(all[records].Data)) <= limit {
			t.Fatalf("limit %d: stopped early at %d records", limit, records)
		}
	}
	var out bytes.Buffer
	if _, _, err := copyHead(&out, bytes.NewReader(in), 20000); err != nil {
		t.Fatal(err)
	}
	p := captest.WriteTemp(t, "head.pcap", out.Bytes())
	captest.Tshark(t, "-r", p, "-q") // fails the test on any read error
}

func TestCopyHeadRejects(t *testing.T) {
	for name, in := range map[string][]byte{
		"pcapng": corpusFile(t, "tcpdump/ikev2pI2-segfault.pcapng"),
		"short":  []byte("\xd4\xc3\xb2\xa1"),
		"huge record": append(append([]byte(nil), corpusFile(t, "tcpdump/RADIUS.pcap")[:24]...),
			0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f),
	} {
		if _, _, err := copyHead(&bytes.Buffer{}, bytes.NewReader(in), 1<<20); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzCopyHead: any input and budget give an error or a prefix of the
// input made of whole records within the budget.
func FuzzCopyHead(f *testing.F) {
	for _, rel := range []string{"tcpdump/RADIUS.pcap", "zeek/Traces/radius/radius_localhost.pcap", "arkime/tls-client-sessionid.pcap"} {
		if b, err := os.ReadFile(filepath.Join(corpusDir, rel)); err == nil {
			f.Add(b, int64(600))
		}
	}
	f.Fuzz(func(t *testing.T, in []byte, limit int64) {
		var out bytes.Buffer
		records, written, err := copyHead(&out, bytes.NewReader(in), limit)
		if err != nil && records == 0 && written == 0 {
			return
		}
		if written != int64(out.Len()) || written > max(limit, 24) || !bytes.HasPrefix(in, out.Bytes()) {
			t.Fatalf("wrote %d (%d) bytes for limit %d, prefix %v", written, out.Len(), limit, bytes.HasPrefix(in, out.Bytes()))
		}
	})
}
