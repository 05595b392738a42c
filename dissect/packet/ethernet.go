package packet

import "github.com/sessionscope/sscope/dissect"

const ethernetHeaderLen = 14

// ethernet decodes an Ethernet II or 802.3 header at data (base is its
// offset in the frame) and what follows.
func (d *Decoder) ethernet(f *Frame, data []byte, base int) error {
	if len(data) < ethernetHeaderLen {
		return f.truncated("ethernet", base, ethernetHeaderLen, len(data))
	}
	f.HasMAC = true
	copy(f.DstMAC[:], data[0:6])
	copy(f.SrcMAC[:], data[6:12])
	return d.etherType(f, be16(data[12:14]), data[ethernetHeaderLen:], base+ethernetHeaderLen)
}

// etherType follows an EtherType (or 802.3 length) through VLAN tags to the
// network layer. data starts right after the type field.
func (d *Decoder) etherType(f *Frame, et uint16, data []byte, base int) error {
	for {
		if et < 0x0600 {
			// 802.3: et is the length of an LLC frame.
			return d.llc(f, data, base, int(et))
		}
		f.EtherType = et
		switch et {
		case EtherTypeIPv4:
			return d.ipv4(f, data, base)
		case EtherTypeIPv6:
			return d.ipv6(f, data, base)
		case EtherTypeVLAN, EtherTypeQinQ, EtherTypeVLAN9100:
			if len(data) < 4 {
				return f.truncated("vlan", base, 4, len(data))
			}
			if f.NVLAN >= MaxVLANs {
				return dissect.Errorf(dissect.Unsupported, "vlan", base, "more than %d VLAN tags", MaxVLANs)
			}
			f.VLANs[f.NVLAN] = be16(data[0:2]) & 0x0fff
			f.NVLAN++
			et = be16(data[2:4])
			data = data[4:]
			base += 4
		default:
			f.EtherPayload = data
			return nil
		}
	}
}

// llc handles an 802.2 LLC frame. SNAP frames with a zero OUI carry an
// EtherType and are followed; anything else (spanning tree, NetBIOS, CDP,
// ...) is skipped without error: it cannot carry what the analyzer wants.
// length is the 802.3 length field, or -1 when the header had none.
func (d *Decoder) llc(f *Frame, data []byte, base, length int) error {
	f.EtherType = 0
	if length > len(data) {
		f.Truncated = true
	} else if length >= 0 {
		data = data[:length] // drop padding
	}
	if len(data) < 8 || data[0] != 0xaa || data[1] != 0xaa || data[2] != 0x03 ||
		data[3] != 0 || data[4] != 0 || data[5] != 0 {
		f.EtherPayload = data
		return nil
	}
	et := be16(data[6:8])
	if et < 0x0600 {
		f.EtherPayload = data
		return nil
	}
	return d.etherType(f, et, data[8:], base+8)
}
