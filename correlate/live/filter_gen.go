package live

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"

	pcapfilter "github.com/packetcap/go-pcap/filter"
	"golang.org/x/net/bpf"
)

// Code generation: every primitive becomes a block of classic BPF that
// ends in two exits, "yes" and "no" (unconditional jumps, whose 32-bit
// offsets reach anywhere); and/or/not only choose where the exits go. The
// host and port primitives are compiled by go-pcap's filter package (one
// primitive at a time, in its canonical spelling, its program checked to
// stay inside itself); networks (go-pcap's IPv6 networks jump out of their
// program), protocols, protocol numbers and header bytes by this file.
// Link layer: Ethernet. The tests hold every form against libpcap's own
// compiler.

// maxInstructions is the kernel's limit on a classic BPF program.
const maxInstructions = 4096

// snapLen is what an accepted packet keeps: all of it.
const snapLen = 262144

// Local targets of a block's conditional jumps.
const (
	lYes  = 0  // the block's yes exit
	lNo   = 1  // the block's no exit
	lNext = -1 // the next instruction
)

// block builds one primitive's code with symbolic local targets.
type block struct {
	ins  []bpf.Instruction
	fix  []blockFix
	labs []int // position of each label; lYes and lNo are bound by done
}

type blockFix struct{ at, t, f int }

func newBlock() *block { return &block{labs: []int{-1, -1}} }

func (b *block) label() int              { b.labs = append(b.labs, -1); return len(b.labs) - 1 }
func (b *block) bind(l int)              { b.labs[l] = len(b.ins) }
func (b *block) op(i ...bpf.Instruction) { b.ins = append(b.ins, i...) }

// jump adds a conditional jump to the local targets t and f.
func (b *block) jump(cond bpf.JumpTest, val uint32, t, f int) {
	b.fix = append(b.fix, blockFix{at: len(b.ins), t: t, f: f})
	b.ins = append(b.ins, bpf.JumpIf{Cond: cond, Val: val})
}

// done appends the two exits and resolves the local jumps.
func (b *block) done() ([]bpf.Instruction, error) {
	b.labs[lYes] = len(b.ins)
	b.labs[lNo] = len(b.ins) + 1
	b.ins = append(b.ins, bpf.Jump{}, bpf.Jump{})
	skip := func(at, l int) (uint8, error) {
		if l == lNext {
			return 0, nil
		}
		d := b.labs[l] - (at + 1)
		if d < 0 || d > 255 {
			return 0, fmt.Errorf("jump out of reach")
		}
		return uint8(d), nil
	}
	for _, fx := range b.fix {
		j := b.ins[fx.at].(bpf.JumpIf)
		var err error
		if j.SkipTrue, err = skip(fx.at, fx.t); err != nil {
			return nil, err
		}
		if j.SkipFalse, err = skip(fx.at, fx.f); err != nil {
			return nil, err
		}
		b.ins[fx.at] = j
	}
	return b.ins, nil
}

// program lays out blocks and resolves their exits.
type program struct {
	ins    []bpf.Instruction
	exits  []programExit
	labels []int
}

type programExit struct{ at, target int }

func (p *program) label() int { p.labels = append(p.labels, -1); return len(p.labels) - 1 }
func (p *program) bind(l int) { p.labels[l] = len(p.ins) }

// leaf appends a block whose last two instructions are its yes and no
// exits, sending them to the labels t and f.
func (p *program) leaf(code []bpf.Instruction, t, f int) {
	p.ins = append(p.ins, code...)
	n := len(p.ins)
	p.exits = append(p.exits, programExit{at: n - 2, target: t}, programExit{at: n - 1, target: f})
}

