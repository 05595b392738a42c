package live

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// The parser of capture filter expressions. It follows pcap-filter(7):
// "not" binds tightest, "and" and "or" have equal precedence and associate
// left to right, and an id without qualifiers after "and"/"or" takes the
// qualifiers of the primitive before it ("port 1812 or 1813").

// fnode is a node of a parsed filter.
type fnode interface{ isNode() }

type fBinary struct {
	and  bool
	l, r fnode
}

type fNot struct{ x fnode }

// fPrim is a primitive: qualifiers and an id ("udp dst port 1812"), a
// protocol alone ("tcp"), or a protocol number ("ip proto 47").
type fPrim struct {
	proto string // "", ether, ip, ip6, arp, rarp, tcp, udp, sctp, icmp, icmp6
	dir   string // "", src, dst, "src or dst", "src and dst"
	kind  string // "", host, net, port, proto
	id    string
	// Resolved id.
	addr   netip.Addr
	prefix netip.Prefix
	mac    net.HardwareAddr
	num    uint32 // port or protocol number
	pos    int
	end    int
}

// fAccess compares bytes of a header: "ip[6:2] & 0x1fff != 0".
type fAccess struct {
	proto   string // ether, ip, ip6, tcp, udp, icmp
	off     uint32
	size    uint32 // 1, 2 or 4
	hasMask bool
	mask    uint32
	op      string // = != < <= > >=
	val     uint32
	pos     int
	end     int
}

func (*fBinary) isNode() {}
func (*fNot) isNode()    {}
func (*fPrim) isNode()   {}
func (*fAccess) isNode() {}

var (
	qualProtos = map[string]bool{"ether": true, "ip": true, "ip6": true, "arp": true, "rarp": true,
		"tcp": true, "udp": true, "sctp": true, "icmp": true, "icmp6": true}
	kindWords = map[string]bool{"host": true, "net": true, "port": true}
	// Keywords of pcap-filter(7) this compiler does not implement.
	unsupportedWords = map[string]bool{
		"portrange": true, "vlan": true, "mpls": true, "pppoed": true, "pppoes": true, "geneve": true,
		"less": true, "greater": true, "len": true, "gateway": true, "broadcast": true, "multicast": true,
		"inbound": true, "outbound": true, "ifname": true, "on": true, "rnr": true, "rulenum": true,
		"reason": true, "rset": true, "ruleset": true, "srnr": true, "subrulenum": true, "action": true,
		"wlan": true, "type": true, "subtype": true, "dir": true, "ra": true, "ta": true,
		"addr1": true, "addr2": true, "addr3": true, "addr4": true, "atalk": true, "aarp": true,
		"decnet": true, "iso": true, "esis": true, "isis": true, "clnp": true, "stp": true, "ipx": true,
		"netbeui": true, "lat": true, "sca": true, "moprc": true, "mopdl": true, "ah": true, "esp": true,
		"pim": true, "vrrp": true, "igrp": true, "igmp": true, "carp": true, "fddi": true, "tr": true,
		"llc": true, "mask": true, "protochain": true, "ip6protochain": true, "hdrlen": true,
	}
	// Protocol numbers by name, for "proto NAME".
	ipProtoNames = map[string]uint32{"icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47, "esp": 50,
		"ah": 51, "icmp6": 58, "sctp": 132}
	etherProtoNames = map[string]uint32{"ip": 0x0800, "ip6": 0x86dd, "arp": 0x0806, "rarp": 0x8035}
)

type parser struct {
	expr string
	toks []token
	i    int
	// last is the primitive whose qualifiers a bare id takes.
	last *fPrim
}

// syntaxError is returned by the parser through panic and recovered in
// parseFilter; nothing else panics.
type syntaxError struct{ err *FilterError }

func (p *parser) fail(t token, format string, args ...any) {
	end := t.end
	if end == t.pos {
		end = t.pos + 1
	}
	panic(syntaxError{&FilterError{Expr: p.expr, Pos: t.pos, End: end, Msg: fmt.Sprintf(format, args...)}})
}

