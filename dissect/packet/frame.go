package packet

import "net/netip"

// EtherTypes the decoder follows or reports.
const (
	EtherTypeIPv4     uint16 = 0x0800
	EtherTypeARP      uint16 = 0x0806
	EtherTypeVLAN     uint16 = 0x8100 // 802.1Q customer tag
	EtherTypeQinQ     uint16 = 0x88a8 // 802.1ad service tag
	EtherTypeVLAN9100 uint16 = 0x9100 // pre-standard QinQ tag
	EtherTypeIPv6     uint16 = 0x86dd
	EtherTypeEAPOL    uint16 = 0x888e
	EtherTypeTEB      uint16 = 0x6558 // Transparent Ethernet Bridging (GRE)
	EtherTypeERSPAN   uint16 = 0x88be // ERSPAN types I and II (GRE)
	EtherTypeERSPAN3  uint16 = 0x22eb // ERSPAN type III (GRE)
)

// IP protocol numbers the decoder follows.
const (
	ProtoHopByHop uint8 = 0
	ProtoICMP     uint8 = 1
	ProtoIPIP     uint8 = 4
	ProtoTCP      uint8 = 6
	ProtoUDP      uint8 = 17
	ProtoIPv6     uint8 = 41
	ProtoRouting  uint8 = 43
	ProtoFragment uint8 = 44
	ProtoGRE      uint8 = 47
	ProtoESP      uint8 = 50
	ProtoAH       uint8 = 51
	ProtoICMPv6   uint8 = 58
	ProtoNoNext   uint8 = 59
	ProtoDstOpts  uint8 = 60
)

// TCP flag bits in TCPHeader.Flags.
const (
	TCPFlagFIN uint8 = 0x01
	TCPFlagSYN uint8 = 0x02
	TCPFlagRST uint8 = 0x04
	TCPFlagPSH uint8 = 0x08
	TCPFlagACK uint8 = 0x10
	TCPFlagURG uint8 = 0x20
	TCPFlagECE uint8 = 0x40
	TCPFlagCWR uint8 = 0x80
)

// MaxVLANs is how many VLAN tags a Frame holds; MaxTunnels how many
// encapsulations Decode strips.
const (
	MaxVLANs   = 4
	MaxTunnels = 4
)

// Frame is what Decode learned about one captured frame. It is caller-owned
// and reused for every packet: Decode resets it first. Its slices alias the
// bytes given to Decode.
//
// When Decode strips a tunnel, the link, VLAN and IP fields describe the
// innermost frame: VLANs are those of the innermost Ethernet header, Src/Dst
// the innermost IP header. Truncated stays set once any layer was cut short.
type Frame struct {
	// Link is the link type the frame was decoded as.
	Link LinkType

	// HasMAC says SrcMAC is known: the innermost Ethernet header, or the
	// 6-byte source address of a Linux cooked header (DstMAC stays zero).
	HasMAC         bool
	SrcMAC, DstMAC [6]byte
	// PacketType and IfIndex come from a Linux cooked header: the packet
	// type (0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by
	// us) and, for SLL2, the interface index.
	PacketType uint8
	IfIndex    uint32

	// VLANs holds the VLAN IDs (12 bits) of 802.1Q (0x8100), 802.1ad
	// (0x88a8) and 0x9100 tags, outermost first, innermost last.
	VLANs [MaxVLANs]uint16
	NVLAN uint8

	// Tunnels lists the encapsulations stripped, outermost first.
	Tunnels [MaxTunnels]Tunnel
	NTunnel uint8
	// ERSPANSession is the session ID of the last ERSPAN II/III header
	// stripped; VXLANVNI the VNI of the last VXLAN header stripped.
	ERSPANSession uint16
	VXLANVNI      uint32

	// EtherType is the innermost EtherType (0 for an 802.3/LLC frame that
	// carries none). For loopback and raw IP links it is set to the
	// EtherType of the IP version found, 0x0800 or 0x86dd.
	EtherType uint16
	// EtherPayload holds the bytes after the innermost EtherType when it is
	// neither IP nor a VLAN tag (EAPOL, ARP, ...), including any padding;
	// for an 802.3 frame, the LLC frame (trimmed to the 802.3 length); for
	// a cooked header with a non-Ethernet protocol, what follows it.
	EtherPayload []byte

	// IPVersion is 4 or 6 when an IP header was decoded, else 0.
	IPVersion uint8
	// Src and Dst are the addresses of the innermost IP header.
	Src, Dst netip.Addr
	// Proto is the upper-layer protocol after IPv4 options, IPv6 extension
	// headers and AH: 6 TCP, 17 UDP, 50 ESP, 59 no next header, ...
	Proto uint8
	// TTL is the IPv4 TTL or the IPv6 hop limit.
	TTL uint8
	// IPID is the IPv4 identification, or the ID of an IPv6 Fragment header.
	IPID uint32
	// Fragment says this packet is an IP fragment: more fragments follow or
	// its offset is not zero. The first fragment has FragOffset 0.
	Fragment      bool
	FragOffset    uint32 // bytes
	MoreFragments bool
	// IPPayload holds the bytes after the IP (and extension) headers,
	// trimmed to the length the IP header declares (drops Ethernet padding
	// and trailers) and to the bytes captured.
	IPPayload []byte

	// HasTransport says a UDP or TCP header was decoded: SrcPort and
	// DstPort are valid (they are 0 otherwise, e.g. for a fragment that is
	// not the first).
	HasTransport     bool
	SrcPort, DstPort uint16
	// TCP is valid when Proto is 6 and HasTransport is set.
	TCP TCPHeader
	// Payload is the UDP or TCP payload, trimmed to the lengths the headers
	// declare and to the bytes captured. For the first fragment of a
	// fragmented datagram it holds only the bytes of that fragment.
	Payload []byte

	// Truncated says the captured bytes end before what the headers declare
	// (snap length); IPPayload and Payload are then partial.
	Truncated bool
}

// TCPHeader holds the TCP header fields the analyzer needs on the fast path.
type TCPHeader struct {
	Seq, Ack uint32
	// Flags: FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40
	// CWR 0x80 (see TCPFlag*).
	Flags  uint8
	Window uint16
	// DataOffset is the header length in 32-bit words (5..15).
	DataOffset uint8
	// Raw is the whole TCP header including options, to hand to gopacket's
	// layers.TCP.DecodeFromBytes when options are needed.
	Raw []byte
}

// VLANList returns the VLAN IDs, outermost first.
func (f *Frame) VLANList() []uint16 { return f.VLANs[:min(int(f.NVLAN), MaxVLANs)] }

// resetIP clears everything an IP header and what it carries set, before an
// inner IP header is decoded.
func (f *Frame) resetIP() {
	f.IPVersion = 0
	f.Src, f.Dst = netip.Addr{}, netip.Addr{}
	f.Proto, f.TTL, f.IPID = 0, 0, 0
	f.Fragment, f.FragOffset, f.MoreFragments = false, 0, false
	f.IPPayload = nil
	f.resetTransport()
}

func (f *Frame) resetTransport() {
	f.HasTransport = false
	f.SrcPort, f.DstPort = 0, 0
	f.TCP = TCPHeader{}
	f.Payload = nil
}

// resetLink clears what an Ethernet header and its tags set, before an inner
// Ethernet header is decoded.
func (f *Frame) resetLink() {
	f.HasMAC = false
	f.SrcMAC, f.DstMAC = [6]byte{}, [6]byte{}
	f.VLANs, f.NVLAN = [MaxVLANs]uint16{}, 0
	f.EtherType = 0
	f.EtherPayload = nil
	f.resetIP()
}
