package packet

const vxlanHeaderLen = 8

// vxlan strips a VXLAN header (RFC 7348): flags(8, I = 0x08) reserved(24)
// VNI(24) reserved(8), followed by an Ethernet frame. A datagram too short
// or without the I flag is left as UDP.
func (d *Decoder) vxlan(f *Frame, data []byte, base int) error {
	if len(data) < vxlanHeaderLen {
		if f.Truncated {
			return f.short("vxlan", base, vxlanHeaderLen, len(data))
		}
		return nil
	}
	if data[0]&0x08 == 0 {
		return nil
	}
	if err := f.pushTunnel(TunnelVXLAN, "vxlan", base); err != nil {
		return err
	}
	f.VXLANVNI = be32(data[4:8]) >> 8
	f.resetLink()
	return d.ethernet(f, data[vxlanHeaderLen:], base+vxlanHeaderLen)
}
