package ipfrag_test

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/ipfrag"
	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
)

var t0 = time.Unix(1700000000, 0)

// TestReassembleCapture reassembles the real fragmented RADIUS exchange in
// testdata (made by make-radius-fragmented.sh: Linux fragmented 3.7 kB
// Access-Requests and 3 kB Access-Challenges over IPv4 and IPv6) and
// compares with tshark's reassembly: the fragment frame numbers, the ports,
// the UDP length and the RADIUS code and identifier. The UDP checksum the
// sending kernel computed must hold over the reassembled datagram.
func TestReassembleCapture(t *testing.T) {
	frames := readPcapng(t, "testdata/radius-fragmented.pcapng")
	col, rows := readOracle(t, "testdata/radius-fragmented.pcapng.tshark.tsv")
	d := packet.NewDecoder()
	r := ipfrag.New(ipfrag.Options{})
	var f packet.Frame
	got := 0
	for _, fr := range frames {
		if err := d.Decode(fr.Link, fr.Data, &f); err != nil {
			t.Fatalf("frame %d: %v", fr.Number, err)
		}
		row := rows[fr.Number]
		if !f.Fragment {
			continue
		}
		payload, members, done, err := r.Add(&f, fr.TS, fr.Number)
		if err != nil {
			t.Fatalf("frame %d: %v", fr.Number, err)
		}
		want := row[col["ip.fragment"]] + row[col["ipv6.fragment"]]
		if !done {
			if want != "" {
				t.Fatalf("frame %d: tshark completed a datagram here, we did not", fr.Number)
			}
			continue
		}
		got++
		var ms []string
		for _, m := range members {
			ms = append(ms, strconv.FormatUint(m, 10))
		}
		if strings.Join(ms, ",") != want {
			t.Errorf("frame %d: fragments %v, tshark %s", fr.Number, ms, want)
		}
		if !udpChecksumOK(&f, payload) {
			t.Errorf("frame %d: UDP checksum fails over the reassembled datagram", fr.Number)
		}
		if err := packet.DecodeTransport(f.Proto, payload, &f); err != nil {
			t.Fatalf("frame %d: DecodeTransport: %v", fr.Number, err)
		}
		for field, ours := range map[string]string{
			"udp.srcport": strconv.Itoa(int(f.SrcPort)), "udp.dstport": strconv.Itoa(int(f.DstPort)),
			"udp.length": strconv.Itoa(8 + len(f.Payload)), "radius.code": strconv.Itoa(int(f.Payload[0])),
			"radius.id": strconv.Itoa(int(f.Payload[1])),
		} {
			if row[col[field]] != ours {
				t.Errorf("frame %d: %s %s, tshark %s", fr.Number, field, ours, row[col[field]])
			}
		}
	}
	if got != 4 {
		t.Fatalf("reassembled %d datagrams, want 4", got)
	}
	if s := r.Stats(); s.Reassembled != 4 || s.Pending != 0 || s.Buffered != 0 || s.Overlaps+s.Conflicts+s.Duplicates != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// TestReassembleCapturePermutations feeds the real fragments of each
// datagram in the capture in every order.
func TestReassembleCapturePermutations(t *testing.T) {
	frames := readPcapng(t, "testdata/radius-fragmented.pcapng")
	groups := map[string][]*packet.Frame{}
	var order []string
	for _, fr := range frames {
		f := decode(t, fr.Link, fr.Data)
		if !f.Fragment {
			continue
		}
		k := fmt.Sprint(f.Src, f.Dst, f.IPID)
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], f)
	}
	if len(order) != 4 {
		t.Fatalf("%d fragmented datagrams in the capture", len(order))
	}
	for _, k := range order {
		fs := groups[k]
		want := reassembleInOrder(t, fs, []int{0, 1, 2})
		for _, perm := range permutations(len(fs)) {
			if got := reassembleInOrder(t, fs, perm); !bytes.Equal(got, want) {
				t.Errorf("%s order %v: different datagram", k, perm)
			}
		}
	}
}

