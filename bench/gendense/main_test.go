package main

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/sessionscope/sscope/bench/internal/capgen"
	"github.com/sessionscope/sscope/bench/internal/captest"
)

const corpusDir = "../../../shared/corpus"

func loadTemplate(t testing.TB, rel string, id int) *capgen.Template {
	t.Helper()
	p := filepath.Join(corpusDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus capture %s not available", rel)
	}
	tpl, err := capgen.LoadTemplate(p, capgen.LoadOptions{MaxGap: 10 * time.Second, RADIUSOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	tpl.ID = id
	return tpl
}

// denseCopy is what the test sees of one copy in the output.
type denseCopy struct {
	template int
	times    []time.Time
	ids      []byte
	calling  map[string]bool
	ports    map[uint16]bool
}

// The dense capture is all RADIUS from the templates: every copy complete,
// with its own NAS address, port, Calling-Station-Id and identifiers, the
// template's relative timing, many copies open at once, and (with the
// templates' secret) authenticators that verify in tshark.
func TestGenerateDense(t *testing.T) {
	const secret = "testing123"
	cfg := config{
		size: 1 << 20, seed: 5, concurrent: 60, pause: 100 * time.Millisecond,
		start: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC), secret: []byte(secret),
		templates: []*capgen.Template{
			loadTemplate(t, "zeek/Traces/radius/radius_localhost.pcap", 1),
			loadTemplate(t, "tcpdump/RADIUS.pcap", 2),
		},
	}
	var out bytes.Buffer
	st, err := generate(&out, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if st.bytes < cfg.size || st.maxOpen != cfg.concurrent {
		t.Fatalf("%d bytes (target %d), at most %d open (want %d)", st.bytes, cfg.size, st.maxOpen, cfg.concurrent)
	}
	var again bytes.Buffer
	if _, err := generate(&again, cfg); err != nil || !bytes.Equal(again.Bytes(), out.Bytes()) {
		t.Fatalf("same seed gave a different file (err %v)", err)
	}

	frames := captest.ReadPcap(t, out.Bytes())
	copies := map[netip.Addr]*denseCopy{}
	var prev time.Time
	responses := 0
	for i, f := range frames {
		if f.Time.Before(prev) {
			t.Fatalf("frame %d goes back in time", i+1)
		}
		prev = f.Time
		pkt := gopacket.NewPacket(f.Data, layers.LinkTypeEthernet, gopacket.Default)
		if el := pkt.ErrorLayer(); el != nil {
			t.Fatalf("frame %d: %v", i+1, el.Error())
		}
		captest.CheckChecksums(t, pkt)
		ip, _ := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		udp, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
		r, _ := pkt.Layer(layers.LayerTypeRADIUS).(*layers.RADIUS)
		if ip == nil || udp == nil || r == nil {
			t.Fatalf("frame %d is not RADIUS over UDP/IPv4: %v", i+1, pkt)
		}
		nas := netip.AddrPortFrom(netip.AddrFrom4([4]byte(ip.SrcIP.To4())), uint16(udp.SrcPort))
		server := netip.AddrFrom4([4]byte(ip.DstIP.To4()))
		if udp.SrcPort == 1812 {
			nas = netip.AddrPortFrom(netip.AddrFrom4([4]byte(ip.DstIP.To4())), uint16(udp.DstPort))
			server = netip.AddrFrom4([4]byte(ip.SrcIP.To4()))
			responses++
		}
		c := copies[nas.Addr()]
		if c == nil {
			c = &denseCopy{template: int(server.As4()[2]), calling: map[string]bool{}, ports: map[uint16]bool{}}
			copies[nas.Addr()] = c
		}
		c.ports[nas.Port()] = true
		c.times = append(c.times, f.Time)
		c.ids = append(c.ids, byte(r.Identifier))
		for _, a := range r.Attributes {
			switch a.Type {
			case layers.RADIUSAttributeTypeCallingStationId:
				c.calling[string(a.Value)] = true
			case layers.RADIUSAttributeTypeNASIPAddress:
				if a := netip.AddrFrom4([4]byte(a.Value)); a != nas.Addr() {
					t.Fatalf("frame %d: NAS-IP-Address %v, NAS is %v", i+1, a, nas.Addr())
				}
			}
		}
	}

	perTemplate := map[int]int{}
	callings := map[string]bool{}
	type span struct{ from, to time.Time }
	var spans []span
	for nas, c := range copies {
		tpl := cfg.templates[c.template-1]
		perTemplate[c.template]++
		if len(c.times) != len(tpl.Frames) {
			t.Fatalf("copy %v of %s: %d frames, want %d", nas, tpl.Path, len(c.times), len(tpl.Frames))
		}
		if len(c.ports) != templatePorts(tpl) {
			t.Fatalf("copy %v: NAS ports %v, the template has %d", nas, c.ports, templatePorts(tpl))
		}
		for p := range c.ports {
			if p < 20000 || p >= 60000 {
				t.Fatalf("copy %v: NAS port %d outside the copies' range", nas, p)
			}
		}
		for v := range c.calling {
			if len(c.calling) != 1 || callings[v] {
				t.Fatalf("Calling-Station-Id %q not unique to one copy (%v)", v, c.calling)
			}
			callings[v] = true
		}
		for j := range c.times {
			want := tpl.Frames[j].Offset - tpl.Frames[0].Offset
			if d := c.times[j].Sub(c.times[0]).Nanoseconds() - want; d > 1000 || d < -1000 {
				t.Fatalf("copy %v frame %d: off by %d ns from the template timing", nas, j, d)
			}
			orig := tpl.Frames[j].Packet[tpl.Frames[j].L4+8+1]
			if c.ids[j]-orig != c.ids[0]-tpl.Frames[0].Packet[tpl.Frames[0].L4+8+1] {
				t.Fatalf("copy %v: identifiers not shifted by one constant", nas)
			}
		}
		spans = append(spans, span{c.times[0], c.times[len(c.times)-1]})
	}
	for i, tpl := range cfg.templates {
		if int64(perTemplate[tpl.ID]) != st.copies[i] {
			t.Errorf("%s: %d copies in the file, %d made", tpl.Path, perTemplate[tpl.ID], st.copies[i])
		}
	}
	if len(callings) != int(st.copies[1]) {
		t.Errorf("%d distinct Calling-Station-Ids for %d copies of RADIUS.pcap", len(callings), st.copies[1])
	}
	// Most of the configured conversations are open at the busiest instant.
	sort.Slice(spans, func(i, j int) bool { return spans[i].from.Before(spans[j].from) })
	busiest := 0
	for i := range spans {
		open := 0
		for j := 0; j <= i; j++ {
			if !spans[j].to.Before(spans[i].from) {
				open++
			}
		}
		busiest = max(busiest, open)
	}
	if busiest < cfg.concurrent*3/4 {
		t.Errorf("at most %d conversations open at once, configured %d", busiest, cfg.concurrent)
	}
	t.Logf("%d frames, %d copies, %d open at the busiest instant, %.0fs of capture",
		len(frames), len(copies), busiest, frames[len(frames)-1].Time.Sub(frames[0].Time).Seconds())

	// tshark reads every frame as RADIUS and, given the secret, finds every
	// Response Authenticator valid.
	path := captest.WriteTemp(t, "dense.pcap", out.Bytes())
	if n := len(captest.Lines(captest.Tshark(t, "-r", path, "-Y", "radius", "-T", "fields", "-e", "frame.number"))); n != len(frames) {
		t.Errorf("tshark counts %d RADIUS packets of %d frames", n, len(frames))
	}
	valid := captest.Lines(captest.Tshark(t, "-r", path, "-o", "radius.shared_secret:"+secret,
		"-o", "radius.validate_authenticator:TRUE", "-Y", "radius.authenticator.valid == 1", "-T", "fields", "-e", "frame.number"))
	if len(valid) != responses {
		t.Errorf("tshark finds %d valid Response Authenticators of %d responses", len(valid), responses)
	}
	bad := captest.Tshark(t, "-r", path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
		"-Y", "ip.checksum.status==0 || udp.checksum.status==0 || _ws.malformed || _ws.expert.severity >= error")
	if bad != "" {
		t.Errorf("tshark flags frames:\n%s", bad)
	}
}

// templatePorts counts the distinct NAS ports of a template.
func templatePorts(tpl *capgen.Template) int {
	ports := map[uint16]bool{}
	for _, f := range tpl.Frames {
		l4 := f.Packet[f.L4:]
		if f.RemapSrcPort {
			ports[uint16(l4[0])<<8|uint16(l4[1])] = true
		}
	}
	return len(ports)
}

func TestTemplateWithoutRADIUSIsRejected(t *testing.T) {
	p := filepath.Join(corpusDir, "arkime/openssl-tls1_2.pcap")
	if _, err := os.Stat(p); err != nil {
		t.Skip("corpus not available")
	}
	if _, err := capgen.LoadTemplate(p, capgen.LoadOptions{RADIUSOnly: true}); err == nil {
		t.Fatal("a TLS-only capture loaded as a RADIUS template")
	}
	if _, err := generate(&bytes.Buffer{}, config{size: 1 << 20}); err == nil {
		t.Fatal("generate ran without templates")
	}
}

func BenchmarkGenerateDense(b *testing.B) {
	cfg := config{size: 32 << 20, seed: 1, concurrent: 200, pause: 100 * time.Millisecond,
		start: time.Unix(1.7e9, 0), templates: []*capgen.Template{
			loadTemplate(b, "zeek/Traces/radius/radius_localhost.pcap", 1),
			loadTemplate(b, "tcpdump/RADIUS.pcap", 2),
		}}
	for b.Loop() {
		st, err := generate(discard{}, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(st.bytes)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
