package capgen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sessionscope/sscope/bench/internal/captest"
)

// corpusDir is the shared public capture corpus, relative to this package.
const corpusDir = "../../../../shared/corpus"

// The corpus captures the generators use as default templates.
var corpusTemplates = []string{
	"zeek/Traces/radius/radius_localhost.pcap",
	"tcpdump/RADIUS.pcap",
	"arkime/openssl-tls1_2.pcap",
	"arkime/tls-client-sessionid.pcap",
}

// corpus returns the path of a corpus capture, skipping the test when the
// corpus is not present.
func corpus(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(corpusDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus capture %s not available: %v", rel, err)
	}
	return p
}

// loadCorpus loads a corpus template with the generators' default options.
func loadCorpus(t testing.TB, rel string, opt LoadOptions) *Template {
	t.Helper()
	tpl, err := LoadTemplate(corpus(t, rel), opt)
	if err != nil {
		t.Fatalf("LoadTemplate(%s): %v", rel, err)
	}
	return tpl
}

// writePcap builds an Ethernet pcap from frames with gopacket's writer.
func writePcap(t testing.TB, frames [][]byte, times []time.Time) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for i, f := range frames {
		ci := gopacket.CaptureInfo{Timestamp: times[i], CaptureLength: len(f), Length: len(f)}
		if err := w.WritePacket(ci, f); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// serialize builds a packet with gopacket's serializers, lengths and
// checksums computed by gopacket.
func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// checkChecksums verifies the checksums of a decoded packet with gopacket.
func checkChecksums(t testing.TB, pkt gopacket.Packet) { captest.CheckChecksums(t, pkt) }