func reassembleInOrder(t *testing.T, fs []*packet.Frame, perm []int) []byte {
	t.Helper()
	r := ipfrag.New(ipfrag.Options{})
	for i, p := range perm {
		payload, members, done, err := r.Add(fs[p], t0, uint64(p+1))
		if err != nil {
			t.Fatal(err)
		}
		if done != (i == len(perm)-1) {
			t.Fatalf("order %v: done=%v after %d fragments", perm, done, i+1)
		}
		if done {
			want := make([]uint64, len(perm))
			for j, q := range perm {
				want[j] = uint64(q + 1)
			}
			if !slices.Equal(members, want) {
				t.Fatalf("order %v: frames %v", perm, members)
			}
			return bytes.Clone(payload)
		}
	}
	return nil
}

func permutations(n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

// TestReassemblePermutations splits gopacket-built UDP datagrams into 3
// and 4 fragments, IPv4 and IPv6, and reassembles them in every order.
func TestReassemblePermutations(t *testing.T) {
	for _, v6 := range []bool{false, true} {
		for _, size := range []int{1480, 1024} {
			dgram := udpDatagram(t, v6, bytes.Repeat([]byte("RADIUS-EAP-TLS-"), 266)[:3990])
			ps := split(t, v6, 0x7777, dgram, size)
			if n := len(ps); n != 3 && n != 4 {
				t.Fatalf("%d fragments", n)
			}
			fs := make([]*packet.Frame, len(ps))
			for i, p := range ps {
				fs[i] = decode(t, packet.LinkEthernet, p.frame)
			}
			perms := permutations(len(ps))
			for _, perm := range perms {
				got := reassembleInOrder(t, fs, perm)
				if !bytes.Equal(got, dgram) {
					t.Fatalf("v6=%v size %d order %v: datagram differs", v6, size, perm)
				}
			}
			var f packet.Frame
			f = *fs[0]
			if err := packet.DecodeTransport(packet.ProtoUDP, dgram, &f); err != nil || f.SrcPort != 1812 || len(f.Payload) != 3990 {
				t.Fatalf("DecodeTransport: %v %d %d", err, f.SrcPort, len(f.Payload))
			}
			t.Logf("v6=%v: %d fragments, %d orders", v6, len(ps), len(perms))
		}
	}
}

// frag makes a Frame for bytes [off, off+len(data)) of IPv4 datagram id.
func frag(id uint32, off int, data []byte, more bool) *packet.Frame {
	return &packet.Frame{IPVersion: 4, Src: mustAddr("10.0.0.1"), Dst: mustAddr("10.0.0.2"), Proto: packet.ProtoUDP,
		IPID: id, Fragment: true, FragOffset: uint32(off), MoreFragments: more, IPPayload: data}
}

func TestReassembleDuplicatesAndOverlaps(t *testing.T) {
	dgram := make([]byte, 3000)
	for i := range dgram {
		dgram[i] = byte(i * 7)
	}
	r := ipfrag.New(ipfrag.Options{})
	steps := []struct {
		f    *packet.Frame
		done bool
	}{
		{frag(1, 1480, dgram[1480:2960], true), false},
		{frag(1, 1480, dgram[1480:2960], true), false},              // duplicate
		{frag(1, 1000, dgram[1000:2000], true), false},              // overlap, agrees, new bytes 1000..1480
		{frag(1, 0, bytes.Repeat([]byte{0xee}, 1200), true), false}, // overlap, conflicts on 1000..1200: first data wins
		{frag(1, 2960, dgram[2960:], false), true},
	}
	var payload []byte
	var members []uint64
	for i, s := range steps {
		var done bool
		var err error
		payload, members, done, err = r.Add(s.f, t0, uint64(i+1))
		if err != nil || done != s.done {
			t.Fatalf("step %d: done %v err %v", i, done, err)
		}
	}
	want := append(bytes.Repeat([]byte{0xee}, 1000), dgram[1000:]...)
	if !bytes.Equal(payload, want) {
		t.Fatal("first data did not win")
	}
	if !slices.Equal(members, []uint64{1, 2, 3, 4, 5}) {
		t.Fatalf("frames %v", members)
	}
	s := r.Stats()
	if s.Duplicates != 1 || s.Overlaps != 2 || s.Conflicts != 1 || s.Reassembled != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestReassembleLastFragmentFirstAndTails(t *testing.T) {
	dgram := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 100)
	r := ipfrag.New(ipfrag.Options{})
	// The last fragment first fixes the end.
	if _, _, done, err := r.Add(frag(2, 400, dgram[400:], false), t0, 1); done || err != nil {
		t.Fatal(done, err)
	}
	// A second "last" fragment with another end contradicts it: ignored.
	if _, _, done, err := r.Add(frag(2, 400, dgram[400:600], false), t0, 2); done || err != nil {
		t.Fatal(done, err)
	}
	// A fragment reaching past the end likewise.
	if _, _, done, err := r.Add(frag(2, 0, append(bytes.Clone(dgram), 9, 9, 9, 9, 9, 9, 9, 9), true), t0, 3); done || err != nil {
		t.Fatal(done, err)
	}
	if s := r.Stats(); s.Conflicts != 2 || s.Pending != 1 {
		t.Fatalf("stats %+v", s)
	}
	payload, members, done, err := r.Add(frag(2, 0, dgram[:400], true), t0, 4)
	if !done || err != nil || !bytes.Equal(payload, dgram) || !slices.Equal(members, []uint64{1, 4}) {
		t.Fatalf("done %v err %v frames %v", done, err, members)
	}
	// A last fragment that ends before data already held is refused.
	r.Add(frag(3, 0, dgram[:400], true), t0, 5)
	if _, _, done, _ := r.Add(frag(3, 200, dgram[200:300], false), t0, 6); done || r.Stats().Conflicts != 3 {
		t.Fatalf("short tail accepted: %+v", r.Stats())
	}
}

func TestReassembleTimeout(t *testing.T) {
	dgram := make([]byte, 1600)
	r := ipfrag.New(ipfrag.Options{Timeout: 30 * time.Second})
	r.Add(frag(4, 0, dgram[:800], true), t0, 1)
	r.Add(frag(5, 0, dgram[:800], true), t0.Add(20*time.Second), 2)
	if n := r.Expire(t0.Add(29 * time.Second)); n != 0 {
		t.Fatalf("expired %d at 29s", n)
	}
	if n := r.Expire(t0.Add(31 * time.Second)); n != 1 {
		t.Fatalf("expired %d at 31s", n)
	}
	// The rest of datagram 4 arrives too late: it starts a new one.
	if _, _, done, _ := r.Add(frag(4, 800, dgram[800:], false), t0.Add(32*time.Second), 3); done {
		t.Fatal("reassembled across a timeout")
	}
	// Datagram 5's ID is reused 40 s after it started: the stale partial
	// datagram is dropped in Add, without Expire.
	if _, _, done, _ := r.Add(frag(5, 800, dgram[800:], false), t0.Add(61*time.Second), 4); done {
		t.Fatal("reassembled across a timeout")
	}
	// Each new partial datagram holds a buffer up to its highest end (1600).
	s := r.Stats()
	if s.TimedOut != 2 || s.Pending != 2 || s.Buffered != 3200 {
		t.Fatalf("stats %+v", s)
	}
	// Wall-clock time plays no part: a capture from 1970 works.
	old := ipfrag.New(ipfrag.Options{})
	old.Add(frag(6, 0, dgram[:800], true), time.Unix(0, 0), 1)
	if _, _, done, err := old.Add(frag(6, 800, dgram[800:], false), time.Unix(1, 0), 2); !done || err != nil {
		t.Fatal("capture-time reassembly failed", err)
	}
}

func TestReassembleCaps(t *testing.T) {
	data := make([]byte, 1000)
	r := ipfrag.New(ipfrag.Options{MaxDatagrams: 2, MaxBytes: 2500})
	if _, _, _, err := r.Add(frag(1, 0, data, true), t0, 1); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := r.Add(frag(2, 0, data, true), t0, 2); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := r.Add(frag(3, 0, data, true), t0, 3); dissect.KindOf(err) != dissect.CapExceeded {
		t.Fatalf("third datagram: %v", err)
	}
	// 2000 bytes held: 1000 more would pass 2500.
	if _, _, _, err := r.Add(frag(1, 1000, data, true), t0, 4); dissect.KindOf(err) != dissect.CapExceeded {
		t.Fatalf("byte cap: %v", err)
	}
	// 400 more fit.
	if _, _, _, err := r.Add(frag(1, 1000, data[:400], true), t0, 5); err != nil {
		t.Fatal(err)
	}
	s := r.Stats()
	if s.DroppedCap != 2 || s.Pending != 2 || s.Buffered != 2400 {
		t.Fatalf("stats %+v", s)
	}
	// Fragments per datagram are capped too.
	r = ipfrag.New(ipfrag.Options{})
	var err error
	for i := 0; i <= ipfrag.MaxFragments && err == nil; i++ {
		_, _, _, err = r.Add(frag(9, 0, data[:8], true), t0, uint64(i))
	}
	if dissect.KindOf(err) != dissect.CapExceeded {
		t.Fatalf("fragment cap: %v", err)
	}
}

func TestReassembleMalformed(t *testing.T) {
	r := ipfrag.New(ipfrag.Options{})
	r.Add(frag(1, 0, make([]byte, 1480), true), t0, 1)
	// Ends at 65528 + 16 > 65515: a datagram over 65535 bytes.
	_, _, _, err := r.Add(frag(1, 65528, make([]byte, 16), false), t0, 2)
	if dissect.KindOf(err) != dissect.Malformed {
		t.Fatalf("oversized: %v", err)
	}
	if s := r.Stats(); s.Malformed != 1 || s.Pending != 0 || s.Buffered != 0 {
		t.Fatalf("the oversized datagram was not dropped: %+v", s)
	}
	// IPv6 allows 65527 payload bytes after its Fragment header.
	f6 := &packet.Frame{IPVersion: 6, Src: mustAddr("::1"), Dst: mustAddr("::2"), Proto: 17, Fragment: true,
		FragOffset: 65520, IPPayload: make([]byte, 7)}
	if _, _, _, err := r.Add(f6, t0, 3); err != nil {
		t.Fatalf("IPv6 fragment ending at 65527: %v", err)
	}
	f6.IPPayload = make([]byte, 8)
	if _, _, _, err := r.Add(f6, t0, 4); dissect.KindOf(err) != dissect.Malformed {
		t.Fatalf("IPv6 fragment ending at 65528: %v", err)
	}
	// Not a fragment.
	if _, _, _, err := r.Add(&packet.Frame{IPVersion: 4}, t0, 5); dissect.KindOf(err) != dissect.Malformed {
		t.Fatalf("not a fragment: %v", err)
	}
	// A fragment the capture cut short is not used.
	f := frag(7, 0, make([]byte, 100), true)
	f.Truncated = true
	if _, _, _, err := r.Add(f, t0, 6); dissect.KindOf(err) != dissect.Truncated {
		t.Fatalf("truncated fragment: %v", err)
	}
}

// TestReassembleKeys checks that fragments of different datagrams never
// mix: same ID with another source, destination, protocol or IP version.
func TestReassembleKeys(t *testing.T) {
	r := ipfrag.New(ipfrag.Options{})
	a := frag(1, 0, make([]byte, 8), true)
	variants := []*packet.Frame{frag(1, 8, make([]byte, 8), false), frag(1, 8, make([]byte, 8), false),
		frag(1, 8, make([]byte, 8), false), frag(1, 8, make([]byte, 8), false)}
	variants[0].Src = mustAddr("10.0.0.9")
	variants[1].Dst = mustAddr("10.0.0.9")
	variants[2].Proto = packet.ProtoTCP
	variants[3].IPID = 2
	r.Add(a, t0, 1)
	for i, v := range variants {
		if _, _, done, _ := r.Add(v, t0, uint64(i+2)); done {
			t.Fatalf("variant %d completed another datagram", i)
		}
	}
	if r.Stats().Pending != 5 {
		t.Fatalf("pending %d", r.Stats().Pending)
	}
}

// TestReturnedSlicesValidUntilNextCall checks the documented lifetime: the
// payload survives until the next Add, and reuse does not corrupt later
// datagrams.
func TestReturnedSlicesValidUntilNextCall(t *testing.T) {
	r := ipfrag.New(ipfrag.Options{})
	for i := range 50 {
		a := bytes.Repeat([]byte{byte(i)}, 16)
		r.Add(frag(uint32(i), 0, a[:8], true), t0, 1)
		p, _, done, _ := r.Add(frag(uint32(i), 8, a[8:], false), t0, 2)
		if !done || !bytes.Equal(p, a) {
			t.Fatalf("datagram %d: %x", i, p)
		}
	}
}
