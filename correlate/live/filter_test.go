package live

import (
	"errors"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate/source"
)

func TestFilterErrorsPointAtTheToken(t *testing.T) {
	for _, c := range []struct {
		expr, token, msg string
	}{
		{"udp prt 1812", "prt", `did you mean "port"?`},
		{"udp port 18x2", "18x2", "not a port number"},
		{"udp port 70000", "70000", "out of range"},
		{"udp port", "", "ends where a port number was expected"},
		{"udp port 1812 and", "and", "must be followed by a primitive"},
		{"(udp", "(", "never closed"},
		{"udp)", ")", "closes nothing"},
		{"portrange 1-5", "portrange", "not supported"},
		{"udp and vlan", "vlan", "not supported"},
		{"host radius.example.com", "radius.example.com", "host names are not looked up"},
		{"ether host 10.0.0.1", "10.0.0.1", "not a MAC address"},
		{"host 02:00:5e:20:00:51", "02:00:5e:20:00:51", "ether host"},
		{"ip6 host 10.0.0.1", "10.0.0.1", "IPv4 address"},
		{"net 10.0.0.1/8", "10.0.0.1/8", "the network is 10.0.0.0/8"},
		{"tcp host 10.0.0.1", "10.0.0.1", "tcp and host"},
		{"tcp[13] & 2", "", "comparison"},
		{"tcp[1:3] = 0", "3", "1, 2 or 4"},
		{"udp port 1812 ∧ tcp", "∧", "unexpected"},
		{"ip proto 300", "300", "out of range"},
		{"ether proto 100", "100", "802.3 length"},
		{"udp and (tcp or)", "or", "must be followed by a primitive"},
		{"not", "not", "must be followed by a primitive"},
		{"()", ")", "empty parentheses"},
	} {
		_, err := CompileFilter(c.expr)
		var fe *FilterError
		if !errors.As(err, &fe) {
			t.Errorf("%q: error %v, want a *FilterError", c.expr, err)
			continue
		}
		if got := c.expr[min(fe.Pos, len(c.expr)):min(fe.End, len(c.expr))]; got != c.token {
			t.Errorf("%q: points at %q (%d-%d), want %q", c.expr, got, fe.Pos, fe.End, c.token)
		}
		if !strings.Contains(fe.Error(), c.msg) {
			t.Errorf("%q: %q does not say %q", c.expr, fe.Error(), c.msg)
		}
	}
}

func TestFilterErrorMarked(t *testing.T) {
	_, err := CompileFilter("udp prt 1812")
	var fe *FilterError
	if !errors.As(err, &fe) {
		t.Fatal(err)
	}
	want := "udp prt 1812\n    ^^^"
	if got := fe.Marked(); got != want {
		t.Errorf("Marked:\n%s\nwant\n%s", got, want)
	}
	if !strings.HasPrefix(fe.Error(), "bad capture filter at column 5: ") {
		t.Errorf("Error: %s", fe.Error())
	}
	// Columns count characters, not bytes.
	_, err = CompileFilter("udp port 1812 ∧ tcp")
	if !errors.As(err, &fe) {
		t.Fatal(err)
	}
	if want := "udp port 1812 ∧ tcp\n              ^"; fe.Marked() != want {
		t.Errorf("Marked:\n%s\nwant\n%s", fe.Marked(), want)
	}
}

// The default filter keeps every frame of the RADIUS and TLS samples and
// none of the made-up frames of other protocols.
func TestDefaultFilterKeepsTheAnalyzedProtocols(t *testing.T) {
	expr := DefaultFilter([]uint16{1812, 1813, 1645, 1646, 3799}, []uint16{443})
	want := "udp port 1812 or 1813 or 1645 or 1646 or 3799 or 443 or 500 or 4500 or tcp port 443 or proto gre or ip[6:2] & 0x1fff != 0 or ip6 proto 44"
	if expr != want {
		t.Errorf("DefaultFilter:\n%s\nwant\n%s", expr, want)
	}
	f, err := CompileFilter(expr)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"../../samples/scenarios/P3.pcapng", "../../samples/scenarios/T1.pcapng", "../../samples/lab/captures/P2.pcapng"} {
		r, err := source.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var p source.Packet
		n := 0
		for r.Next(&p) == nil {
			n++
			if !f.Match(p.Data) {
				t.Errorf("%s frame %d dropped by the default filter", path, p.Frame)
			}
		}
		r.Close()
		if n == 0 {
			t.Errorf("%s: no frames", path)
		}
	}
	kept := map[string]bool{}
	for _, fr := range madeUpFrames(t) {
		kept[fr.what] = f.Match(fr.data)
	}
	for what, want := range map[string]bool{
		"arp": false, "eapol": false, "icmp echo": false,
		"v4 proto 17 50006→1812 flags 0x2": true, "v6 proto 17 50006→1812 flags 0x2": true,
		"v4 proto 6 50004→53 flags 0x2": false, "v4 proto 6 50002→443 flags 0x2": true,
		"v4 proto 17 50004→53 flags 0x2": false, "v4 proto 47": true, "v6 proto 47": true,
		"v4 later fragment": true, "v6 later fragment": true, "v4 proto 1": false,
	} {
		got, ok := kept[what]
		if !ok {
			t.Errorf("no made-up frame %q", what)
			continue
		}
		if got != want {
			t.Errorf("%s: kept %v, want %v", what, got, want)
		}
	}
}

func TestEmptyFilterCapturesEverything(t *testing.T) {
	for _, expr := range []string{"", "   "} {
		f, err := CompileFilter(expr)
		if err != nil {
			t.Fatal(err)
		}
		if f.Raw() != nil || !f.Match([]byte{1, 2, 3}) {
			t.Errorf("%q: not a capture-everything filter", expr)
		}
	}
}

func TestFilterPrecedenceIsLeftToRight(t *testing.T) {
	// "a or b and c" is "(a or b) and c" in tcpdump.
	left, err := CompileFilter("(arp or udp) and tcp")
	if err != nil {
		t.Fatal(err)
	}
	flat, err := CompileFilter("arp or udp and tcp")
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range madeUpFrames(t) {
		if left.Match(fr.data) != flat.Match(fr.data) {
			t.Errorf("%s: grouping differs", fr.what)
		}
		if flat.Match(fr.data) {
			t.Errorf("%s: '(arp or udp) and tcp' matches nothing", fr.what)
		}
	}
}
