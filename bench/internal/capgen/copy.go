package capgen

import (
	"encoding/binary"
	"net/netip"
)

// MaxFrame is the largest frame Copy.Next can produce: an IP packet of
// 65535 bytes plus the largest encapsulation.
const MaxFrame = 65535 + EncapOverhead

// BufferSize is the size of the buffer Copy.Next writes into.
const BufferSize = Headroom + MaxFrame

// Copy is one instance of a template in an output capture. Its client-side
// hosts get addresses and MACs of their own, its client-side ports are
// shifted, its RADIUS packets get their own identifiers and
// client-identifying attribute values; its frames keep the template's
// relative timing from Start.
type Copy struct {
	T *Template
	// Index is the copy number, unique within one generator run: it
	// shifts client-side ports and RADIUS identifiers and stamps RADIUS
	// client attributes.
	Index uint32
	// ClientBase numbers the copy's first client-side host among all
	// client-side hosts of the run: host h gets address number
	// ClientBase+h.Index.
	ClientBase uint64
	// Start is the capture time of the first frame, in Unix nanoseconds.
	Start int64
	// Encap is how the copy's frames reach the capture point.
	Encap Encap
	// Secret, when set, is the RADIUS shared secret used to recompute the
	// authenticators of rewritten RADIUS packets.
	Secret []byte
	next   int
	auth   map[int][16]byte
	// frags caches the copy's rewritten reassembled datagrams.
	frags map[int][]byte
}

// Copier numbers the copies of one generator run so that no two copies
// share a client-side address.
type Copier struct {
	next       uint32
	nextClient uint64
}

// New returns the next copy of t starting at start.
func (cp *Copier) New(t *Template, start int64, enc Encap, secret []byte) *Copy {
	c := &Copy{T: t, Index: cp.next, ClientBase: cp.nextClient, Start: start, Encap: enc, Secret: secret}
	cp.next++
	cp.nextClient += uint64(t.ClientHosts())
	return c
}

// Copies is the number of copies made so far.
func (cp *Copier) Copies() uint32 { return cp.next }

// Done reports whether every frame has been emitted.
func (c *Copy) Done() bool { return c.next >= len(c.T.Frames) }

// Emitted is the number of frames emitted so far.
func (c *Copy) Emitted() int { return c.next }

// NextTime is the capture time of the next frame.
func (c *Copy) NextTime() int64 { return c.Start + c.T.Frames[c.next].Offset }

// End is the capture time of the copy's last frame.
func (c *Copy) End() int64 { return c.Start + c.T.Duration }

// HostAddr is the address copy c gives to template host h. Client-side
// hosts get one address per copy (IPv4 from 10.64.0.0/10, IPv6 from
// 2001:db8:c::/48); server-side hosts one per template (10.250.ID.x,
// 2001:db8:5e::ID:x).
func (c *Copy) HostAddr(h int) netip.Addr {
	host := c.T.Hosts[h]
	if host.ClientSide {
		idx := c.ClientBase + uint64(host.Index)
		if host.Addr.Is6() && !host.Addr.Is4In6() {
			var a [16]byte
			copy(a[:], []byte{0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0c})
			binary.BigEndian.PutUint64(a[8:], idx+1)
			return netip.AddrFrom16(a)
		}
		sub := idx / 254 % (1 << 14)
		return netip.AddrFrom4([4]byte{10, byte(64 + sub>>8), byte(sub), byte(idx%254 + 1)})
	}
	if host.Addr.Is6() && !host.Addr.Is4In6() {
		var a [16]byte
		copy(a[:], []byte{0x20, 0x01, 0x0d, 0xb8, 0x00, 0x5e})
		binary.BigEndian.PutUint16(a[12:], uint16(c.T.ID))
		binary.BigEndian.PutUint16(a[14:], uint16(host.Index+1))
		return netip.AddrFrom16(a)
	}
	return netip.AddrFrom4([4]byte{10, 250, byte(c.T.ID), byte(host.Index%254 + 1)})
}

// MACFor is the Ethernet address of a host with address a: locally
// administered, 02:00 followed by the last four address bytes.
func MACFor(a netip.Addr) MAC {
	b := a.As16()
	return MAC{0x02, 0x00, b[12], b[13], b[14], b[15]}
}

// Port is the port copy c gives to a client-side template port p; it lies
// in 20000-59999, away from the service ports.
func (c *Copy) Port(p uint16) uint16 {
	return uint16(20000 + (uint64(p)+uint64(c.Index)*7919)%40000)
}

// Next writes the copy's next frame into buf (at least BufferSize bytes)
// and returns it, a sub-slice of buf, with its capture time. m is the
// ERSPAN state, needed when c.Encap is ERSPAN.
func (c *Copy) Next(buf []byte, m *Mirror) ([]byte, int64) {
	i := c.next
	f := &c.T.Frames[i]
	c.next++
	pkt := buf[Headroom : Headroom+len(f.Packet)]
	copy(pkt, f.Packet)
	src, dst := c.HostAddr(f.Src), c.HostAddr(f.Dst)
	et := uint16(EtherTypeIPv4)
	if f.V6 {
		et = EtherTypeIPv6
		c.rewrite(pkt, f, i, src, dst, 8, 16)
	} else {
		c.rewrite(pkt, f, i, src, dst, 12, 4)
		IPv4HeaderChecksum(pkt)
	}
	start := c.Encap.Prepend(buf, Headroom, Headroom+len(pkt), MACFor(src), MACFor(dst), et, m)
	return buf[start : Headroom+len(pkt)], c.Start + f.Offset
}

