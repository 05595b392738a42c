package packet

import (
	"net/netip"

	"github.com/sessionscope/sscope/dissect"
)

const ipv6HeaderLen = 40

// ipv6 decodes an IPv6 header and its extension headers (hop-by-hop,
// routing, destination options, fragment, AH) and what follows. It stops
// at ESP, No Next Header and anything else it does not know as an
// extension header; Proto is then that header's number.
func (d *Decoder) ipv6(f *Frame, data []byte, base int) error {
	if len(data) < ipv6HeaderLen {
		return f.truncated("ipv6", base, ipv6HeaderLen, len(data))
	}
	if v := data[0] >> 4; v != 6 {
		return dissect.Errorf(dissect.Malformed, "ipv6", base, "version %d", v)
	}
	end := ipv6HeaderLen + int(be16(data[4:6]))
	next := data[6]
	f.IPVersion = 6
	f.TTL = data[7]
	f.Src = netip.AddrFrom16([16]byte(data[8:24]))
	f.Dst = netip.AddrFrom16([16]byte(data[24:40]))
	f.Proto = next
	if end == ipv6HeaderLen && (next == ProtoHopByHop || len(data)-ipv6HeaderLen >= 20) {
		// Payload length 0 with a header behind it (more than Ethernet
		// padding could be): a jumbogram or a segmentation-offload
		// capture. Take what was captured.
		end = len(data)
	}
	if end > len(data) {
		f.Truncated = true
		end = len(data)
	}
	rest := data[ipv6HeaderLen:end]
	base += ipv6HeaderLen
	for {
		switch next {
		case ProtoHopByHop, ProtoRouting, ProtoDstOpts:
			if len(rest) < 8 {
				return f.short("ipv6", base, 8, len(rest))
			}
			n := (int(rest[1]) + 1) * 8
			if len(rest) < n {
				return f.short("ipv6", base, n, len(rest))
			}
			next = rest[0]
			rest, base = rest[n:], base+n
		case ProtoFragment:
			if len(rest) < 8 {
				return f.short("ipv6", base, 8, len(rest))
			}
			off := be16(rest[2:4])
			f.FragOffset = uint32(off & 0xfff8)
			f.MoreFragments = off&1 != 0
			f.Fragment = f.MoreFragments || f.FragOffset != 0
			f.IPID = be32(rest[4:8])
			next = rest[0]
			rest, base = rest[8:], base+8
			if f.FragOffset != 0 {
				// The rest is the middle of a datagram.
				f.Proto = next
				f.IPPayload = rest
				return nil
			}
		case ProtoAH:
			var err error
			if rest, base, err = f.skipAH(rest, base); err != nil {
				return err
			}
			next = f.Proto
		default:
			f.Proto = next
			f.IPPayload = rest
			return d.ipPayload(f, rest, base)
		}
		f.Proto = next
	}
}