func (p *program) gen(n fnode, t, f int) error {
	switch x := n.(type) {
	case *fBinary:
		mid := p.label()
		if x.and {
			if err := p.gen(x.l, mid, f); err != nil {
				return err
			}
		} else if err := p.gen(x.l, t, mid); err != nil {
			return err
		}
		p.bind(mid)
		return p.gen(x.r, t, f)
	case *fNot:
		return p.gen(x.x, f, t)
	case *fPrim:
		code, err := primCode(x)
		if err != nil {
			return &FilterError{Pos: x.pos, End: x.end, Msg: "cannot compile this primitive: " + err.Error()}
		}
		p.leaf(code, t, f)
	case *fAccess:
		code, err := accessCode(x)
		if err != nil {
			return &FilterError{Pos: x.pos, End: x.end, Msg: "cannot compile this comparison: " + err.Error()}
		}
		p.leaf(code, t, f)
	}
	return nil
}

// generate compiles a parsed filter to a whole program.
func generate(root fnode) ([]bpf.Instruction, error) {
	p := &program{}
	accept, reject := p.label(), p.label()
	if err := p.gen(root, accept, reject); err != nil {
		return nil, err
	}
	p.bind(accept)
	p.ins = append(p.ins, bpf.RetConstant{Val: snapLen})
	p.bind(reject)
	p.ins = append(p.ins, bpf.RetConstant{Val: 0})
	for _, e := range p.exits {
		p.ins[e.at] = bpf.Jump{Skip: uint32(p.labels[e.target] - (e.at + 1))}
	}
	return p.ins, nil
}

func primCode(x *fPrim) ([]bpf.Instruction, error) {
	switch x.kind {
	case "host", "port":
		return libraryCode(x)
	case "net":
		return netCode(x)
	case "proto":
		return protoCode(x.proto, x.num)
	}
	// A protocol alone.
	switch x.proto {
	case "ip":
		return protoCode("ether", 0x0800)
	case "ip6":
		return protoCode("ether", 0x86dd)
	case "arp":
		return protoCode("ether", 0x0806)
	case "rarp":
		return protoCode("ether", 0x8035)
	case "tcp":
		return protoCode("", 6)
	case "udp":
		return protoCode("", 17)
	case "sctp":
		return protoCode("", 132)
	case "icmp":
		return protoCode("ip", 1)
	case "icmp6":
		return protoCode("ip6", 58)
	}
	return nil, fmt.Errorf("protocol %q alone is not a filter", x.proto)
}

// protoCode matches a protocol number: the EtherType for "ether", the IPv4
// protocol for "ip", the IPv6 next header (directly or after a fragment
// header, as libpcap does) for "ip6", and either IP version for "".
func protoCode(qual string, num uint32) ([]bpf.Instruction, error) {
	b := newBlock()
	ldEtherType := bpf.LoadAbsolute{Off: 12, Size: 2}
	switch qual {
	case "ether":
		b.op(ldEtherType)
		b.jump(bpf.JumpEqual, num, lYes, lNo)
	case "ip":
		b.op(ldEtherType)
		b.jump(bpf.JumpEqual, 0x0800, lNext, lNo)
		b.op(bpf.LoadAbsolute{Off: 23, Size: 1})
		b.jump(bpf.JumpEqual, num, lYes, lNo)
	case "ip6":
		b.op(ldEtherType)
		b.jump(bpf.JumpEqual, 0x86dd, lNext, lNo)
		ip6NextHeader(b, num)
	default:
		v6 := b.label()
		b.op(ldEtherType)
		b.jump(bpf.JumpEqual, 0x0800, lNext, v6)
		b.op(bpf.LoadAbsolute{Off: 23, Size: 1})
		b.jump(bpf.JumpEqual, num, lYes, lNo)
		b.bind(v6)
		b.jump(bpf.JumpEqual, 0x86dd, lNext, lNo)
		ip6NextHeader(b, num)
	}
	return b.done()
}

// ip6NextHeader matches the IPv6 next header, or the one after a fragment
// header (unless the number asked for is the fragment header itself).
func ip6NextHeader(b *block, num uint32) {
	b.op(bpf.LoadAbsolute{Off: 20, Size: 1})
	if num == 44 {
		b.jump(bpf.JumpEqual, num, lYes, lNo)
		return
	}
	b.jump(bpf.JumpEqual, num, lYes, lNext)
	b.jump(bpf.JumpEqual, 44, lNext, lNo)
	b.op(bpf.LoadAbsolute{Off: 54, Size: 1})
	b.jump(bpf.JumpEqual, num, lYes, lNo)
}

