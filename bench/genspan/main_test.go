package main

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/sessionscope/sscope/bench/internal/capgen"
	"github.com/sessionscope/sscope/bench/internal/captest"
)

const corpusDir = "../../../shared/corpus"

// The corpus captures the benchmark script uses as default templates.
var corpusTemplates = []string{
	"zeek/Traces/radius/radius_localhost.pcap",
	"tcpdump/RADIUS.pcap",
	"arkime/openssl-tls1_2.pcap",
	"arkime/tls-client-sessionid.pcap",
}

func loadTemplates(t testing.TB) []*capgen.Template {
	t.Helper()
	var out []*capgen.Template
	for i, rel := range corpusTemplates {
		p := filepath.Join(corpusDir, rel)
		if _, err := os.Stat(p); err != nil {
			t.Skipf("corpus capture %s not available", rel)
		}
		tpl, err := capgen.LoadTemplate(p, capgen.LoadOptions{MaxGap: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		tpl.ID = i + 1
		out = append(out, tpl)
	}
	return out
}

// smallConfig is a few-megabyte span capture whose timestamps run slowly
// enough (0.3 Mbit/s) for every template, even the 70-second one, to fit.
func smallConfig(t testing.TB) config {
	return config{
		size: 4 << 20, seed: 3, rate: 0.3e6, copiesPerGiB: 5000, flows: 400,
		start:     time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC),
		templates: loadTemplates(t),
	}
}

// copyFrame is a frame of a template copy seen in the output.
type copyFrame struct {
	ts    time.Time
	radio bool // carries RADIUS
}

func TestGenerateSpan(t *testing.T) {
	cfg := smallConfig(t)
	var out bytes.Buffer
	st, err := generate(&out, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if int64(out.Len()) != st.bytes || st.bytes < cfg.size {
		t.Fatalf("wrote %d bytes, stats say %d, target %d", out.Len(), st.bytes, cfg.size)
	}
	var again bytes.Buffer
	if _, err := generate(&again, cfg); err != nil || !bytes.Equal(out.Bytes(), again.Bytes()) {
		t.Fatalf("same seed gave a different file (err %v)", err)
	}

	frames := captest.ReadPcap(t, out.Bytes())
	if int64(len(frames)) != st.packets {
		t.Fatalf("read %d records, wrote %d", len(frames), st.packets)
	}
	var (
		encaps                   = map[string]int{}
		checksums, dns, arp      int
		clientHellos, midFlow443 int
		synSeen                  = map[[2]gopacket.Endpoint]bool{}
		copies                   = map[int]map[netip.Addr][]copyFrame{} // template ID -> client -> frames
		prev                     time.Time
		sizes                    int
	)
	tcp443 := map[[2]gopacket.Endpoint]bool{}
	for i, f := range frames {
		sizes += len(f.Data)
		if f.Time.Before(prev) && !isCopyFrame(f.Data) {
			// Background frames are in time order; copies of templates may
			// only run past the end of the background.
			t.Fatalf("frame %d goes back in time", i+1)
		}
		if !isCopyFrame(f.Data) {
			prev = f.Time
		}
		pkt := gopacket.NewPacket(f.Data, layers.LinkTypeEthernet, gopacket.Default)
		checksums += captest.CheckChecksums(t, pkt)
		if pkt.Layer(layers.LayerTypeARP) != nil {
			arp++
			continue
		}
		kind := "plain"
		switch {
		case pkt.Layer(layers.LayerTypeERSPANII) != nil:
			kind = "erspan"
		case len(dot1qs(pkt)) == 2:
			kind = "qinq"
		case len(dot1qs(pkt)) == 1:
			kind = "vlan"
		}
		encaps[kind]++
		var ip *layers.IPv4
		for _, l := range pkt.Layers() {
			if l, ok := l.(*layers.IPv4); ok {
				ip = l
			}
		}
		if ip == nil {
			t.Fatalf("frame %d: no IPv4: %v", i+1, pkt)
		}
		if el := pkt.ErrorLayer(); el != nil {
			// Only application payloads that are not what their port
			// suggests may fail (random bytes or mid-record data on 443).
			tcp, _ := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
			if tcp == nil || (tcp.SrcPort != 443 && tcp.DstPort != 443) {
				t.Fatalf("frame %d: decode error %v: %v", i+1, el.Error(), pkt)
			}
		}
		if d, ok := pkt.Layer(layers.LayerTypeDNS).(*layers.DNS); ok {
			dns++
			if len(d.Questions) != 1 || (d.QR && len(d.Answers) == 0) {
				t.Fatalf("frame %d: DNS %+v", i+1, d)
			}
		}
		src, dst := netip.AddrFrom4([4]byte(ip.SrcIP.To4())), netip.AddrFrom4([4]byte(ip.DstIP.To4()))
		if id, client, ok := copyOf(src, dst); ok {
			if copies[id] == nil {
				copies[id] = map[netip.Addr][]copyFrame{}
			}
			copies[id][client] = append(copies[id][client], copyFrame{ts: f.Time, radio: pkt.Layer(layers.LayerTypeRADIUS) != nil})
			continue
		}
		if tcp, ok := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP); ok && (tcp.SrcPort == 443 || tcp.DstPort == 443) {
			key := [2]gopacket.Endpoint{ip.NetworkFlow().Src(), tcp.TransportFlow().Src()}
			if tcp.DstPort == 443 {
				if tcp.SYN {
					synSeen[key] = true
				}
				if !tcp443[key] && !tcp.SYN {
					midFlow443++ // first packet of a client on 443 without a SYN
				}
				tcp443[key] = true
				if p := tcp.Payload; len(p) > 5 && p[0] == 22 && p[5] == 1 {
					clientHellos++
				}
			}
		}
	}
	avg := sizes / len(frames)
	t.Logf("%d frames, avg %d B, encaps %v, %d DNS, %d ARP, %d ClientHellos, %d mid-flow 443 flows, %d checksums verified",
		len(frames), avg, encaps, dns, arp, clientHellos, midFlow443, checksums)
	for _, k := range []string{"plain", "vlan", "qinq", "erspan"} {
		if encaps[k] == 0 {
			t.Errorf("no %s frames", k)
		}
	}
	if dns == 0 || arp == 0 || clientHellos == 0 || midFlow443 == 0 || len(synSeen) == 0 {
		t.Errorf("missing background traffic: dns %d arp %d ClientHellos %d mid-flow 443 %d", dns, arp, clientHellos, midFlow443)
	}
	if avg < 400 || avg > 1000 {
		t.Errorf("average frame %d B, want roughly 700", avg)
	}

	// Every started copy of every template is complete, has its own client
	// address and keeps the template's relative timing (to the microsecond).
	wantRADIUS := 0
	for i, tpl := range cfg.templates {
		got := copies[tpl.ID]
		if int64(len(got)) != st.copies[i] || st.copies[i] == 0 {
			t.Errorf("%s: %d copies in the file, %d started", tpl.Path, len(got), st.copies[i])
		}
		for client, fs := range got {
			if len(fs) != len(tpl.Frames) {
				t.Fatalf("%s copy at %v: %d frames, template has %d", tpl.Path, client, len(fs), len(tpl.Frames))
			}
			for j := range fs {
				want := tpl.Frames[j].Offset - tpl.Frames[0].Offset
				gotOff := fs[j].ts.Sub(fs[0].ts).Nanoseconds()
				if d := gotOff - want; d > 1000 || d < -1000 {
					t.Fatalf("%s copy at %v frame %d: offset %d ns, template %d ns", tpl.Path, client, j, gotOff, want)
				}
				if fs[j].radio {
					wantRADIUS++
				}
			}
		}
		if want := int(st.copies[i]) * tpl.RADIUSFrames; tpl.RADIUSFrames > 0 && countRADIUS(got) != want {
			t.Errorf("%s: %d RADIUS frames decoded by gopacket, want %d", tpl.Path, countRADIUS(got), want)
		}
	}

	// The tshark oracle reads the file without complaint, finds every
	// checksum good, and counts the same RADIUS packets and ClientHellos.
	path := captest.WriteTemp(t, "span.pcap", out.Bytes())
	bad := captest.Tshark(t, "-r", path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
		"-o", "udp.check_checksum:TRUE", "-Y", "ip.checksum.status==0 || tcp.checksum.status==0 || udp.checksum.status==0 || _ws.malformed || _ws.expert.severity >= error")
	if bad != "" {
		t.Errorf("tshark flags frames:\n%s", bad)
	}
	if n := len(captest.Lines(captest.Tshark(t, "-r", path, "-Y", "radius", "-T", "fields", "-e", "frame.number"))); n != wantRADIUS {
		t.Errorf("tshark counts %d RADIUS packets, want %d", n, wantRADIUS)
	}
	chs := captest.Lines(captest.Tshark(t, "-r", path, "-Y", "tls.handshake.type == 1 && tcp.dstport == 443 && !(ip.dst == 10.250.0.0/16)", "-T", "fields", "-e", "frame.number"))
	if len(chs) != clientHellos {
		t.Errorf("tshark sees %d ClientHellos outside the copies, the test found %d", len(chs), clientHellos)
	}
}

// isCopyFrame reports whether a frame belongs to a template copy (its
// server side is in 10.250.0.0/16), looking past any encapsulation.
func isCopyFrame(data []byte) bool {
	pkt := gopacket.NewPacket(data, layers.LinkTypeEthernet, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	var ip *layers.IPv4
	for _, l := range pkt.Layers() {
		if l, ok := l.(*layers.IPv4); ok {
			ip = l
		}
	}
	if ip == nil {
		return false
	}
	_, _, ok := copyOf(netip.AddrFrom4([4]byte(ip.SrcIP.To4())), netip.AddrFrom4([4]byte(ip.DstIP.To4())))
	return ok
}

// copyOf identifies a template copy by its addresses: the server side is
// 10.250.ID.x, the client side in 10.64.0.0/10.
func copyOf(src, dst netip.Addr) (id int, client netip.Addr, ok bool) {
	servers, clients := netip.MustParsePrefix("10.250.0.0/16"), netip.MustParsePrefix("10.64.0.0/10")
	switch {
	case servers.Contains(dst) && clients.Contains(src):
		return int(dst.As4()[2]), src, true
	case servers.Contains(src) && clients.Contains(dst):
		return int(src.As4()[2]), dst, true
	}
	return 0, netip.Addr{}, false
}

func countRADIUS(copies map[netip.Addr][]copyFrame) int {
	n := 0
	for _, fs := range copies {
		for _, f := range fs {
			if f.radio {
				n++
			}
		}
	}
	return n
}

func dot1qs(pkt gopacket.Packet) []*layers.Dot1Q {
	var out []*layers.Dot1Q
	for _, l := range pkt.Layers() {
		if d, ok := l.(*layers.Dot1Q); ok {
			out = append(out, d)
		}
	}
	return out
}

// The message filler produces TLS records with correct headers at every
// record boundary, whatever the segment boundaries.
func TestTLSFillerRecordFraming(t *testing.T) {
	pool := make([]byte, poolSize+poolSlack)
	for _, body := range []int{1, 23, 24, 100, 16408, 16409, 50000} {
		var m message
		m.tlsRecords(body, tlsRecord)
		var stream []byte
		for m.remaining() > 0 {
			n := min(1+len(stream)%1448, m.remaining())
			seg := make([]byte, n)
			m.read(seg, pool)
			stream = append(stream, seg...)
		}
		total := 0
		for s := stream; len(s) > 0; {
			if len(s) < 5 || s[0] != 23 || s[1] != 3 || s[2] != 3 {
				t.Fatalf("body %d: bad record header at %d", body, len(stream)-len(s))
			}
			l := int(binary.BigEndian.Uint16(s[3:]))
			if l > tlsRecord || l < 24 || len(s) < 5+l {
				t.Fatalf("body %d: record length %d with %d bytes left", body, l, len(s))
			}
			total += l
			s = s[5+l:]
		}
		if total < body || total > body+23 {
			t.Fatalf("body %d: records carry %d bytes", body, total)
		}
	}
}

// Generating must not allocate per packet once the flows are set up: the
// marginal allocations between a small and a larger file come from
// starting flows (TLS handshake messages are built with cryptobyte), so
// they are bounded per new flow and stay well below one per packet.
func TestGenerateAllocatesPerFlowNotPerPacket(t *testing.T) {
	cfg := smallConfig(t)
	cfg.templates = nil
	run := func(size int64) (allocs float64, packets, flows int64) {
		cfg.size = size
		allocs = testing.AllocsPerRun(1, func() {
			st, err := generate(discard{}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			packets = st.packets
			flows = 0
			for _, n := range st.flows {
				flows += n
			}
		})
		return allocs, packets, flows
	}
	a1, p1, f1 := run(2 << 20)
	a2, p2, f2 := run(34 << 20)
	perPacket, perFlow := (a2-a1)/float64(p2-p1), (a2-a1)/float64(f2-f1)
	t.Logf("%.0f allocations for %d extra packets, %d extra flows (%.4f per packet, %.1f per flow)",
		a2-a1, p2-p1, f2-f1, perPacket, perFlow)
	if perPacket > 0.25 || perFlow > 40 {
		t.Errorf("%.4f allocations per packet, %.1f per flow", perPacket, perFlow)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func BenchmarkGenerate(b *testing.B) {
	cfg := smallConfig(b)
	cfg.size = 64 << 20
	cfg.rate = 1e9
	for b.Loop() {
		st, err := generate(discard{}, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(st.bytes)
		b.ReportMetric(float64(st.packets), "packets/op")
	}
}
