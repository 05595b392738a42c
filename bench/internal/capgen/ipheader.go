package capgen

import (
	"encoding/binary"
	"net/netip"
)

// fragKey identifies the IP datagram a fragment belongs to.
type fragKey struct {
	src, dst netip.Addr
	proto    uint8
	id       uint32
}

// parsed is what analyze learns about one frame.
type parsed struct {
	raw      rawFrame
	f        Frame
	src, dst netip.AddrPort
	fragment bool
	first    bool // carries the L4 header
	syn      bool // TCP SYN without ACK
}

// parseIP fills p from an IP packet; false drops the frame.
func parseIP(pkt []byte, p *parsed) bool {
	f := &p.f
	var srcA, dstA netip.Addr
	switch pkt[0] >> 4 {
	case 4:
		if len(pkt) < 20 {
			return false
		}
		ihl := int(pkt[0]&0x0f) * 4
		total := int(binary.BigEndian.Uint16(pkt[2:]))
		if ihl < 20 || total < ihl || len(pkt) < ihl {
			return false
		}
		f.Whole = true
		if total <= len(pkt) {
			pkt = pkt[:total]
		} else {
			f.Whole = false
		}
		ff := binary.BigEndian.Uint16(pkt[6:])
		mf, off := ff&0x2000 != 0, ff&0x1fff
		srcA = netip.AddrFrom4([4]byte(pkt[12:16]))
		dstA = netip.AddrFrom4([4]byte(pkt[16:20]))
		f.Proto = pkt[9]
		if mf || off != 0 {
			p.fragment = true
			f.fragWhole = f.Whole
			f.Whole = false
			f.frag = fragKey{srcA, dstA, f.Proto, uint32(binary.BigEndian.Uint16(pkt[4:]))}
			f.dataOff, f.hdrLen, f.moreFrags = int(off)*8, ihl, mf
		}
		if off == 0 {
			f.L4 = ihl
		}
	case 6:
		if len(pkt) < 40 {
			return false
		}
		total := 40 + int(binary.BigEndian.Uint16(pkt[4:]))
		if total == 40 {
			return false // jumbogram or empty
		}
		f.V6 = true
		f.Whole = true
		if total <= len(pkt) {
			pkt = pkt[:total]
		} else {
			f.Whole = false
		}
		srcA = netip.AddrFrom16([16]byte(pkt[8:24]))
		dstA = netip.AddrFrom16([16]byte(pkt[24:40]))
		f.Proto = pkt[6]
		f.L4 = 40
		if f.Proto == 44 { // fragment header
			if len(pkt) < 48 {
				return false
			}
			f.Proto = pkt[40]
			p.fragment = true
			f.fragWhole = f.Whole
			f.Whole = false
			f.frag = fragKey{srcA, dstA, f.Proto, binary.BigEndian.Uint32(pkt[44:])}
			fo := binary.BigEndian.Uint16(pkt[42:])
			f.dataOff, f.hdrLen, f.moreFrags = int(fo>>3)*8, 48, fo&1 != 0
			f.L4 = 48
			if f.dataOff != 0 {
				f.L4 = 0
			}
		}
	default:
		return false
	}
	if f.Proto != 6 && f.Proto != 17 {
		return false
	}
	f.Packet = pkt
	var sp, dp uint16
	if f.L4 != 0 {
		need := 8
		if f.Proto == 6 {
			need = 20
		}
		if len(pkt) < f.L4+need {
			return false
		}
		l4 := pkt[f.L4:]
		sp, dp = binary.BigEndian.Uint16(l4[0:]), binary.BigEndian.Uint16(l4[2:])
		p.first = true
		if f.Proto == 6 {
			if off := int(l4[12]>>4) * 4; off < 20 || off > len(l4) {
				return false
			}
			p.syn = l4[13]&0x12 == 0x02
		} else if ul := int(binary.BigEndian.Uint16(l4[4:])); ul < 8 || (f.Whole && ul != len(l4)) {
			return false
		}
	}
	p.src = netip.AddrPortFrom(srcA, sp)
	p.dst = netip.AddrPortFrom(dstA, dp)
	return true
}
