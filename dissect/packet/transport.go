package packet

import "github.com/sessionscope/sscope/dissect"

const (
	udpHeaderLen    = 8
	tcpMinHeaderLen = 20
)

// udp decodes a UDP header, trims the payload to the UDP length, and strips
// VXLAN when the destination port says so.
func (d *Decoder) udp(f *Frame, data []byte, base int) error {
	if err := decodeUDP(f, data, base); err != nil {
		return err
	}
	if d.DecodeTunnels && d.VXLANPort != 0 && f.DstPort == d.VXLANPort && !f.Fragment {
		return d.vxlan(f, f.Payload, base+udpHeaderLen)
	}
	return nil
}

func (d *Decoder) tcp(f *Frame, data []byte, base int) error {
	return decodeTCP(f, data, base)
}

// partialHeader reports a transport header that does not fit in the bytes
// left. In the first fragment of a datagram the header may go on in the
// next fragment: that is left to reassembly, not reported.
func (f *Frame) partialHeader(layer string, off, need, have int) error {
	if f.MoreFragments && !f.Truncated {
		return nil
	}
	return f.short(layer, off, need, have)
}

func decodeUDP(f *Frame, data []byte, base int) error {
	if len(data) < udpHeaderLen {
		if len(data) >= 4 {
			f.SrcPort, f.DstPort, f.HasTransport = be16(data[0:2]), be16(data[2:4]), true
		}
		return f.partialHeader("udp", base, udpHeaderLen, len(data))
	}
	f.SrcPort, f.DstPort, f.HasTransport = be16(data[0:2]), be16(data[2:4]), true
	length := int(be16(data[4:6]))
	if length == 0 && f.IPVersion == 6 {
		// RFC 2675: UDP in a jumbogram carries length 0.
		length = len(data)
	}
	if length < udpHeaderLen {
		return dissect.Errorf(dissect.Malformed, "udp", base+4, "length %d < 8", length)
	}
	if length > len(data) {
		f.Payload = data[udpHeaderLen:]
		if f.MoreFragments || f.Truncated {
			// The rest is in later fragments, or was not captured.
			return nil
		}
		return dissect.Errorf(dissect.Malformed, "udp", base+4, "length %d exceeds the %d bytes the IP header leaves", length, len(data))
	}
	f.Payload = data[udpHeaderLen:length]
	return nil
}

func decodeTCP(f *Frame, data []byte, base int) error {
	if len(data) < tcpMinHeaderLen {
		if len(data) >= 4 {
			f.SrcPort, f.DstPort, f.HasTransport = be16(data[0:2]), be16(data[2:4]), true
		}
		return f.partialHeader("tcp", base, tcpMinHeaderLen, len(data))
	}
	f.SrcPort, f.DstPort, f.HasTransport = be16(data[0:2]), be16(data[2:4]), true
	t := &f.TCP
	t.Seq = be32(data[4:8])
	t.Ack = be32(data[8:12])
	t.DataOffset = data[12] >> 4
	t.Flags = data[13]
	t.Window = be16(data[14:16])
	n := int(t.DataOffset) * 4
	if n < tcpMinHeaderLen {
		return dissect.Errorf(dissect.Malformed, "tcp", base+12, "data offset %d < 5", t.DataOffset)
	}
	if len(data) < n {
		return f.partialHeader("tcp", base, n, len(data))
	}
	t.Raw = data[:n]
	f.Payload = data[n:]
	return nil
}

// DecodeTransport decodes the UDP or TCP header at the start of a
// reassembled IP payload (see correlate/ipfrag) into f: ports,
// HasTransport, TCP and Payload. The payload is taken as complete, so a UDP
// length beyond it is Malformed. Other protocols leave f unchanged.
func DecodeTransport(proto uint8, payload []byte, f *Frame) error {
	f.resetTransport()
	saved := f.MoreFragments
	savedTrunc := f.Truncated
	f.MoreFragments, f.Truncated = false, false
	var err error
	switch proto {
	case ProtoUDP:
		err = decodeUDP(f, payload, 0)
	case ProtoTCP:
		err = decodeTCP(f, payload, 0)
	}
	f.MoreFragments = saved
	f.Truncated = savedTrunc
	return err
}
