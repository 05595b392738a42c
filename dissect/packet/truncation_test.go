package packet_test

import (
	"path/filepath"
	"testing"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
)

// truncationSamples returns real frames (the first few well-formed UDP/TCP
// frames of every corpus capture) and every built frame.
func truncationSamples(t *testing.T) []capturedFrame {
	var out []capturedFrame
	d := packet.NewDecoder()
	var f packet.Frame
	for _, c := range corpusCaptures(t) {
		fs, _ := readCapture(filepath.Join(corpusDir, c.File))
		n := 0
		for _, fr := range fs {
			if n == 3 {
				break
			}
			if d.Decode(fr.Link, fr.Data, &f) == nil && f.HasTransport && !f.Truncated {
				out = append(out, fr)
				n++
			}
		}
	}
	for _, c := range decodeCases(t) {
		if c.decoder == nil {
			out = append(out, capturedFrame{Link: c.link, Data: c.data})
		}
	}
	return out
}

// ipEnd is where the IP datagram f describes ends in data.
// data's capacity must equal its length.
func ipEnd(data []byte, f *packet.Frame) int {
	return cap(data) - cap(f.IPPayload) + len(f.IPPayload)
}

// TestDecodeTruncatedAtEveryByte cuts real frames at every byte boundary:
// Decode must not panic, and a cut before the end of the IP datagram must
// be reported (Truncated set or a Truncated error); a cut after it (in the
// Ethernet padding) must not change the decode.
func TestDecodeTruncatedAtEveryByte(t *testing.T) {
	d := packet.NewDecoder()
	var full, f packet.Frame
	samples := truncationSamples(t)
	cuts := 0
	for _, s := range samples {
		data := s.Data[:len(s.Data):len(s.Data)] // so that ipEnd can use capacities
		if err := d.Decode(s.Link, data, &full); err != nil {
			t.Fatalf("%s frame: %v", s.Link, err)
		}
		// Where the outermost IP datagram ends: a tunnelled frame has
		// its own padding inside the outer datagram.
		// Frames without IP (EAPOL, ARP) declare no length: they only
		// must not panic.
		end := -1
		var outer packet.Frame
		if (&packet.Decoder{}).Decode(s.Link, data, &outer) == nil && outer.IPVersion != 0 {
			end = ipEnd(data, &outer)
		}
		for n := 0; n < len(data); n++ {
			cut := append([]byte(nil), data[:n]...) // its own array: no reading past n
			err := d.Decode(s.Link, cut, &f)
			cuts++
			if end < 0 {
				continue
			}
			if n < end {
				if !f.Truncated && dissect.KindOf(err) != dissect.Truncated {
					t.Fatalf("%s frame of %d bytes cut at %d (IP ends at %d): Truncated %v, err %v", s.Link, len(data), n, end, f.Truncated, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s frame cut at %d after the IP datagram: %v", s.Link, n, err)
			}
			if f.SrcPort != full.SrcPort || f.DstPort != full.DstPort || len(f.Payload) != len(full.Payload) || f.Truncated {
				t.Fatalf("%s frame of %d bytes (IP ends at %d) cut at %d after the IP datagram decodes differently: ports %d→%d payload %d truncated %v tunnels %v; full %d→%d payload %d", s.Link, len(data), end, n, f.SrcPort, f.DstPort, len(f.Payload), f.Truncated, f.TunnelList(), full.SrcPort, full.DstPort, len(full.Payload))
			}
		}
	}
	t.Logf("%d frames, %d cuts", len(samples), cuts)
}
