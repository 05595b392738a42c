package packet

import (
	"encoding/binary"

	"github.com/sessionscope/sscope/dissect"
)

// DefaultVXLANPort is the IANA UDP port of VXLAN (RFC 7348).
const DefaultVXLANPort = 4789

// Decoder decodes captured frames into a Frame. Its fields are options; it
// holds no per-packet state, so one Decoder may serve many goroutines.
type Decoder struct {
	// DecodeTunnels makes Decode strip GRE, ERSPAN, VXLAN and IP-in-IP
	// encapsulations and describe the inner packet. Off, the Frame stops at
	// the outer UDP or GRE/IP payload.
	DecodeTunnels bool
	// VXLANPort is the UDP destination port taken as VXLAN (0: none).
	VXLANPort uint16
}

// NewDecoder returns a Decoder that strips tunnels and takes UDP port 4789
// as VXLAN.
func NewDecoder() *Decoder {
	return &Decoder{DecodeTunnels: true, VXLANPort: DefaultVXLANPort}
}

// Decode decodes one captured frame of the given link type into f, which it
// resets first. On error, the fields decoded before the problem stay set and
// the error is a *dissect.Error naming the layer ("ethernet", "vlan", "sll",
// "ipv4", "ipv6", "gre", "erspan", "udp", "tcp", ...) and the byte offset in
// data. A link type Decode does not support gives an Unsupported error.
func (d *Decoder) Decode(link LinkType, data []byte, f *Frame) error {
	*f = Frame{Link: link}
	switch link {
	case LinkEthernet:
		return d.ethernet(f, data, 0)
	case LinkLinuxSLL:
		return d.linuxSLL(f, data)
	case LinkLinuxSLL2:
		return d.linuxSLL2(f, data)
	case LinkNull:
		return d.bsdLoopback(f, data)
	case LinkLoop:
		return d.openBSDLoopback(f, data)
	case LinkRaw, LinkRawDLT12, LinkRawDLT14:
		return d.rawIP(f, data, 0)
	case LinkIPv4:
		f.EtherType = EtherTypeIPv4
		return d.ipv4(f, data, 0)
	case LinkIPv6:
		f.EtherType = EtherTypeIPv6
		return d.ipv6(f, data, 0)
	}
	return dissect.Errorf(dissect.Unsupported, "link", -1, "link type %s not supported", link)
}

// short reports a header that does not fit in the bytes left: Truncated
// when the capture was cut short (snap length), Malformed when the
// enclosing header declared too few bytes.
func (f *Frame) short(layer string, off, need, have int) error {
	if f.Truncated {
		return dissect.Errorf(dissect.Truncated, layer, off, "need %d bytes, %d captured", need, have)
	}
	return dissect.Errorf(dissect.Malformed, layer, off, "need %d bytes, enclosing header leaves %d", need, have)
}

// truncated reports a header cut by the end of the captured frame.
func (f *Frame) truncated(layer string, off, need, have int) error {
	f.Truncated = true
	return dissect.Errorf(dissect.Truncated, layer, off, "need %d bytes, %d captured", need, have)
}

func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
