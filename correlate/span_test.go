package correlate_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

// erspanII wraps an Ethernet frame as a span port sends it: outer
// Ethernet, IPv4, GRE with a sequence number (protocol 0x88be) and an
// ERSPAN type II header.
func erspanII(t *testing.T, inner []byte, seq uint32) []byte {
	t.Helper()
	gre := make([]byte, 8)
	binary.BigEndian.PutUint16(gre[0:], 0x1000) // S: sequence number present
	binary.BigEndian.PutUint16(gre[2:], 0x88be)
	binary.BigEndian.PutUint32(gre[4:], seq)
	erspan := make([]byte, 8)
	binary.BigEndian.PutUint16(erspan[0:], 1<<12|100) // version 1 (type II), VLAN 100
	binary.BigEndian.PutUint16(erspan[2:], 42)        // session 42
	payload := append(append(gre, erspan...), inner...)
	f := packet.Frame{Link: packet.LinkEthernet, IPVersion: 4, Src: mustAddr("192.0.2.250"), Dst: mustAddr("192.0.2.251"),
		Proto: packet.ProtoGRE, TTL: 64, IPPayload: payload}
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestConversationsInsideERSPAN: a capture taken at an ERSPAN collector
// gives the same verdicts as the capture taken at the RADIUS server.
func TestConversationsInsideERSPAN(t *testing.T) {
	direct := filepath.Join(labDir, "P3.pcapng")
	r, err := source.Open(direct)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := pcapgo.NewWriterNanos(&buf)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	var p source.Packet
	var seq uint32
	for r.Next(&p) == nil {
		seq++
		b := erspanII(t, p.Data, seq)
		w.WritePacket(gopacket.CaptureInfo{Timestamp: p.Timestamp, CaptureLength: len(b), Length: len(b)}, b)
	}
	r.Close()
	wrapped := filepath.Join(t.TempDir(), "erspan.pcap")
	if err := os.WriteFile(wrapped, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	want, got := analyze(t, direct), analyze(t, wrapped)
	if len(got.Sessions) != len(want.Sessions) || len(got.Sessions) != 2 {
		t.Fatalf("%d sessions through ERSPAN, %d direct", len(got.Sessions), len(want.Sessions))
	}
	for i := range want.Sessions {
		a, b := want.Sessions[i], got.Sessions[i]
		if a.Outcome != b.Outcome || len(a.Handshakes) != len(b.Handshakes) || a.Packets != b.Packets {
			t.Fatalf("session %d differs", i)
		}
		for j := range a.Handshakes {
			x, y := a.Handshakes[j], b.Handshakes[j]
			if x.Kind != y.Kind || x.ClientSessionID != y.ClientSessionID || x.ServerSessionID != y.ServerSessionID || *x.ResumptionRefused != *y.ResumptionRefused {
				t.Errorf("session %d handshake %d: %+v through ERSPAN, %+v direct", i, j, y, x)
			}
		}
	}
	if got.Stats.Decoded != want.Stats.Decoded || got.Inputs[0].LinkTypes[0] != "Ethernet" {
		t.Errorf("stats %+v vs %+v", got.Stats, want.Stats)
	}
}