func (p *parser) peek() token       { return p.toks[p.i] }
func (p *parser) peekN(n int) token { return p.toks[min(p.i+n, len(p.toks)-1)] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// parseFilter parses a non-empty expression.
func parseFilter(expr string) (n fnode, err error) {
	p := &parser{expr: expr, toks: lex(expr)}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(syntaxError)
			if !ok {
				panic(r)
			}
			n, err = nil, se.err
		}
	}()
	n = p.binary()
	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			p.fail(t, "unbalanced parenthesis: this ')' closes nothing")
		}
		if t.kind == tokWord {
			p.fail(t, "unexpected word %q: expected 'and', 'or' or the end of the filter%s", t.text, suggest(t.text))
		}
		p.fail(t, "unexpected %q: expected 'and', 'or' or the end of the filter", t.text)
	}
	return n, nil
}

var keywords = []string{"and", "or", "not", "host", "net", "port", "proto", "src", "dst",
	"ether", "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "icmp6"}

// suggest names the keyword a misspelt word was probably meant to be.
func suggest(w string) string {
	w = strings.ToLower(w)
	best, bestD := "", 3
	for _, k := range keywords {
		if d := editDistance(w, k); d < bestD && d < len(k) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	if len(a) > 32 || len(b) > 32 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func (p *parser) binary() fnode {
	x := p.unary()
	for {
		t := p.peek()
		if t.kind != tokAnd && t.kind != tokOr {
			return x
		}
		p.next()
		if n := p.peek(); n.kind == tokEOF || n.kind == tokRParen || n.kind == tokAnd || n.kind == tokOr {
			p.fail(t, "%q must be followed by a primitive", t.text)
		}
		y := p.unary()
		x = &fBinary{and: t.kind == tokAnd, l: x, r: y}
	}
}

func (p *parser) unary() fnode {
	t := p.peek()
	switch t.kind {
	case tokNot:
		p.next()
		if n := p.peek(); n.kind == tokEOF || n.kind == tokRParen || n.kind == tokAnd || n.kind == tokOr {
			p.fail(t, "%q must be followed by a primitive", t.text)
		}
		return &fNot{x: p.unary()}
	case tokLParen:
		p.next()
		if p.peek().kind == tokRParen {
			p.fail(p.peek(), "empty parentheses")
		}
		x := p.binary()
		if c := p.peek(); c.kind != tokRParen {
			if c.kind == tokEOF {
				p.fail(t, "unbalanced parenthesis: this '(' is never closed")
			}
			p.fail(c, "expected ')' or 'and'/'or' before %q", c.text)
		}
		p.next()
		return x
	case tokEOF:
		p.fail(t, "the filter ends where a primitive was expected")
	case tokWord:
		return p.primitive()
	}
	p.fail(t, "unexpected %q: expected a primitive such as 'udp port 1812'", t.text)
	return nil
}

func (p *parser) primitive() fnode {
	t := p.peek()
	w := strings.ToLower(t.text)
	switch {
	case unsupportedWords[w]:
		p.fail(t, "%q is not supported by sscope's capture filter compiler (see 'sscope live --help' for what is)", t.text)
	case w == "proto":
		return p.qualified(t, "")
	case w == "src" || w == "dst" || kindWords[w]:
		return p.qualified(t, "")
	case qualProtos[w]:
		p.next()
		n := p.peek()
		nw := strings.ToLower(n.text)
		switch {
		case n.kind == tokLBrack:
			return p.access(t, w)
		case n.kind == tokWord && (nw == "proto" || nw == "src" || nw == "dst" || kindWords[nw]):
			return p.qualified(t, w)
		case n.kind == tokWord && unsupportedWords[nw]:
			p.fail(n, "%q is not supported by sscope's capture filter compiler (see 'sscope live --help' for what is)", n.text)
		}
		if w == "ether" {
			p.fail(t, "'ether' must be followed by host, src, dst, proto or [offset]")
		}
		return &fPrim{proto: w, pos: t.pos, end: t.end}
	}
	// A bare id: the qualifiers of the primitive before it, else host.
	p.next()
	q := &fPrim{kind: "host"}
	if p.last != nil {
		q = &fPrim{proto: p.last.proto, dir: p.last.dir, kind: p.last.kind}
	}
	q.id, q.pos, q.end = t.text, t.pos, t.end
	p.resolve(q, t)
	return q
}

// qualified parses [dir] [kind] id after an optional protocol qualifier
// (already consumed, starting at first).
func (p *parser) qualified(first token, proto string) fnode {
	q := &fPrim{proto: proto, pos: first.pos}
	t := p.peek()
	switch strings.ToLower(t.text) {
	case "src", "dst":
		p.next()
		q.dir = strings.ToLower(t.text)
		// "src or dst", "src and dst" (and the other way round).
		if c, o := p.peek(), p.peekN(1); (c.kind == tokOr || c.kind == tokAnd) && o.kind == tokWord {
			ow := strings.ToLower(o.text)
			if (ow == "src" || ow == "dst") && ow != q.dir {
				p.next()
				p.next()
				if c.kind == tokOr {
					q.dir = "src or dst"
				} else {
					q.dir = "src and dst"
				}
			}
		}
		t = p.peek()
	}
	tw := strings.ToLower(t.text)
	switch {
	case t.kind == tokWord && (kindWords[tw] || tw == "proto"):
		if tw == "proto" && q.dir != "" {
			p.fail(t, "'proto' takes no src/dst qualifier")
		}
		p.next()
		q.kind = tw
	case t.kind == tokWord && unsupportedWords[tw]:
		p.fail(t, "%q is not supported by sscope's capture filter compiler (see 'sscope live --help' for what is)", t.text)
	default:
		q.kind = "host"
	}
	id := p.peek()
	if id.kind != tokWord {
		if id.kind == tokEOF {
			p.fail(id, "the filter ends where %s was expected", idWanted(q))
		}
		p.fail(id, "expected %s, got %q", idWanted(q), id.text)
	}
	iw := strings.ToLower(id.text)
	if qualProtos[iw] && q.kind != "proto" || kindWords[iw] || iw == "src" || iw == "dst" || iw == "proto" {
		p.fail(id, "expected %s, got the keyword %q", idWanted(q), id.text)
	}
	p.next()
	q.id, q.end = id.text, id.end
	p.resolve(q, id)
	return q
}

func idWanted(q *fPrim) string {
	switch q.kind {
	case "port":
		return "a port number"
	case "net":
		return "a network (10.0.0.0/8)"
	case "proto":
		return "a protocol number or name"
	}
	if q.proto == "ether" {
		return "a MAC address"
	}
	return "an IP address"
}

// resolve checks the id of q against its qualifiers and stores its value.
func (p *parser) resolve(q *fPrim, id token) {
	p.last = q
	switch q.kind {
	case "host":
		switch q.proto {
		case "ether":
			mac, err := net.ParseMAC(id.text)
			if err != nil || len(mac) != 6 {
				p.fail(id, "%q is not a MAC address (aa:bb:cc:dd:ee:ff)", id.text)
			}
			q.mac = mac
			return
		case "", "ip", "ip6", "arp", "rarp":
		default:
			p.fail(id, "'%s host' is not a valid combination: write '%s and host %s'", q.proto, q.proto, id.text)
		}
		a, err := netip.ParseAddr(id.text)
		if err != nil || a.Zone() != "" {
			if _, merr := net.ParseMAC(id.text); merr == nil {
				p.fail(id, "%q is a MAC address: write 'ether host %s'", id.text, id.text)
			}
			p.fail(id, "%q is not a keyword or an IP address (host names are not looked up)%s", id.text, suggest(id.text))
		}
		a = a.Unmap()
		if a.Is6() && (q.proto == "ip" || q.proto == "arp" || q.proto == "rarp") {
			p.fail(id, "%q is an IPv6 address: write 'ip6 host %s'", id.text, id.text)
		}
		if a.Is4() && q.proto == "ip6" {
			p.fail(id, "%q is an IPv4 address: write 'ip host %s'", id.text, id.text)
		}
		q.addr = a
	case "net":
		if q.proto != "" && q.proto != "ip" && q.proto != "ip6" {
			p.fail(id, "'%s net' is not a valid combination: write '%s and net %s'", q.proto, q.proto, id.text)
		}
		var pf netip.Prefix
		var err error
		if strings.Contains(id.text, "/") {
			pf, err = netip.ParsePrefix(id.text)
		} else {
			var a netip.Addr
			a, err = netip.ParseAddr(id.text)
			if err == nil {
				pf = netip.PrefixFrom(a, a.BitLen())
			}
		}
		if err != nil || pf.Addr().Zone() != "" {
			p.fail(id, "%q is not a network (10.0.0.0/8 or 2001:db8::/32)", id.text)
		}
		if pf.Masked() != pf {
			p.fail(id, "%q has bits set past its /%d mask: the network is %s", id.text, pf.Bits(), pf.Masked())
		}
		if pf.Addr().Is6() && q.proto == "ip" || pf.Addr().Is4() && q.proto == "ip6" {
			p.fail(id, "%q does not match the qualifier %q", id.text, q.proto)
		}
		q.prefix = pf
	case "port":
		if q.proto != "" && q.proto != "tcp" && q.proto != "udp" && q.proto != "sctp" {
			p.fail(id, "'%s port' is not a valid combination: ports belong to tcp, udp or sctp", q.proto)
		}
		n, err := strconv.ParseUint(id.text, 10, 16)
		if err != nil {
			if strings.Contains(id.text, "-") {
				p.fail(id, "%q looks like a port range: 'portrange' is not supported by sscope's capture filter compiler", id.text)
			}
			if _, nerr := strconv.ParseUint(id.text, 10, 64); nerr == nil {
				p.fail(id, "port %s is out of range (0-65535)", id.text)
			}
			pn, lerr := lookupPort(q.proto, id.text)
			if lerr != nil {
				p.fail(id, "%q is not a port number or a known service name", id.text)
			}
			n = uint64(pn)
		}
		q.num = uint32(n)
	case "proto":
		name := strings.TrimPrefix(strings.ToLower(id.text), `\`)
		limit := uint64(255)
		names := ipProtoNames
		if q.proto == "ether" {
			limit, names = 0xffff, etherProtoNames
		} else if q.proto != "" && q.proto != "ip" && q.proto != "ip6" {
			p.fail(id, "'%s proto' is not a valid combination: use 'ip proto', 'ip6 proto' or 'ether proto'", q.proto)
		}
		if v, ok := names[name]; ok {
			q.num = v
			return
		}
		v, err := strconv.ParseUint(name, 0, 32)
		if err != nil {
			p.fail(id, "%q is not a protocol number or a known protocol name", id.text)
		}
		if v > limit {
			p.fail(id, "protocol %s is out of range (0-%d)", id.text, limit)
		}
		if q.proto == "ether" && v <= 1500 {
			p.fail(id, "EtherType %s is an 802.3 length (1500 or less): LLC protocols are not supported", id.text)
		}
		q.num = uint32(v)
	}
}

func lookupPort(proto, name string) (int, error) {
	if proto == "" || proto == "sctp" {
		proto = "tcp"
	}
	n, err := net.LookupPort(proto, name)
	if err != nil && proto == "tcp" {
		n, err = net.LookupPort("udp", name)
	}
	return n, err
}

// access parses "proto[off:size] [& mask] relop value"; the protocol
// token is consumed and the '[' is next.
func (p *parser) access(first token, proto string) fnode {
	switch proto {
	case "ether", "ip", "ip6", "tcp", "udp", "icmp":
	default:
		p.fail(first, "%s[...] is not supported by sscope's capture filter compiler", proto)
	}
	a := &fAccess{proto: proto, size: 1, pos: first.pos}
	p.next() // [
	a.off = p.number(0xffff, "a byte offset")
	if t := p.peek(); t.kind == tokColon {
		p.next()
		sz := p.peek()
		a.size = p.number(4, "a size (1, 2 or 4)")
		if a.size != 1 && a.size != 2 && a.size != 4 {
			p.fail(sz, "the size must be 1, 2 or 4 bytes")
		}
	}
	if t := p.peek(); t.kind != tokRBrack {
		p.fail(t, "expected ']' (only a number offset and size are supported between brackets)")
	}
	p.next()
	if t := p.peek(); t.kind == tokAmp {
		p.next()
		a.hasMask = true
		a.mask = p.number(0xffffffff, "a mask")
	}
	t := p.peek()
	if t.kind != tokRel {
		if t.kind == tokEOF {
			p.fail(t, "the filter ends where a comparison (=, !=, <, <=, >, >=) was expected")
		}
		p.fail(t, "expected a comparison (=, !=, <, <=, >, >=), got %q", t.text)
	}
	p.next()
	a.op = t.text
	if a.op == "==" {
		a.op = "="
	}
	a.end = p.peek().end
	a.val = p.number(0xffffffff, "a number")
	return a
}

func (p *parser) number(limit uint64, what string) uint32 {
	t := p.peek()
	if t.kind != tokWord {
		if t.kind == tokEOF {
			p.fail(t, "the filter ends where %s was expected", what)
		}
		p.fail(t, "expected %s, got %q", what, t.text)
	}
	v, err := strconv.ParseUint(t.text, 0, 64)
	if err != nil {
		p.fail(t, "%q is not a number (decimal or 0x hex)", t.text)
	}
	if v > limit {
		p.fail(t, "%s is too large for %s", t.text, what)
	}
	p.next()
	return uint32(v)
}
