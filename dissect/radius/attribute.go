package radius

import (
	"encoding/binary"
	"net/netip"
)

// Attribute is one attribute of a packet.
//
// A Vendor-Specific attribute (Type 26) whose vendor data splits into
// sub-attributes of the common format (one octet of type, one octet of
// length) appears as one Attribute per sub-attribute: Type 26, Vendor the
// vendor's SMI Private Enterprise Number, VendorType the sub-attribute type
// (never 0) and Value the sub-attribute value. A Vendor-Specific attribute
// that does not split is kept whole: VendorType 0, Vendor the vendor number
// when there are at least four octets, and Value the complete attribute
// value as sent, vendor number included.
type Attribute struct {
	Type       uint8
	Vendor     uint32
	VendorType uint8
	// Value aliases the decoded input; copy it to keep it past the input.
	Value []byte
	// Offset is where the attribute's type octet is in the packet (for a
	// vendor sub-attribute, where its vendor type octet is).
	Offset int
}

// Attribute types used by name elsewhere in the project. AttributeName
// names every type.
const (
	AttrUserName               uint8 = 1
	AttrUserPassword           uint8 = 2
	AttrCHAPPassword           uint8 = 3
	AttrNASIPAddress           uint8 = 4
	AttrNASPort                uint8 = 5
	AttrServiceType            uint8 = 6
	AttrFramedProtocol         uint8 = 7
	AttrFramedIPAddress        uint8 = 8
	AttrFramedIPNetmask        uint8 = 9
	AttrFilterID               uint8 = 11
	AttrFramedMTU              uint8 = 12
	AttrReplyMessage           uint8 = 18
	AttrState                  uint8 = 24
	AttrClass                  uint8 = 25
	AttrVendorSpecific         uint8 = 26
	AttrSessionTimeout         uint8 = 27
	AttrIdleTimeout            uint8 = 28
	AttrTerminationAction      uint8 = 29
	AttrCalledStationID        uint8 = 30
	AttrCallingStationID       uint8 = 31
	AttrNASIdentifier          uint8 = 32
	AttrProxyState             uint8 = 33
	AttrAcctStatusType         uint8 = 40
	AttrAcctDelayTime          uint8 = 41
	AttrAcctInputOctets        uint8 = 42
	AttrAcctOutputOctets       uint8 = 43
	AttrAcctSessionID          uint8 = 44
	AttrAcctAuthentic          uint8 = 45
	AttrAcctSessionTime        uint8 = 46
	AttrAcctInputPackets       uint8 = 47
	AttrAcctOutputPackets      uint8 = 48
	AttrAcctTerminateCause     uint8 = 49
	AttrAcctMultiSessionID     uint8 = 50
	AttrEventTimestamp         uint8 = 55
	AttrCHAPChallenge          uint8 = 60
	AttrNASPortType            uint8 = 61
	AttrTunnelType             uint8 = 64
	AttrTunnelMediumType       uint8 = 65
	AttrTunnelPassword         uint8 = 69
	AttrConnectInfo            uint8 = 77
	AttrEAPMessage             uint8 = 79
	AttrMessageAuthenticator   uint8 = 80
	AttrTunnelPrivateGroupID   uint8 = 81
	AttrAcctInterimInterval    uint8 = 85
	AttrNASPortID              uint8 = 87
	AttrChargeableUserIdentity uint8 = 89
	AttrNASIPv6Address         uint8 = 95
	AttrFramedIPv6Prefix       uint8 = 97
	AttrErrorCause             uint8 = 101
	AttrEAPKeyName             uint8 = 102
	AttrOperatorName           uint8 = 126
)

