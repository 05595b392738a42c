package live

import (
	"bytes"
	"fmt"
	"net/netip"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

// libpcap's compiler (through dumpcap -d) is the oracle: every expression
// below must accept exactly the frames libpcap's program accepts, over the
// frames of the sample captures and a set of made-up frames (IPv6, ARP,
// GRE, fragments, VLAN tags, TCP flags).

var oracleExprs = []string{
	"udp port 1812",
	"port 443",
	"tcp port 443",
	"tcp dst port 443",
	"udp src port 1812",
	"udp port radius",
	"host 10.20.0.10",
	"src host 10.20.0.2",
	"dst host 10.20.0.10",
	"ip host 10.20.0.2",
	"arp host 10.20.0.10",
	"rarp src host 10.20.0.2",
	"host 2001:db8::1",
	"ip6 src host 2001:db8::2",
	"net 10.20.0.0/16",
	"src net 10.0.0.0/8",
	"src and dst net 10.20.0.0/24",
	"ip6 net 2001:db8::/32",
	"ip6 dst net 2001:db8::/33",
	"net 2001:db8::2/128",
	"ip net 10.20.0.2",
	"src and dst net 2001:db8::/64",
	"ether host 02:00:5e:20:00:51",
	"ether src 02:00:5e:20:00:51",
	"ether dst 02:00:5e:14:00:02",
	"tcp", "udp", "ip", "ip6", "arp", "rarp", "icmp", "icmp6", "sctp",
	"proto gre",
	"ip proto 47",
	"ip6 proto 17",
	"ip6 proto 44",
	"ether proto 0x888e",
	"tcp[13] & 2 != 0",
	"tcp[13] = 0x12",
	"udp[8] < 5",
	"ip[6:2] & 0x1fff != 0",
	"ip[8] >= 64",
	"ether[0] & 1 = 1",
	"ip6[6] <= 17",
	"icmp[0] > 3",
	"udp port 1812 or 1813 and host 10.20.0.10",
	"host 10.20.0.2 and (port 1812 or 1813)",
	"not udp port 1812",
	"!(tcp or udp)",
	"not tcp and not udp",
	"src or dst port 443",
	"tcp and not port 443 or arp",
	"port 1812 || port 443 && src net 10.20.0.0/24",
	DefaultFilter([]uint16{1812, 1813, 1645, 1646, 3799}, []uint16{443}),
}

func TestFilterMatchesLibpcap(t *testing.T) {
	if _, err := exec.LookPath("dumpcap"); err != nil {
		t.Skip("dumpcap (Wireshark) not installed: libpcap's compiler is the oracle for capture filters")
	}
	if _, err := libpcapProgram("udp"); err != nil {
		t.Skipf("dumpcap cannot compile filters here (needs capture rights on lo): %v", err)
	}
	frames := oracleFrames(t)
	if len(frames) < 200 {
		t.Fatalf("only %d frames in the corpus", len(frames))
	}
	wants, errs := libpcapPrograms(oracleExprs)
	for i, expr := range oracleExprs {
		want, err := wants[i], errs[i]
		if err != nil {
			t.Errorf("%q: libpcap: %v", expr, err)
			continue
		}
		wvm, err := bpf.NewVM(want)
		if err != nil {
			t.Errorf("%q: libpcap program does not load: %v", expr, err)
			continue
		}
		f, err := CompileFilter(expr)
		if err != nil {
			t.Errorf("%q: %v", expr, err)
			continue
		}
		accepted := 0
		for i, fr := range frames {
			n, err := wvm.Run(fr.data)
			if err != nil {
				t.Fatalf("%q: libpcap program: %v", expr, err)
			}
			got := f.Match(fr.data)
			if got != (n > 0) {
				t.Errorf("%q: frame %d (%s): sscope says %v, libpcap %v", expr, i, fr.what, got, n > 0)
			}
			if got {
				accepted++
			}
		}
		if accepted == 0 || accepted == len(frames) {
			t.Errorf("%q accepts %d of %d frames: the corpus does not tell it apart", expr, accepted, len(frames))
		}
	}
}

// Expressions libpcap refuses are refused here too.
func TestFilterRejectsWhatLibpcapRejects(t *testing.T) {
	if _, err := exec.LookPath("dumpcap"); err != nil {
		t.Skip("dumpcap (Wireshark) not installed: libpcap's compiler is the oracle for capture filters")
	}
	bad := []string{
		"udp prt 1812", "udp port", "udp port 1812 and", "host 10.0.0.1 and (", "tcp host 10.0.0.1",
		"port 70000", "(udp", "udp)", "and udp", "net 10.0.0.1/8", "gre", "tcp[13] &", "ether",
		"not", "port 1812 or or 1813", "ip6 host 10.0.0.1", "ether proto 100x",
	}
	_, errs := libpcapPrograms(bad)
	for i, expr := range bad {
		if errs[i] == nil {
			t.Errorf("%q: libpcap accepts it; the list is wrong", expr)
		}
		if _, err := CompileFilter(expr); err == nil {
			t.Errorf("%q: accepted", expr)
		}
	}
}

type oracleFrame struct {
	data []byte
	what string
}

func oracleFrames(t *testing.T) []oracleFrame {
	t.Helper()
	var out []oracleFrame
	paths, _ := filepath.Glob("../../samples/scenarios/*.pcapng")
	labs, _ := filepath.Glob("../../samples/lab/captures/*.pcapng")
	for _, path := range append(paths, labs...) {
		r, err := source.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var p source.Packet
		for r.Next(&p) == nil {
			if p.Link != packet.LinkEthernet {
				continue
			}
			out = append(out, oracleFrame{append([]byte(nil), p.Data...), fmt.Sprintf("%s #%d", filepath.Base(path), p.Frame)})
		}
		r.Close()
	}
	return append(out, madeUpFrames(t)...)
}

// madeUpFrames covers what the samples lack.
func madeUpFrames(t testing.TB) []oracleFrame {
	t.Helper()
	var out []oracleFrame
	add := func(f *packet.Frame, what string) {
		f.Link = packet.LinkEthernet
		f.SrcMAC = [6]byte{0x02, 0x00, 0x5e, 0x20, 0x00, 0x51}
		f.DstMAC = [6]byte{0x02, 0x00, 0x5e, 0x14, 0x00, 0x02}
		b, err := f.Marshal()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		out = append(out, oracleFrame{b, what})
		r := *f
		r.SrcMAC, r.DstMAC = f.DstMAC, f.SrcMAC
		if b, err = r.Marshal(); err == nil {
			out = append(out, oracleFrame{b, what + " (MACs swapped)"})
		}
	}
	addrs := [][2]string{{"10.20.0.2", "10.20.0.10"}, {"10.99.1.1", "192.0.2.7"}, {"2001:db8::2", "2001:db8::1"}, {"2001:db9::5", "fe80::1"}}
	ports := []uint16{1812, 1813, 443, 500, 4500, 53, 3799, 50000}
	for _, ap := range addrs {
		src, dst := netip.MustParseAddr(ap[0]), netip.MustParseAddr(ap[1])
		ver := uint8(4)
		if src.Is6() {
			ver = 6
		}
		for _, proto := range []uint8{packet.ProtoTCP, packet.ProtoUDP} {
			for _, sp := range ports {
				for _, flags := range []uint8{packet.TCPFlagSYN, packet.TCPFlagSYN | packet.TCPFlagACK, packet.TCPFlagACK} {
					f := &packet.Frame{IPVersion: ver, Src: src, Dst: dst, Proto: proto, TTL: 64, HasTransport: true,
						SrcPort: 50000 + sp%7, DstPort: sp, Payload: []byte{byte(sp), 0, 1, 2, 3, 4, 5, 6, 7}}
					if proto == packet.ProtoTCP {
						f.TCP.Flags = flags
						f.TCP.Seq = 1000
					} else if flags != packet.TCPFlagSYN {
						continue
					}
					add(f, fmt.Sprintf("v%d proto %d %d→%d flags %#x", ver, proto, f.SrcPort, sp, flags))
					g := *f
					g.SrcPort, g.DstPort = sp, 40000
					g.Src, g.Dst = dst, src
					add(&g, fmt.Sprintf("v%d proto %d %d→40000 reversed", ver, proto, sp))
				}
			}
		}
		// GRE, ICMP, SCTP and ESP as raw IP payloads.
		for _, proto := range []uint8{47, 1, 58, 132, 50} {
			add(&packet.Frame{IPVersion: ver, Src: src, Dst: dst, Proto: proto, TTL: 64, IPPayload: []byte{3, 0, 0x88, 0xbe, 0, 0, 0, 0}}, fmt.Sprintf("v%d proto %d", ver, proto))
		}
		// Fragments: the first (ports present) and a later one.
		add(&packet.Frame{IPVersion: ver, Src: src, Dst: dst, Proto: packet.ProtoUDP, TTL: 64, Fragment: true, MoreFragments: true, IPID: 77,
			IPPayload: []byte{0x07, 0x14, 0x07, 0x14, 0, 40, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}}, fmt.Sprintf("v%d first fragment", ver))
		add(&packet.Frame{IPVersion: ver, Src: src, Dst: dst, Proto: packet.ProtoUDP, TTL: 64, Fragment: true, FragOffset: 1480, IPID: 77,
			IPPayload: []byte{0x07, 0x14, 0x07, 0x14, 0, 40, 0, 0}}, fmt.Sprintf("v%d later fragment", ver))
		// A VLAN-tagged RADIUS packet.
		add(&packet.Frame{IPVersion: ver, Src: src, Dst: dst, Proto: packet.ProtoUDP, TTL: 64, HasTransport: true, SrcPort: 1645, DstPort: 1812,
			VLANs: [packet.MaxVLANs]uint16{20}, NVLAN: 1, Payload: []byte{1, 2, 0, 20}}, fmt.Sprintf("v%d vlan 20 radius", ver))
	}
	// ARP and RARP for 10.20.0.2 asking for 10.20.0.10, and EAPOL.
	arp := []byte{0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0x5e, 0x20, 0, 0x51, 10, 20, 0, 2, 0, 0, 0, 0, 0, 0, 10, 20, 0, 10}
	add(&packet.Frame{EtherType: 0x0806, EtherPayload: arp}, "arp")
	add(&packet.Frame{EtherType: 0x8035, EtherPayload: arp}, "rarp")
	add(&packet.Frame{EtherType: 0x888e, EtherPayload: []byte{2, 0, 0, 5, 1, 1, 0, 5, 1}}, "eapol")
	// An echo request and a broadcast.
	add(&packet.Frame{IPVersion: 4, Src: netip.MustParseAddr("10.20.0.2"), Dst: netip.MustParseAddr("10.20.0.10"), Proto: 1, TTL: 64, IPPayload: []byte{8, 0, 0, 0, 0, 1, 0, 1}}, "icmp echo")
	bcast := &packet.Frame{Link: packet.LinkEthernet, SrcMAC: [6]byte{2, 0, 0x5e, 0x20, 0, 0x51}, DstMAC: [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, EtherType: 0x0806, EtherPayload: arp}
	if b, err := bcast.Marshal(); err == nil {
		out = append(out, oracleFrame{b, "broadcast arp"})
	}
	return out
}

// libpcapPrograms compiles the expressions with a few dumpcaps at once.
func libpcapPrograms(exprs []string) ([][]bpf.Instruction, []error) {
	progs := make([][]bpf.Instruction, len(exprs))
	errs := make([]error, len(exprs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, e := range exprs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			progs[i], errs[i] = libpcapProgram(e)
		}()
	}
	wg.Wait()
	return progs, errs
}

// libpcapProgram compiles expr with dumpcap -d and reads its listing.
func libpcapProgram(expr string) ([]bpf.Instruction, error) {
	cmd := exec.Command("dumpcap", "-i", "lo", "-d", "-f", expr)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(errb.String()))
	}
	return parseListing(out.String())
}