// accessCode compares header bytes. tcp, udp and icmp headers are found
// after the IPv4 header in unfragmented (or first-fragment) packets.
func accessCode(a *fAccess) ([]bpf.Instruction, error) {
	b := newBlock()
	switch a.proto {
	case "ether":
		b.op(bpf.LoadAbsolute{Off: a.off, Size: int(a.size)})
	case "ip", "ip6":
		et := uint32(0x0800)
		if a.proto == "ip6" {
			et = 0x86dd
		}
		b.op(bpf.LoadAbsolute{Off: 12, Size: 2})
		b.jump(bpf.JumpEqual, et, lNext, lNo)
		b.op(bpf.LoadAbsolute{Off: 14 + a.off, Size: int(a.size)})
	default:
		num := map[string]uint32{"tcp": 6, "udp": 17, "icmp": 1}[a.proto]
		b.op(bpf.LoadAbsolute{Off: 12, Size: 2})
		b.jump(bpf.JumpEqual, 0x0800, lNext, lNo)
		b.op(bpf.LoadAbsolute{Off: 23, Size: 1})
		b.jump(bpf.JumpEqual, num, lNext, lNo)
		b.op(bpf.LoadAbsolute{Off: 20, Size: 2})
		b.jump(bpf.JumpBitsSet, 0x1fff, lNo, lNext)
		b.op(bpf.LoadMemShift{Off: 14})
		b.op(bpf.LoadIndirect{Off: 14 + a.off, Size: int(a.size)})
	}
	if a.hasMask {
		b.op(bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: a.mask})
	}
	switch a.op {
	case "=":
		b.jump(bpf.JumpEqual, a.val, lYes, lNo)
	case "!=":
		b.jump(bpf.JumpEqual, a.val, lNo, lYes)
	case ">":
		b.jump(bpf.JumpGreaterThan, a.val, lYes, lNo)
	case ">=":
		b.jump(bpf.JumpGreaterOrEqual, a.val, lYes, lNo)
	case "<":
		b.jump(bpf.JumpGreaterOrEqual, a.val, lNo, lYes)
	case "<=":
		b.jump(bpf.JumpGreaterThan, a.val, lNo, lYes)
	default:
		return nil, fmt.Errorf("comparison %q", a.op)
	}
	return b.done()
}

// netCode matches a network as libpcap does: IPv4 source and/or
// destination (and, without a qualifier, the ARP/RARP sender and target),
// or the IPv6 source and/or destination.
func netCode(x *fPrim) ([]bpf.Instruction, error) {
	b := newBlock()
	pf := x.prefix
	b.op(bpf.LoadAbsolute{Off: 12, Size: 2})
	if pf.Addr().Is6() {
		b.jump(bpf.JumpEqual, 0x86dd, lNext, lNo)
		netCompare(b, pf, [2]uint32{22, 38}, x.dir)
		return b.done()
	}
	if x.proto == "ip" {
		b.jump(bpf.JumpEqual, 0x0800, lNext, lNo)
		netCompare(b, pf, [2]uint32{26, 30}, x.dir)
		return b.done()
	}
	notIP, arp := b.label(), b.label()
	b.jump(bpf.JumpEqual, 0x0800, lNext, notIP)
	netCompare(b, pf, [2]uint32{26, 30}, x.dir)
	b.bind(notIP)
	b.jump(bpf.JumpEqual, 0x0806, arp, lNext)
	b.jump(bpf.JumpEqual, 0x8035, lNext, lNo)
	b.bind(arp)
	netCompare(b, pf, [2]uint32{28, 38}, x.dir)
	return b.done()
}

