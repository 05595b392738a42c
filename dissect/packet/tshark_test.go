package packet_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/dissect/packet"
)

func needTshark(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: the oracle comparison needs it")
	}
	return path
}

// tsharkFields runs tshark over a capture and returns, per frame, each
// field's values (tshark joins repeated values with commas).
func tsharkFields(t *testing.T, tshark, file string, fields []string, opts ...string) []map[string][]string {
	t.Helper()
	args := append([]string{"-r", file, "-T", "fields", "-E", "header=n", "-E", "occurrence=a", "-E", "aggregator=,"}, opts...)
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("tshark %s: %v: %s", file, err, stderr)
	}
	var rows []map[string][]string
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		cells := strings.Split(line, "\t")
		row := map[string][]string{}
		for i, f := range fields {
			if i < len(cells) && cells[i] != "" {
				row[f] = strings.Split(cells[i], ",")
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func last(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// TestDecodeBuiltFramesAgainstTshark writes every built frame to a capture
// of its link type and checks Decode's innermost addresses, ports, VLANs,
// fragment fields and tunnel identifiers against tshark's dissection.
func TestDecodeBuiltFramesAgainstTshark(t *testing.T) {
	tshark := needTshark(t)
	byLink := map[packet.LinkType][]decodeCase{}
	for _, c := range decodeCases(t) {
		if c.decoder == nil && c.noTshark == "" {
			byLink[c.link] = append(byLink[c.link], c)
		}
	}
	fields := []string{"eth.src", "sll.src.eth", "ieee8021ad.id", "vlan.id", "ip.src", "ip.dst", "ip.ttl", "ip.id", "ip.flags.mf",
		"ip.frag_offset", "ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.fraghdr.ident", "ipv6.fraghdr.offset",
		"ipv6.fraghdr.more", "udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport", "tcp.seq_raw",
		"tcp.ack_raw", "tcp.flags", "tcp.window_size_value", "tcp.hdr_len", "erspan.spanid", "vxlan.vni",
		"udp.length", "tcp.len"}
	dir := t.TempDir()
	d := packet.NewDecoder()
	compared := 0
	for link, cs := range byLink {
		file := filepath.Join(dir, fmt.Sprintf("link%d.pcap", link))
		out, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		w := pcapgo.NewWriter(out)
		if err := w.WriteFileHeader(65535, layers.LinkType(link)); err != nil {
			t.Fatal(err)
		}
		for i, c := range cs {
			ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 0), CaptureLength: len(c.data), Length: len(c.data)}
			if err := w.WritePacket(ci, c.data); err != nil {
				t.Fatal(err)
			}
		}
		out.Close()
		rows := tsharkFields(t, tshark, file, fields, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE")
		if len(rows) != len(cs) {
			t.Fatalf("%s: tshark gave %d rows for %d frames", link, len(rows), len(cs))
		}
		for i, c := range cs {
			var f packet.Frame
			if err := d.Decode(c.link, c.data, &f); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for _, diff := range compareWithTshark(&f, rows[i]) {
				t.Errorf("%s: %s", c.name, diff)
			}
			compared++
		}
	}
	t.Logf("%d built frames compared with tshark", compared)
}

// compareWithTshark compares the innermost layers of f with the last value
// of each tshark field.
func compareWithTshark(f *packet.Frame, row map[string][]string) []string {
	var diffs []string
	check := func(what, want, got string) {
		if want != got {
			diffs = append(diffs, fmt.Sprintf("%s: tshark %q, ours %q", what, want, got))
		}
	}
	u := func(v uint64) string { return strconv.FormatUint(v, 10) }
	if f.HasMAC {
		field := "eth.src"
		if f.Link == packet.LinkLinuxSLL || f.Link == packet.LinkLinuxSLL2 {
			field = "sll.src.eth"
		}
		check(field, last(row[field]), fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", f.SrcMAC[0], f.SrcMAC[1], f.SrcMAC[2], f.SrcMAC[3], f.SrcMAC[4], f.SrcMAC[5]))
	}
	// tshark names 802.1ad (0x88a8) tags ieee8021ad.id; the built frames
	// put them outside the 802.1Q ones.
	vlans := append(row["ieee8021ad.id"], row["vlan.id"]...)
	var ours []string
	for _, v := range f.VLANList() {
		ours = append(ours, u(uint64(v)))
	}
	if len(ours) > len(vlans) || !slices.Equal(vlans[len(vlans)-len(ours):], ours) {
		diffs = append(diffs, fmt.Sprintf("vlan.id: tshark %v, ours %v (innermost)", vlans, ours))
	}
	switch f.IPVersion {
	case 4:
		check("ip.src", last(row["ip.src"]), f.Src.String())
		check("ip.dst", last(row["ip.dst"]), f.Dst.String())
		check("ip.ttl", last(row["ip.ttl"]), u(uint64(f.TTL)))
		id, _ := strconv.ParseUint(strings.TrimPrefix(last(row["ip.id"]), "0x"), 16, 32)
		check("ip.id", u(id), u(uint64(f.IPID)))
		check("ip.frag_offset", last(row["ip.frag_offset"]), u(uint64(f.FragOffset/8))) // tshark 4.0 counts 8-byte units
		check("ip.flags.mf", last(row["ip.flags.mf"]), map[bool]string{true: "1", false: "0"}[f.MoreFragments])
	case 6:
		check("ipv6.src", last(row["ipv6.src"]), f.Src.String())
		check("ipv6.dst", last(row["ipv6.dst"]), f.Dst.String())
		check("ipv6.hlim", last(row["ipv6.hlim"]), u(uint64(f.TTL)))
		if row["ipv6.fraghdr.ident"] != nil || f.IPID != 0 {
			id, _ := strconv.ParseUint(strings.TrimPrefix(last(row["ipv6.fraghdr.ident"]), "0x"), 16, 32)
			check("ipv6.fraghdr.ident", u(id), u(uint64(f.IPID)))
			check("ipv6.fraghdr.offset", last(row["ipv6.fraghdr.offset"]), u(uint64(f.FragOffset/8)))
			check("ipv6.fraghdr.more", last(row["ipv6.fraghdr.more"]), map[bool]string{true: "1", false: "0"}[f.MoreFragments])
		}
	}
	switch {
	case f.HasTransport && f.Proto == packet.ProtoUDP:
		check("udp.srcport", last(row["udp.srcport"]), u(uint64(f.SrcPort)))
		check("udp.dstport", last(row["udp.dstport"]), u(uint64(f.DstPort)))
		if !f.Fragment {
			check("udp.length", last(row["udp.length"]), u(uint64(8+len(f.Payload))))
		}
	case f.HasTransport && f.Proto == packet.ProtoTCP:
		check("tcp.srcport", last(row["tcp.srcport"]), u(uint64(f.SrcPort)))
		check("tcp.dstport", last(row["tcp.dstport"]), u(uint64(f.DstPort)))
		check("tcp.seq_raw", last(row["tcp.seq_raw"]), u(uint64(f.TCP.Seq)))
		check("tcp.ack_raw", last(row["tcp.ack_raw"]), u(uint64(f.TCP.Ack)))
		flags, _ := strconv.ParseUint(strings.TrimPrefix(last(row["tcp.flags"]), "0x"), 16, 16)
		check("tcp.flags", u(flags&0xff), u(uint64(f.TCP.Flags)))
		check("tcp.window_size_value", last(row["tcp.window_size_value"]), u(uint64(f.TCP.Window)))
		check("tcp.hdr_len", last(row["tcp.hdr_len"]), u(uint64(f.TCP.DataOffset)*4))
		check("tcp.len", last(row["tcp.len"]), u(uint64(len(f.Payload))))
	default:
		if row["udp.srcport"] != nil || row["tcp.srcport"] != nil {
			diffs = append(diffs, fmt.Sprintf("tshark sees ports %v %v, we decoded none (proto %d)", row["udp.srcport"], row["tcp.srcport"], f.Proto))
		}
	}
	for i, tun := range f.TunnelList() {
		switch tun {
		case packet.TunnelERSPAN2, packet.TunnelERSPAN3:
			check("erspan.spanid", last(row["erspan.spanid"]), u(uint64(f.ERSPANSession)))
		case packet.TunnelVXLAN:
			check("vxlan.vni", last(row["vxlan.vni"]), u(uint64(f.VXLANVNI)))
		}
		_ = i
	}
	return diffs
}
