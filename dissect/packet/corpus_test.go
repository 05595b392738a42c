package packet_test

import (
	"path/filepath"
	"testing"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
)

// TestDecodeCorpus decodes every frame of every corpus capture and compares
// the UDP/TCP ports with tshark's oracle, frame by frame.
func TestDecodeCorpus(t *testing.T) {
	d := packet.NewDecoder()
	var f packet.Frame
	var frames, compared, fragments, quoted int
	errs := map[string]int{}
	links := map[packet.LinkType]int{}
	for _, c := range corpusCaptures(t) {
		fs, readErr := readCapture(filepath.Join(corpusDir, c.File))
		if readErr != nil {
			t.Logf("%s: read %d frames, then: %v", c.File, len(fs), readErr)
		}
		orc, err := readOracle(filepath.Join(corpusDir, c.Oracle))
		if err != nil {
			t.Fatalf("%s: %v", c.Oracle, err)
		}
		if readErr == nil && len(fs) != len(orc.rows) {
			t.Errorf("%s: read %d frames, tshark %d", c.File, len(fs), len(orc.rows))
		}
		for _, fr := range fs {
			frames++
			links[fr.Link]++
			err := d.Decode(fr.Link, fr.Data, &f)
			if err != nil {
				errs[dissect.KindOf(err).String()+" "+err.(*dissect.Error).Layer]++
				t.Logf("%s #%d: %v", c.File, fr.Number, err)
			}
			for _, proto := range []struct {
				num  uint8
				name string
			}{{packet.ProtoUDP, "udp"}, {packet.ProtoTCP, "tcp"}} {
				srcs, dsts := orc.ints(fr.Number, proto.name+".srcport"), orc.ints(fr.Number, proto.name+".dstport")
				ours := f.HasTransport && f.Proto == proto.num
				switch {
				case ours && len(srcs) > 0:
					// Ours is the outermost UDP/TCP header tshark shows,
					// unless we stripped a tunnel tshark shows the
					// outer header of (VXLAN): then it is a later one.
					i := 0
					for ; i < len(srcs) && i < len(dsts); i++ {
						if srcs[i] == int(f.SrcPort) && dsts[i] == int(f.DstPort) {
							break
						}
					}
					if i == len(srcs) || i == len(dsts) || (i > 0 && !hasTunnel(&f, packet.TunnelVXLAN)) {
						t.Errorf("%s #%d: %s ports %d→%d, tshark %v→%v", c.File, fr.Number, proto.name, f.SrcPort, f.DstPort, srcs, dsts)
					}
					compared++
				case ours && f.Fragment:
					// tshark reassembled: it shows the ports on the last
					// fragment.
					fragments++
				case ours:
					t.Errorf("%s #%d: we decoded %s ports %d→%d, tshark none", c.File, fr.Number, proto.name, f.SrcPort, f.DstPort)
				case len(srcs) > 0 && f.Fragment:
					fragments++
				case len(srcs) > 0 && (f.Proto == packet.ProtoICMP || f.Proto == packet.ProtoICMPv6):
					// The header quoted in an ICMP error.
					quoted++
				case len(srcs) > 0 && err != nil:
					// tshark shows what it could of a header we reject.
				case len(srcs) > 0:
					t.Errorf("%s #%d: tshark sees %s ports %v→%v, we decoded none (proto %d, link %s)", c.File, fr.Number, proto.name, srcs, dsts, f.Proto, fr.Link)
				}
			}
		}
	}
	t.Logf("%d frames (%v), %d port pairs agree with tshark, %d fragments, %d ICMP-quoted; errors %v", frames, links, compared, fragments, quoted, errs)
	if compared < 5000 {
		t.Errorf("only %d port pairs compared", compared)
	}
}

func hasTunnel(f *packet.Frame, t packet.Tunnel) bool {
	for _, x := range f.TunnelList() {
		if x == t {
			return true
		}
	}
	return false
}