// rewrite replaces the addresses (alen bytes each from aoff), the
// client-side ports and the RADIUS fields of frame f, and fixes its L4
// checksum.
func (c *Copy) rewrite(pkt []byte, f *Frame, i int, src, dst netip.Addr, aoff, alen int) {
	var old [36]byte // addresses, ports, RADIUS code+identifier
	addrs := pkt[aoff : aoff+2*alen]
	copy(old[:], addrs)
	putAddr(addrs[:alen], src)
	putAddr(addrs[alen:], dst)
	if f.dgram >= 0 {
		// A fragment of a reassembled datagram: take its slice of the
		// copy's rewritten datagram.
		copy(pkt[f.hdrLen:], c.datagram(f.dgram, addrs[:alen], addrs[alen:])[f.dataOff:])
		return
	}
	if f.L4 == 0 {
		return // non-first fragment: its datagram's checksum lives in the first
	}
	l4 := pkt[f.L4:]
	ports := old[2*alen : 2*alen+4]
	copy(ports, l4[:4])
	if f.RemapSrcPort {
		binary.BigEndian.PutUint16(l4[0:], c.Port(binary.BigEndian.Uint16(l4[0:])))
	}
	if f.RemapDstPort {
		binary.BigEndian.PutUint16(l4[2:], c.Port(binary.BigEndian.Uint16(l4[2:])))
	}
	csOff := 16
	if f.Proto == 17 {
		csOff = 6
	}
	if f.Whole {
		if f.RADIUS {
			c.rewriteRADIUS(l4[8:], f, i, src)
		}
		clear(l4[csOff : csOff+2])
		cs := Fold(Sum(l4, PseudoHeaderSum(addrs[:alen], addrs[alen:], f.Proto, len(l4))))
		if cs == 0 && f.Proto == 17 {
			cs = 0xffff
		}
		binary.BigEndian.PutUint16(l4[csOff:], cs)
		return
	}
	cs := binary.BigEndian.Uint16(l4[csOff:])
	if cs == 0 && f.Proto == 17 && !f.V6 {
		cs = 0 // no UDP checksum in the template: keep none
	} else {
		cs = AdjustChecksum(cs, old[:2*alen], addrs)
		cs = AdjustChecksum(cs, ports, l4[:4])
	}
	if f.RADIUS {
		// A fragmented or truncated RADIUS packet: only the identifier.
		codeID := old[2*alen+4 : 2*alen+6]
		copy(codeID, l4[8:10])
		l4[9] += byte(c.Index)
		if cs != 0 || f.V6 {
			cs = AdjustChecksum(cs, codeID, l4[8:10])
		}
	}
	if cs == 0 && f.Proto == 17 && f.V6 {
		cs = 0xffff
	}
	binary.BigEndian.PutUint16(l4[csOff:], cs)
}

// datagram returns the copy's rewritten version of reassembled datagram d:
// ports, RADIUS fields and the L4 checksum for the new addresses src and
// dst. It is made once per copy, when the first of its fragments is
// emitted, and every fragment then takes its slice.
func (c *Copy) datagram(d int, src, dst []byte) []byte {
	b, ok := c.frags[d]
	if !ok {
		dg := &c.T.datagrams[d]
		h := &c.T.Frames[dg.hdr]
		b = append([]byte(nil), dg.payload...)
		if h.RemapSrcPort {
			binary.BigEndian.PutUint16(b[0:], c.Port(binary.BigEndian.Uint16(b[0:])))
		}
		if h.RemapDstPort {
			binary.BigEndian.PutUint16(b[2:], c.Port(binary.BigEndian.Uint16(b[2:])))
		}
		csOff := 16
		if h.Proto == 17 {
			csOff = 6
			if h.RADIUS {
				c.rewriteRADIUS(b[8:], h, dg.hdr, c.HostAddr(h.Src))
			}
		}
		clear(b[csOff : csOff+2])
		cs := Fold(Sum(b, PseudoHeaderSum(src, dst, h.Proto, len(b))))
		if cs == 0 && h.Proto == 17 {
			cs = 0xffff
		}
		binary.BigEndian.PutUint16(b[csOff:], cs)
		if c.frags == nil {
			c.frags = map[int][]byte{}
		}
		c.frags[d] = b
	}
	return b
}

// rewriteRADIUS rewrites the whole RADIUS packet p of frame f (index i).
func (c *Copy) rewriteRADIUS(p []byte, f *Frame, i int, src netip.Addr) {
	e := radiusEdit{copy: c.Index, secret: c.Secret}
	if len(p) > 0 && isRADIUSRequest(p[0]) && c.T.Hosts[f.Src].ClientSide && src.Is4() {
		a := src.As4()
		e.nasIP = a[:]
	}
	if f.Request >= 0 && c.auth != nil {
		if a, ok := c.auth[f.Request]; ok {
			e.requestAuth = &a
		}
	}
	auth := rewriteRADIUS(p, e)
	if len(c.Secret) > 0 && len(p) > 0 && isRADIUSRequest(p[0]) {
		if c.auth == nil {
			c.auth = map[int][16]byte{}
		}
		c.auth[i] = auth
	}
}

func putAddr(dst []byte, a netip.Addr) {
	if len(dst) == 4 {
		b := a.As4()
		copy(dst, b[:])
		return
	}
	b := a.As16()
	copy(dst, b[:])
}
