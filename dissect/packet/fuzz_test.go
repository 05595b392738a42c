package packet_test

import (
	"path/filepath"
	"testing"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
)

// linkSeeds are the link types FuzzDecode tries each input as.
var linkSeeds = []packet.LinkType{packet.LinkEthernet, packet.LinkLinuxSLL, packet.LinkLinuxSLL2,
	packet.LinkNull, packet.LinkLoop, packet.LinkRaw, packet.LinkIPv4, packet.LinkIPv6}

// FuzzDecode decodes arbitrary bytes as every supported link type. Seeds:
// frames from corpus captures of every link type they hold (Ethernet,
// Linux SLL, BSD loopback, raw IP) and the built frames (tunnels, SLL2,
// fragments, extension headers).
func FuzzDecode(f *testing.F) {
	perFile := 4
	for _, c := range corpusCaptures(f) {
		fs, _ := readCapture(filepath.Join(corpusDir, c.File))
		for i, fr := range fs {
			if i == perFile {
				break
			}
			f.Add(uint8(indexOfLink(fr.Link)), fr.Data)
		}
	}
	for _, c := range decodeCases(f) {
		f.Add(uint8(indexOfLink(c.link)), c.data)
	}
	d := packet.NewDecoder()
	var fr packet.Frame
	f.Fuzz(func(t *testing.T, link uint8, data []byte) {
		lt := linkSeeds[int(link)%len(linkSeeds)]
		err := d.Decode(lt, data, &fr)
		if err != nil {
			if _, ok := err.(*dissect.Error); !ok {
				t.Fatalf("error %T is not a *dissect.Error: %v", err, err)
			}
		}
		checkFrameInvariants(t, data, &fr)
		if fr.IPVersion != 0 && (fr.Proto == packet.ProtoUDP || fr.Proto == packet.ProtoTCP) {
			var g packet.Frame
			_ = packet.DecodeTransport(fr.Proto, fr.IPPayload, &g)
			checkFrameInvariants(t, data, &g)
		}
	})
}

func indexOfLink(l packet.LinkType) int {
	for i, x := range linkSeeds {
		if x == l {
			return i
		}
	}
	return 0
}

// checkFrameInvariants checks what must hold for any input: slices lie
// inside the input, counts within their arrays, payloads within the IP
// payload.
func checkFrameInvariants(t *testing.T, data []byte, f *packet.Frame) {
	t.Helper()
	if f.NVLAN > packet.MaxVLANs || f.NTunnel > packet.MaxTunnels {
		t.Fatalf("NVLAN %d NTunnel %d", f.NVLAN, f.NTunnel)
	}
	for name, s := range map[string][]byte{"IPPayload": f.IPPayload, "Payload": f.Payload, "TCP.Raw": f.TCP.Raw, "EtherPayload": f.EtherPayload} {
		if len(s) > len(data) {
			t.Fatalf("%s is %d bytes, input %d", name, len(s), len(data))
		}
	}
	if f.IPVersion != 0 && f.IPVersion != 4 && f.IPVersion != 6 {
		t.Fatalf("IPVersion %d", f.IPVersion)
	}
	if f.IPVersion == 4 && (!f.Src.Is4() || !f.Dst.Is4()) || f.IPVersion == 6 && (!f.Src.Is6() || !f.Dst.Is6()) {
		t.Fatalf("IPVersion %d with %v→%v", f.IPVersion, f.Src, f.Dst)
	}
	if f.TCP.Raw != nil && len(f.TCP.Raw) != int(f.TCP.DataOffset)*4 {
		t.Fatalf("TCP.Raw %d bytes, data offset %d", len(f.TCP.Raw), f.TCP.DataOffset)
	}
	if f.Fragment != (f.MoreFragments || f.FragOffset != 0) {
		t.Fatalf("Fragment %v MoreFragments %v FragOffset %d", f.Fragment, f.MoreFragments, f.FragOffset)
	}
	if f.FragOffset != 0 && f.HasTransport {
		t.Fatal("transport header decoded from a fragment that is not the first")
	}
}
