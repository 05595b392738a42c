package packet

const (
	sllHeaderLen  = 16
	sll2HeaderLen = 20

	arphrdNetlink = 824 // ARPHRD_NETLINK: the protocol field is a netlink family

	ethP8023 = 0x0001 // ETH_P_802_3: Novell raw 802.3
	ethP8022 = 0x0004 // ETH_P_802_2: 802.2 LLC frame
)

// linuxSLL decodes a Linux cooked capture header (LINKTYPE_LINUX_SLL):
// packet type(2) ARPHRD type(2) address length(2) address(8) protocol(2).
func (d *Decoder) linuxSLL(f *Frame, data []byte) error {
	if len(data) < sllHeaderLen {
		return f.truncated("sll", 0, sllHeaderLen, len(data))
	}
	f.PacketType = uint8(be16(data[0:2]))
	hatype := be16(data[2:4])
	if be16(data[4:6]) == 6 {
		f.HasMAC = true
		copy(f.SrcMAC[:], data[6:12])
	}
	return d.cookedProtocol(f, hatype, be16(data[14:16]), data[sllHeaderLen:], sllHeaderLen)
}

// linuxSLL2 decodes a Linux cooked capture v2 header (LINKTYPE_LINUX_SLL2):
// protocol(2) reserved(2) interface index(4) ARPHRD type(2) packet type(1)
// address length(1) address(8).
func (d *Decoder) linuxSLL2(f *Frame, data []byte) error {
	if len(data) < sll2HeaderLen {
		return f.truncated("sll2", 0, sll2HeaderLen, len(data))
	}
	proto := be16(data[0:2])
	f.IfIndex = be32(data[4:8])
	hatype := be16(data[8:10])
	f.PacketType = data[10]
	if data[11] == 6 {
		f.HasMAC = true
		copy(f.SrcMAC[:], data[12:18])
	}
	return d.cookedProtocol(f, hatype, proto, data[sll2HeaderLen:], sll2HeaderLen)
}

// cookedProtocol follows the protocol field of a cooked header: an
// EtherType, or one of Linux's ETH_P_* values below 0x0600.
func (d *Decoder) cookedProtocol(f *Frame, hatype, proto uint16, data []byte, base int) error {
	if hatype == arphrdNetlink {
		f.EtherPayload = data
		return nil
	}
	switch {
	case proto == ethP8022:
		return d.llc(f, data, base, -1)
	case proto < 0x0600:
		// Novell raw 802.3, CAN, ... : nothing the analyzer reads.
		f.EtherPayload = data
		return nil
	}
	return d.etherType(f, proto, data, base)
}
