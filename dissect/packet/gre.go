package packet

// GRE header flag bits (RFC 2784, RFC 2890; R from RFC 1701).
const (
	greChecksum = 0x8000
	greRouting  = 0x4000
	greKey      = 0x2000
	greSequence = 0x1000
	greVersion  = 0x0007
)

// gre decodes a GRE header and strips it when it carries Ethernet (0x6558),
// IP, or ERSPAN. Other GRE (PPTP's version 1, RFC 1701 routing, protocols
// the analyzer does not read) is left as the IP payload without error.
func (d *Decoder) gre(f *Frame, data []byte, base int) error {
	if len(data) < 4 {
		return f.short("gre", base, 4, len(data))
	}
	flags := be16(data[0:2])
	proto := be16(data[2:4])
	if flags&greVersion != 0 || flags&greRouting != 0 {
		return nil
	}
	n := 4
	if flags&greChecksum != 0 {
		n += 4
	}
	if flags&greKey != 0 {
		n += 4
	}
	if flags&greSequence != 0 {
		n += 4
	}
	if len(data) < n {
		return f.short("gre", base, n, len(data))
	}
	inner, ib := data[n:], base+n
	switch proto {
	case EtherTypeTEB:
		return d.innerEthernet(f, TunnelGREEthernet, "gre", inner, ib)
	case EtherTypeIPv4, EtherTypeIPv6:
		if err := f.pushTunnel(TunnelGREIP, "gre", base); err != nil {
			return err
		}
		f.resetIP()
		return d.rawIP(f, inner, ib)
	case EtherTypeERSPAN:
		if flags&greSequence == 0 {
			// Type I: no ERSPAN header, the mirrored frame follows.
			return d.innerEthernet(f, TunnelERSPAN1, "erspan", inner, ib)
		}
		return d.erspan(f, inner, ib, false)
	case EtherTypeERSPAN3:
		return d.erspan(f, inner, ib, true)
	}
	return nil
}