// Sub-attribute types of the vendors most authentication captures carry.
const (
	CiscoAVPair  uint8 = 1
	CiscoNASPort uint8 = 2

	MSCHAPResponse           uint8 = 1
	MSCHAPError              uint8 = 2
	MSMPPEEncryptionPolicy   uint8 = 7
	MSMPPEEncryptionTypes    uint8 = 8
	MSCHAPChallenge          uint8 = 11
	MSCHAPMPPEKeys           uint8 = 12
	MSMPPESendKey            uint8 = 16
	MSMPPERecvKey            uint8 = 17
	MSCHAP2Response          uint8 = 25
	MSCHAP2Success           uint8 = 26
	AirespaceWLANID          uint8 = 1
	AirespaceInterfaceName   uint8 = 5
	AirespaceACLName         uint8 = 6
	ArubaUserRole            uint8 = 1
	ArubaUserVLAN            uint8 = 2
	ArubaEssidName           uint8 = 5
	WISPrLocationID          uint8 = 1
	WISPrLocationName        uint8 = 2
	WISPrRedirectionURL      uint8 = 4
	WISPrBandwidthMaxUp      uint8 = 7
	WISPrBandwidthMaxDown    uint8 = 8
	ADSLAgentCircuitID       uint8 = 1
	ADSLAgentRemoteID        uint8 = 2
	ADSLActualRateUpstream   uint8 = 129
	ADSLActualRateDownstream uint8 = 130
)

// IsVendorSub reports whether a is a vendor sub-attribute split out of a
// Vendor-Specific attribute.
func (a Attribute) IsVendorSub() bool { return a.Type == AttrVendorSpecific && a.VendorType != 0 }

// def returns the dictionary entry of a, if any.
func (a Attribute) def() (attrDef, bool) {
	if a.Type == AttrVendorSpecific {
		if a.VendorType == 0 {
			return standardAttributes[AttrVendorSpecific], true
		}
		return lookup(a.Vendor, a.VendorType)
	}
	return lookup(0, a.Type)
}

// Name returns the dictionary name of a: the attribute name, the vendor
// sub-attribute name, or "Vendor-Specific" for a VSA kept whole.
func (a Attribute) Name() string {
	if a.IsVendorSub() {
		return VendorAttributeName(a.Vendor, a.VendorType)
	}
	return AttributeName(a.Type)
}

// DataType returns the dictionary data type of a (DataString if unknown).
func (a Attribute) DataType() DataType {
	d, _ := a.def()
	return d.typ
}

// Tag returns the tag of a tunnel attribute (RFC 2868 §3): the first
// octet when the dictionary marks the attribute as tagged and the octet is
// 0x00-0x1F (for integer tunnel attributes, always the first octet).
func (a Attribute) Tag() (uint8, bool) {
	d, _ := a.def()
	if d.flags&flagTagged == 0 || len(a.Value) == 0 {
		return 0, false
	}
	if d.typ == DataInteger || d.typ == DataEnum || d.flags&flagSalted != 0 || a.Value[0] <= 0x1f {
		return a.Value[0], true
	}
	return 0, false
}

// untagged returns the value without its tag octet, if it has one.
func (a Attribute) untagged() []byte {
	if _, ok := a.Tag(); ok {
		return a.Value[1:]
	}
	return a.Value
}

// Text returns the value as a string, without the tag octet of a tagged
// tunnel attribute.
func (a Attribute) Text() string { return string(a.untagged()) }

// Uint32 returns a four-octet integer value. For a tagged integer
// attribute (Tunnel-Type, Tunnel-Medium-Type, Tunnel-Preference) the tag
// octet is skipped and the 24-bit value returned.
func (a Attribute) Uint32() (uint32, bool) {
	if len(a.Value) != 4 {
		return 0, false
	}
	v := binary.BigEndian.Uint32(a.Value)
	if _, ok := a.Tag(); ok {
		v &= 0x00ffffff
	}
	return v, true
}

// Addr returns a four-octet (IPv4) or sixteen-octet (IPv6) address value.
func (a Attribute) Addr() (netip.Addr, bool) {
	switch len(a.Value) {
	case 4:
		return netip.AddrFrom4([4]byte(a.Value)), true
	case 16:
		return netip.AddrFrom16([16]byte(a.Value)), true
	}
	return netip.Addr{}, false
}
