package packet

import (
	"net/netip"

	"github.com/sessionscope/sscope/dissect"
)

const ipv4MinHeaderLen = 20

// ipv4 decodes an IPv4 header (with options) at data and what it carries.
func (d *Decoder) ipv4(f *Frame, data []byte, base int) error {
	if len(data) < ipv4MinHeaderLen {
		return f.truncated("ipv4", base, ipv4MinHeaderLen, len(data))
	}
	if v := data[0] >> 4; v != 4 {
		return dissect.Errorf(dissect.Malformed, "ipv4", base, "version %d", v)
	}
	hlen := int(data[0]&0x0f) * 4
	total := int(be16(data[2:4]))
	flags := be16(data[6:8])
	f.IPVersion = 4
	f.IPID = uint32(be16(data[4:6]))
	f.TTL = data[8]
	f.Proto = data[9]
	f.Src = netip.AddrFrom4([4]byte(data[12:16]))
	f.Dst = netip.AddrFrom4([4]byte(data[16:20]))
	f.MoreFragments = flags&0x2000 != 0
	f.FragOffset = uint32(flags&0x1fff) * 8
	f.Fragment = f.MoreFragments || f.FragOffset != 0
	if hlen < ipv4MinHeaderLen {
		return dissect.Errorf(dissect.Malformed, "ipv4", base, "header length %d < 20", hlen)
	}
	if total != 0 && total < hlen {
		return dissect.Errorf(dissect.Malformed, "ipv4", base+2, "total length %d < header length %d", total, hlen)
	}
	if len(data) < hlen {
		return f.truncated("ipv4", base, hlen, len(data))
	}
	if total == 0 {
		// Captured on a host that offloads segmentation: the length is
		// filled in by the NIC. Take what was captured.
		total = len(data)
	}
	if total > len(data) {
		f.Truncated = true
		total = len(data)
	}
	payload := data[hlen:total]
	base += hlen
	if f.Proto == ProtoAH && f.FragOffset == 0 {
		var err error
		if payload, base, err = f.skipAH(payload, base); err != nil {
			return err
		}
	}
	f.IPPayload = payload
	return d.ipPayload(f, payload, base)
}

// skipAH steps over an IP Authentication Header (RFC 4302), whose length
// field counts 32-bit words minus 2, and sets Proto to what follows it.
func (f *Frame) skipAH(data []byte, base int) ([]byte, int, error) {
	if len(data) < 8 {
		return nil, base, f.short("ah", base, 8, len(data))
	}
	n := (int(data[1]) + 2) * 4
	if len(data) < n {
		return nil, base, f.short("ah", base, n, len(data))
	}
	f.Proto = data[0]
	return data[n:], base + n, nil
}

// ipPayload decodes what an IP header carries: UDP, TCP, or a tunnel. A
// fragment that is not the first carries no header to decode; a first
// fragment's tunnel is left alone (its inner packet is incomplete).
func (d *Decoder) ipPayload(f *Frame, data []byte, base int) error {
	if f.FragOffset != 0 {
		return nil
	}
	switch f.Proto {
	case ProtoUDP:
		return d.udp(f, data, base)
	case ProtoTCP:
		return d.tcp(f, data, base)
	case ProtoGRE:
		if d.DecodeTunnels && !f.Fragment {
			return d.gre(f, data, base)
		}
	case ProtoIPIP, ProtoIPv6:
		if d.DecodeTunnels && !f.Fragment {
			if err := f.pushTunnel(TunnelIPinIP, "ip", base); err != nil {
				return err
			}
			f.resetIP()
			if f.Proto == ProtoIPIP {
				f.EtherType = EtherTypeIPv4
			}
			return d.rawIP(f, data, base)
		}
	}
	return nil
}
