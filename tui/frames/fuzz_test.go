package frames

import (
	"testing"

	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

// FuzzDescribe feeds Describe and HexDump frames from the sample captures
// and their mutations: whatever the bytes, nothing panics and the
// description starts with the frame.
func FuzzDescribe(f *testing.F) {
	for _, rel := range []string{"samples/scenarios/P3.pcapng", "samples/lab/captures/T1.pcapng", "samples/lab/captures/P1-ipfrag.pcapng", "samples/scenarios/F1.pcapng"} {
		r, err := source.Open(repoFile(f, rel))
		if err != nil {
			f.Fatal(err)
		}
		var p source.Packet
		for r.Next(&p) == nil {
			f.Add(uint32(p.Link), append([]byte(nil), p.Data...), uint8(80))
		}
		r.Close()
	}
	f.Fuzz(func(t *testing.T, link uint32, data []byte, width uint8) {
		fr := Frame{Number: 1, Link: packet.LinkType(link % 300), Data: data, Length: len(data)}
		fs := Describe(&fr, DescribeOptions{RADIUSPorts: []uint16{1812, 1813}})
		if len(fs) == 0 || fs[0].Name != "Frame" {
			t.Fatalf("description %v", fs)
		}
		lines := HexDump(data, int(width))
		if want := (len(data) + 3) / 4; len(lines) > want {
			t.Fatalf("%d lines for %d bytes", len(lines), len(data))
		}
	})
}
