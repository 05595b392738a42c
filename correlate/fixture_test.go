package correlate_test

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/report/reporttest"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/packet"
	"github.com/sessionscope/sscope/dissect/radius"
)

// fixture builds a small Ethernet capture in memory, frame by frame, with
// the project's own encoders, for tests of behaviour the real-peer
// captures do not show (retransmissions, lost answers, odd orders).
type fixture struct {
	t   *testing.T
	buf bytes.Buffer
	w   *pcapgo.Writer
	now time.Time
	n   int
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{t: t, now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	f.w = pcapgo.NewWriterNanos(&f.buf)
	if err := f.w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) frame(fr *packet.Frame, after time.Duration) {
	f.t.Helper()
	f.now = f.now.Add(after)
	fr.Link = packet.LinkEthernet
	fr.SrcMAC = [6]byte{2, 0, 0, 0, 0, 1}
	fr.DstMAC = [6]byte{2, 0, 0, 0, 0, 2}
	data, err := fr.Marshal()
	if err != nil {
		f.t.Fatal(err)
	}
	f.n++
	if err := f.w.WritePacket(gopacket.CaptureInfo{Timestamp: f.now, CaptureLength: len(data), Length: len(data)}, data); err != nil {
		f.t.Fatal(err)
	}
}

// udp writes one UDP datagram from src to dst ("ip:port").
func (f *fixture) udp(src, dst string, payload []byte, after time.Duration) {
	f.t.Helper()
	s, d := netip.MustParseAddrPort(src), netip.MustParseAddrPort(dst)
	f.frame(&packet.Frame{IPVersion: 4, Src: s.Addr(), Dst: d.Addr(), Proto: packet.ProtoUDP, TTL: 64,
		HasTransport: true, SrcPort: s.Port(), DstPort: d.Port(), Payload: payload}, after)
}

// tcp writes one TCP segment.
func (f *fixture) tcp(src, dst string, seq, ack uint32, flags uint8, payload []byte, after time.Duration) {
	f.t.Helper()
	s, d := netip.MustParseAddrPort(src), netip.MustParseAddrPort(dst)
	f.frame(&packet.Frame{IPVersion: 4, Src: s.Addr(), Dst: d.Addr(), Proto: packet.ProtoTCP, TTL: 64,
		HasTransport: true, SrcPort: s.Port(), DstPort: d.Port(),
		TCP: packet.TCPHeader{Seq: seq, Ack: ack, Flags: flags, Window: 65535, DataOffset: 5}, Payload: payload}, after)
}

// analyze writes the capture to a file and analyzes it; the report must
// follow the schema.
func (f *fixture) analyze() *report.Report {
	f.t.Helper()
	p := filepath.Join(f.t.TempDir(), "fixture.pcap")
	if err := os.WriteFile(p, f.buf.Bytes(), 0o644); err != nil {
		f.t.Fatal(err)
	}
	rep := analyze(f.t, p)
	reporttest.Value(f.t, rep)
	return rep
}

// radiusPkt builds a RADIUS packet.
func radiusPkt(t *testing.T, code radius.Code, id uint8, auth byte, attrs ...radius.Attribute) []byte {
	t.Helper()
	p := radius.Packet{Code: code, Identifier: id, Attributes: attrs}
	for i := range p.Authenticator {
		p.Authenticator[i] = auth + byte(i)
	}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// eapAttrs wraps an EAP packet in EAP-Message attributes (and a
// Message-Authenticator, filled with zeros: its value is not checked).
func eapAttrs(t *testing.T, e *eap.Packet, withMA bool) []radius.Attribute {
	t.Helper()
	attrs := radius.EAPMessageAttributes(e.Marshal())
	if withMA {
		attrs = append(attrs, radius.BytesAttribute(radius.AttrMessageAuthenticator, make([]byte, 16)))
	}
	return attrs
}

func sessionsOf(rep *report.Report, kind string) []*report.Session {
	var out []*report.Session
	for _, s := range rep.Sessions {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

func findingIDs(s *report.Session) map[string]int {
	m := map[string]int{}
	for _, f := range s.Findings {
		m[f.ID]++
	}
	return m
}