var listingLine = regexp.MustCompile(`^\((\d+)\)\s+(\w+)\s+(.*?)\s*$`)

// parseListing reads the bpf_dump(3) listing of a program.
func parseListing(s string) ([]bpf.Instruction, error) {
	var prog []bpf.Instruction
	for _, line := range strings.Split(s, "\n") {
		m := listingLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		idx, _ := strconv.Atoi(m[1])
		op, arg := m[2], m[3]
		in, err := listingInstruction(idx, op, arg)
		if err != nil {
			return nil, fmt.Errorf("line %q: %v", line, err)
		}
		prog = append(prog, in)
	}
	if len(prog) == 0 {
		return nil, fmt.Errorf("no program in %q", s)
	}
	return prog, nil
}

func listingInstruction(idx int, op, arg string) (bpf.Instruction, error) {
	num := func(s string) (uint32, error) {
		v, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(s), "#"), 0, 32)
		return uint32(v), err
	}
	size := map[string]int{"ld": 4, "ldh": 2, "ldb": 1}
	switch op {
	case "ld", "ldh", "ldb":
		inner := strings.TrimSuffix(strings.TrimPrefix(arg, "["), "]")
		if strings.HasPrefix(inner, "x + ") {
			off, err := num(strings.TrimPrefix(inner, "x + "))
			return bpf.LoadIndirect{Off: off, Size: size[op]}, err
		}
		if strings.HasPrefix(arg, "#") {
			v, err := num(arg)
			return bpf.LoadConstant{Dst: bpf.RegA, Val: v}, err
		}
		off, err := num(inner)
		return bpf.LoadAbsolute{Off: off, Size: size[op]}, err
	case "ldxb":
		var off uint32
		if _, err := fmt.Sscanf(arg, "4*([%d]&0xf)", &off); err != nil {
			return nil, err
		}
		return bpf.LoadMemShift{Off: off}, nil
	case "and":
		v, err := num(arg)
		return bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: v}, err
	case "ret":
		v, err := num(arg)
		return bpf.RetConstant{Val: v}, err
	case "ja":
		v, err := num(arg)
		return bpf.Jump{Skip: v - uint32(idx+1)}, err
	case "jeq", "jgt", "jge", "jset":
		var val string
		var jt, jf int
		if _, err := fmt.Sscanf(arg, "%s jt %d jf %d", &val, &jt, &jf); err != nil {
			return nil, err
		}
		v, err := num(val)
		if err != nil {
			return nil, err
		}
		cond := map[string]bpf.JumpTest{"jeq": bpf.JumpEqual, "jgt": bpf.JumpGreaterThan, "jge": bpf.JumpGreaterOrEqual, "jset": bpf.JumpBitsSet}[op]
		return bpf.JumpIf{Cond: cond, Val: v, SkipTrue: uint8(jt - idx - 1), SkipFalse: uint8(jf - idx - 1)}, nil
	}
	return nil, fmt.Errorf("opcode %q not read by this test", op)
}
