package capgen

import (
	"bufio"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

// oracleTransportRows counts the frames of a corpus capture that tshark
// read as UDP or TCP (its per-frame oracle file), which is what a template
// keeps.
func oracleTransportRows(t *testing.T, rel string) int {
	t.Helper()
	f, err := os.Open(corpus(t, rel) + ".tshark.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	n := 0
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) > 6 && (c[3] != "" || c[5] != "") {
			n++
		}
	}
	return n
}

func TestLoadTemplateKeepsWhatTsharkSeesAsTransport(t *testing.T) {
	for _, rel := range corpusTemplates {
		tpl := loadCorpus(t, rel, LoadOptions{})
		if want := oracleTransportRows(t, rel); len(tpl.Frames) != want {
			t.Errorf("%s: %d frames kept, tshark oracle has %d TCP/UDP frames", rel, len(tpl.Frames), want)
		}
		if tpl.Dropped != 0 {
			t.Errorf("%s: %d frames dropped", rel, tpl.Dropped)
		}
	}
}

// radius_localhost.pcap is a NULL/loopback capture in which 127.0.0.1
// talks to itself: the loader must split it into a client host and a
// server host, pair every response with its request, and clamp its long
// idle gaps.
func TestLoadTemplateLoopbackRADIUS(t *testing.T) {
	tpl := loadCorpus(t, "zeek/Traces/radius/radius_localhost.pcap", LoadOptions{MaxGap: 10 * time.Second})
	if len(tpl.Frames) != 19 || tpl.RADIUSFrames != 19 {
		t.Fatalf("%d frames, %d RADIUS; want 19, 19", len(tpl.Frames), tpl.RADIUSFrames)
	}
	if len(tpl.Hosts) != 2 || tpl.ClientHosts() != 1 {
		t.Fatalf("hosts %+v; want one client and one server host", tpl.Hosts)
	}
	lo := netip.MustParseAddr("127.0.0.1")
	for i, f := range tpl.Frames {
		if tpl.Hosts[f.Src].Addr != lo || tpl.Hosts[f.Dst].Addr != lo {
			t.Fatalf("frame %d: hosts %v -> %v", i, tpl.Hosts[f.Src].Addr, tpl.Hosts[f.Dst].Addr)
		}
		fromClient := tpl.Hosts[f.Src].ClientSide
		if fromClient == tpl.Hosts[f.Dst].ClientSide {
			t.Fatalf("frame %d: both ends on the same side", i)
		}
		// Requests go to 1812 from the client; the client port is remapped.
		if f.RemapSrcPort != fromClient || f.RemapDstPort == fromClient {
			t.Errorf("frame %d: remap src %v dst %v, from client %v", i, f.RemapSrcPort, f.RemapDstPort, fromClient)
		}
	}
	// Responses (1-based frames 2,4,6,8,10,12,14,19) answer the request
	// just before them; frames 15-17 are unanswered retransmissions.
	wantReq := map[int]int{1: 0, 3: 2, 5: 4, 7: 6, 9: 8, 11: 10, 13: 12, 18: 17}
	for i, f := range tpl.Frames {
		want, ok := wantReq[i]
		if !ok {
			want = -1
		}
		if f.Request != want {
			t.Errorf("frame %d: Request = %d, want %d", i, f.Request, want)
		}
	}
	// Gaps: 1.004913s kept, the 72.5s gap before frame 5 clamped to 10s,
	// the 5s retransmission interval (frames 15->16) kept.
	if d := tpl.Frames[3].Offset - tpl.Frames[2].Offset; d != 1004913000 {
		t.Errorf("gap 3->4 = %d ns, want 1004913000", d)
	}
	if d := tpl.Frames[4].Offset - tpl.Frames[3].Offset; d != int64(10*time.Second) {
		t.Errorf("gap 4->5 = %d ns, want clamped 10s", d)
	}
	if d := tpl.Frames[15].Offset - tpl.Frames[14].Offset; d != 5004208000 {
		t.Errorf("gap 15->16 = %d ns, want 5004208000", d)
	}
}

// In the TLS capture the SYN decides the roles: 10.0.0.1 is the client,
// the 443 side is the server and keeps its port.
func TestLoadTemplateTLSRoles(t *testing.T) {
	tpl := loadCorpus(t, "arkime/openssl-tls1_2.pcap", LoadOptions{})
	client := netip.MustParseAddr("10.0.0.1")
	for i, f := range tpl.Frames {
		src := tpl.Hosts[f.Src]
		if (src.Addr == client) != src.ClientSide {
			t.Fatalf("frame %d: host %v client side %v", i, src.Addr, src.ClientSide)
		}
		if f.RemapSrcPort != src.ClientSide || f.RemapDstPort == src.ClientSide {
			t.Fatalf("frame %d: port remap src %v dst %v", i, f.RemapSrcPort, f.RemapDstPort)
		}
		if !f.Whole || f.Proto != 6 || f.RADIUS {
			t.Fatalf("frame %d: %+v", i, f)
		}
	}
}

func TestLoadTemplateRADIUSOnlyDropsTLS(t *testing.T) {
	if _, err := LoadTemplate(corpus(t, "arkime/openssl-tls1_2.pcap"), LoadOptions{RADIUSOnly: true}); err == nil {
		t.Fatal("a capture without RADIUS loaded as a RADIUS-only template")
	}
	tpl := loadCorpus(t, "tcpdump/RADIUS.pcap", LoadOptions{RADIUSOnly: true})
	if len(tpl.Frames) != 4 || tpl.RADIUSFrames != 4 {
		t.Fatalf("%d frames, %d RADIUS", len(tpl.Frames), tpl.RADIUSFrames)
	}
}

func TestReadTemplateRejectsGarbage(t *testing.T) {
	for _, in := range []string{"", "abc", "\xd4\xc3\xb2\xa1 short", strings.Repeat("\x00", 64)} {
		if _, err := ReadTemplate(strings.NewReader(in), LoadOptions{}); err == nil {
			t.Errorf("ReadTemplate(%q) succeeded", in)
		}
	}
}