// netCompare compares the address fields at off (source, destination)
// with pf, as dir says; it ends by jumping to yes or no.
func netCompare(b *block, pf netip.Prefix, off [2]uint32, dir string) {
	addr := pf.Addr().AsSlice()
	bits := pf.Bits()
	// match emits the comparison of one field, going to t or f.
	match := func(base uint32, t, f int) {
		words := (bits + 31) / 32
		if words == 0 {
			// /0 matches everything.
			b.jump(bpf.JumpEqual, 0, t, t)
			return
		}
		for w := 0; w < words; w++ {
			val := binary.BigEndian.Uint32(addr[4*w:])
			b.op(bpf.LoadAbsolute{Off: base + uint32(4*w), Size: 4})
			left := bits - 32*w
			if left < 32 {
				mask := ^uint32(0) << (32 - left)
				b.op(bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: mask})
				val &= mask
			}
			if w == words-1 {
				b.jump(bpf.JumpEqual, val, t, f)
			} else {
				b.jump(bpf.JumpEqual, val, lNext, f)
			}
		}
	}
	switch dir {
	case "src":
		match(off[0], lYes, lNo)
	case "dst":
		match(off[1], lYes, lNo)
	case "src and dst":
		second := b.label()
		match(off[0], second, lNo)
		b.bind(second)
		match(off[1], lYes, lNo)
	default:
		second := b.label()
		match(off[0], lYes, second)
		b.bind(second)
		match(off[1], lYes, lNo)
	}
}

// canonical spells a host or port primitive the way go-pcap's filter
// package reads it.
func canonical(x *fPrim) string {
	var parts []string
	if x.proto != "" {
		parts = append(parts, x.proto)
	}
	if x.dir != "" {
		parts = append(parts, x.dir)
	}
	parts = append(parts, x.kind)
	switch x.kind {
	case "host":
		if x.proto == "ether" {
			parts = append(parts, x.mac.String())
		} else {
			parts = append(parts, x.addr.String())
		}
	case "port":
		parts = append(parts, fmt.Sprint(x.num))
	}
	return strings.Join(parts, " ")
}

// libraryCode compiles one host or port primitive with go-pcap and
// turns its two returns into the block's exits.
func libraryCode(x *fPrim) ([]bpf.Instruction, error) {
	text := canonical(x)
	e := pcapfilter.NewExpression(text)
	if e == nil {
		return nil, fmt.Errorf("%q: empty", text)
	}
	f := e.Compile()
	if f == nil {
		return nil, fmt.Errorf("%q: not compiled", text)
	}
	ins, err := f.Compile()
	if err != nil {
		return nil, fmt.Errorf("%q: %v", text, err)
	}
	n := len(ins)
	if n < 2 {
		return nil, fmt.Errorf("%q: %d instructions", text, n)
	}
	yes, okYes := ins[n-2].(bpf.RetConstant)
	no, okNo := ins[n-1].(bpf.RetConstant)
	if !okYes || !okNo || yes.Val == 0 || no.Val != 0 {
		return nil, fmt.Errorf("%q: unexpected program end", text)
	}
	out := make([]bpf.Instruction, n)
	for i, in := range ins {
		switch v := in.(type) {
		case bpf.RetConstant:
			target := n - 2
			if v.Val == 0 {
				target = n - 1
			}
			if i < n-2 {
				out[i] = bpf.Jump{Skip: uint32(target - (i + 1))}
				continue
			}
			out[i] = bpf.Jump{} // the exits, set by the program
		case bpf.JumpIf:
			if i+1+int(v.SkipTrue) >= n || i+1+int(v.SkipFalse) >= n {
				return nil, fmt.Errorf("%q: jump out of the program", text)
			}
			out[i] = v
		case bpf.Jump:
			if i+1+int(v.Skip) >= n {
				return nil, fmt.Errorf("%q: jump out of the program", text)
			}
			out[i] = v
		case bpf.RetA:
			return nil, fmt.Errorf("%q: unexpected return", text)
		default:
			out[i] = v
		}
	}
	return out, nil
}
