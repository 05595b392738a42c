package live

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/bpf"
)

// FilterHelp lists what capture filters can say; the command's help shows it.
const FilterHelp = `Capture filters use tcpdump syntax (pcap-filter(7)) for an Ethernet link:
  [ip|ip6|arp|rarp] [src|dst] host ADDRESS     ether [src|dst] host MAC
  [ip|ip6] [src|dst] net NETWORK/BITS          [tcp|udp|sctp] [src|dst] port N
  ip|ip6|arp|rarp|tcp|udp|sctp|icmp|icmp6      [ip|ip6] proto N   ether proto N
  ether|ip|ip6|tcp|udp|icmp[OFFSET:SIZE] [& MASK] =|!=|<|<=|>|>= VALUE
combined with not (!), and (&&), or (||) and parentheses; "and" and "or" have
equal precedence and group left to right, as in tcpdump; an id alone repeats
the qualifiers before it ("udp port 1812 or 1813"). Host names are not looked
up; portrange, vlan, less/greater and arithmetic are not supported.`

// Filter is a compiled capture filter.
type Filter struct {
	// Expr is the expression as given; "" captures everything.
	Expr string
	// Program is the classic BPF program for an Ethernet link layer; nil
	// when Expr is empty.
	Program []bpf.Instruction
	raw     []bpf.RawInstruction
	vm      *bpf.VM
}

// FilterError says where a capture filter is wrong: Pos and End are byte
// offsets of the offending token in Expr.
type FilterError struct {
	Expr     string
	Pos, End int
	Msg      string
}

func (e *FilterError) Error() string {
	return fmt.Sprintf("bad capture filter at column %d: %s", e.column(), e.Msg)
}

func (e *FilterError) column() int {
	if e.Pos > len(e.Expr) {
		return utf8.RuneCountInString(e.Expr) + 1
	}
	return utf8.RuneCountInString(e.Expr[:e.Pos]) + 1
}

// Marked returns the expression and, under it, carets under the offending
// token.
func (e *FilterError) Marked() string {
	pos, end := min(e.Pos, len(e.Expr)), min(e.End, len(e.Expr))
	width := utf8.RuneCountInString(e.Expr[pos:end])
	if width < 1 {
		width = 1
	}
	return e.Expr + "\n" + strings.Repeat(" ", e.column()-1) + strings.Repeat("^", width)
}

// CompileFilter compiles a capture filter expression (see FilterHelp). An
// empty expression (or only blanks) captures everything. Errors are
// *FilterError.
func CompileFilter(expr string) (*Filter, error) {
	f := &Filter{Expr: expr}
	if strings.TrimSpace(expr) == "" {
		return f, nil
	}
	if len(expr) > maxFilterLen {
		return nil, &FilterError{Expr: expr, Pos: maxFilterLen, End: len(expr), Msg: fmt.Sprintf("the filter is longer than %d bytes", maxFilterLen)}
	}
	root, err := parseFilter(expr)
	if err != nil {
		return nil, err
	}
	prog, err := generate(root)
	if err != nil {
		if fe, ok := err.(*FilterError); ok {
			fe.Expr = expr
			return nil, fe
		}
		return nil, &FilterError{Expr: expr, End: len(expr), Msg: err.Error()}
	}
	if len(prog) > maxInstructions {
		return nil, &FilterError{Expr: expr, End: len(expr), Msg: fmt.Sprintf("the filter needs %d BPF instructions; the kernel takes at most %d", len(prog), maxInstructions)}
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, &FilterError{Expr: expr, End: len(expr), Msg: "cannot assemble the program: " + err.Error()}
	}
	vm, err := bpf.NewVM(prog)
	if err != nil {
		return nil, &FilterError{Expr: expr, End: len(expr), Msg: "the program does not verify: " + err.Error()}
	}
	f.Program, f.raw, f.vm = prog, raw, vm
	return f, nil
}

// Raw is the program for the kernel (SO_ATTACH_FILTER); nil when
// everything is captured.
func (f *Filter) Raw() []bpf.RawInstruction { return f.raw }

// Match runs the filter on an Ethernet frame in user space.
func (f *Filter) Match(frame []byte) bool {
	if f.vm == nil {
		return true
	}
	n, err := f.vm.Run(frame)
	return err == nil && n > 0
}

// DefaultFilter is the filter used when none is given: the protocols the
// analyzer reads — RADIUS on radiusPorts, TLS over TCP on tlsPorts, DTLS
// on UDP 443, IKEv2 on UDP 500 and 4500, GRE (which carries ERSPAN) — and
// IP fragments, so that large RADIUS packets arrive whole.
func DefaultFilter(radiusPorts, tlsPorts []uint16) string {
	udp := dedupePorts(append(append([]uint16{}, radiusPorts...), 443, 500, 4500))
	var parts []string
	parts = append(parts, "udp port "+joinPorts(udp, " or "))
	if tcp := dedupePorts(tlsPorts); len(tcp) > 0 {
		parts = append(parts, "tcp port "+joinPorts(tcp, " or "))
	}
	parts = append(parts, "proto gre", "ip[6:2] & 0x1fff != 0", "ip6 proto 44")
	return strings.Join(parts, " or ")
}

func dedupePorts(ps []uint16) []uint16 {
	seen := map[uint16]bool{}
	var out []uint16
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func joinPorts(ps []uint16, sep string) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = strconv.Itoa(int(p))
	}
	return strings.Join(s, sep)
}
