package capgen

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// Link types whose frames a template may hold. Every one is reduced to its
// IP packet; the generators write their own Ethernet headers.
const (
	linkNull      = layers.LinkType(0)
	linkEthernet  = layers.LinkType(1)
	linkRawBSD12  = layers.LinkType(12)
	linkRawBSD14  = layers.LinkType(14)
	linkRaw       = layers.LinkType(101)
	linkLoop      = layers.LinkType(108)
	linkLinuxSLL  = layers.LinkType(113)
	linkIPv4      = layers.LinkType(228)
	linkIPv6      = layers.LinkType(229)
	linkLinuxSLL2 = layers.LinkType(276)
)

// supportedLink reports whether ipFromLink understands lt.
func supportedLink(lt layers.LinkType) bool {
	switch lt {
	case linkNull, linkEthernet, linkRawBSD12, linkRawBSD14, linkRaw, linkLoop,
		linkLinuxSLL, linkIPv4, linkIPv6, linkLinuxSLL2:
		return true
	}
	return false
}

// ipFromLink returns the IP packet carried by a frame of link type lt, or
// nil when the frame carries something else (ARP, EAPOL, ...).
func ipFromLink(lt layers.LinkType, data []byte) []byte {
	switch lt {
	case linkEthernet:
		if len(data) < 14 {
			return nil
		}
		et := binary.BigEndian.Uint16(data[12:])
		off := 14
		for et == EtherTypeDot1Q || et == EtherTypeQinQ || et == 0x9100 {
			if len(data) < off+4 {
				return nil
			}
			et = binary.BigEndian.Uint16(data[off+2:])
			off += 4
		}
		return ipByEtherType(et, data[off:])
	case linkNull, linkLoop:
		if len(data) < 4 {
			return nil
		}
		fam := binary.LittleEndian.Uint32(data)
		if lt == linkLoop || fam > 0xffff {
			fam = binary.BigEndian.Uint32(data)
		}
		switch fam {
		case 2:
			return ipByVersion(4, data[4:])
		case 10, 24, 28, 30:
			return ipByVersion(6, data[4:])
		}
		return nil
	case linkRaw, linkRawBSD12, linkRawBSD14:
		if len(data) == 0 {
			return nil
		}
		return ipByVersion(data[0]>>4, data)
	case linkIPv4:
		return ipByVersion(4, data)
	case linkIPv6:
		return ipByVersion(6, data)
	case linkLinuxSLL:
		if len(data) < 16 {
			return nil
		}
		return ipByEtherType(binary.BigEndian.Uint16(data[14:]), data[16:])
	case linkLinuxSLL2:
		if len(data) < 20 {
			return nil
		}
		return ipByEtherType(binary.BigEndian.Uint16(data[0:]), data[20:])
	}
	return nil
}

func ipByEtherType(et uint16, b []byte) []byte {
	switch et {
	case EtherTypeIPv4:
		return ipByVersion(4, b)
	case EtherTypeIPv6:
		return ipByVersion(6, b)
	}
	return nil
}

// ipByVersion returns b when it starts with an IP header of version v.
func ipByVersion(v byte, b []byte) []byte {
	if len(b) == 0 || b[0]>>4 != v {
		return nil
	}
	return b
}
