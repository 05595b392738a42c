package radius

import "strconv"

// DataType is the data type of an attribute value, named as RFC 8044 names
// them (plus "short", which one RFC 5904 attribute uses).
type DataType uint8

// Attribute data types.
const (
	// DataString is binary data ("octets" in FreeRADIUS dictionaries).
	DataString DataType = iota
	// DataText is UTF-8 text ("string" in FreeRADIUS dictionaries).
	DataText
	// DataConcat is binary data that may span several attributes of the
	// same type, joined in order (EAP-Message, RFC 3579).
	DataConcat
	DataInteger
	// DataEnum is an integer whose values have registered names.
	DataEnum
	DataInteger64
	DataShort
	// DataTime is seconds since 1970-01-01 00:00 UTC, 32 bits.
	DataTime
	DataIPv4Addr
	DataIPv6Addr
	DataIPv6Prefix
	DataIPv4Prefix
	// DataIfID is a 64-bit IPv6 interface identifier.
	DataIfID
	DataVSA
	DataTLV
	DataExtended
	DataLongExtended
)

var dataTypeNames = [...]string{
	DataString:       "string",
	DataText:         "text",
	DataConcat:       "concat",
	DataInteger:      "integer",
	DataEnum:         "enum",
	DataInteger64:    "integer64",
	DataShort:        "short",
	DataTime:         "time",
	DataIPv4Addr:     "ipv4addr",
	DataIPv6Addr:     "ipv6addr",
	DataIPv6Prefix:   "ipv6prefix",
	DataIPv4Prefix:   "ipv4prefix",
	DataIfID:         "ifid",
	DataVSA:          "vsa",
	DataTLV:          "tlv",
	DataExtended:     "extended",
	DataLongExtended: "long-extended",
}

func (t DataType) String() string {
	if int(t) < len(dataTypeNames) {
		return dataTypeNames[t]
	}
	return "DataType-" + strconv.Itoa(int(t))
}

// attrFlags are dictionary properties that change how a value is read.
type attrFlags uint8

const (
	// flagTagged: a tunnel attribute whose value starts with a tag octet
	// (RFC 2868 §3).
	flagTagged attrFlags = 1 << iota
	// flagUserPassword: hidden with the User-Password method (RFC 2865 §5.2).
	flagUserPassword
	// flagSalted: hidden with the salted method of Tunnel-Password
	// (RFC 2868 §3.5) and MS-MPPE keys (RFC 2548 §2.4.2).
	flagSalted
	// flagSecret: the value is a password, a password-derived response or
	// key material; formatting redacts it.
	flagSecret
)

// valueFormat selects a value layout that no generic data type describes.
type valueFormat uint8

const (
	formatDefault valueFormat = iota
	// formatEgressVLANID: tag indication octet, 12 bits pad, 12-bit VLAN
	// ID (RFC 4675 §2.1).
	formatEgressVLANID
	// formatEgressVLANName: tag indication octet, then the VLAN name
	// (RFC 4675 §2.3).
	formatEgressVLANName
	// formatOperatorName: namespace ID octet, then the operator name
	// (RFC 5580 §4.1).
	formatOperatorName
	// formatMIP6HomeLinkPrefix: prefix length octet, then 16 octets of
	// IPv6 prefix (RFC 5447 §4.2).
	formatMIP6HomeLinkPrefix
)

// attrDef is one dictionary entry.
type attrDef struct {
	name   string
	typ    DataType
	size   uint8 // required value length (of a hidden value: before hiding); 0 when it varies
	flags  attrFlags
	format valueFormat
	values map[uint32]string // names of enumerated values
}

// lookup returns the dictionary entry for an attribute, standard (vendor 0)
// or vendor-specific.
func lookup(vendor uint32, t uint8) (attrDef, bool) {
	if vendor == 0 {
		d := standardAttributes[t]
		return d, d.name != ""
	}
	v, ok := vendors[vendor]
	if !ok {
		return attrDef{}, false
	}
	d, ok := v.attrs[t]
	return d, ok
}

// AttributeName returns the registered name of standard attribute t, or
// "Attr-<n>" when it is not in the dictionary.
func AttributeName(t uint8) string {
	if d := standardAttributes[t]; d.name != "" {
		return d.name
	}
	return "Attr-" + strconv.Itoa(int(t))
}

// VendorAttributeName returns the name of sub-attribute t of a vendor, or
// "Attr-26.<vendor>.<n>" (the FreeRADIUS spelling) when unknown.
func VendorAttributeName(vendor uint32, t uint8) string {
	if d, ok := lookup(vendor, t); ok && vendor != 0 {
		return d.name
	}
	return "Attr-26." + strconv.FormatUint(uint64(vendor), 10) + "." + strconv.Itoa(int(t))
}

// AttributeDataType returns the data type of standard attribute t
// (DataString when unknown).
func AttributeDataType(t uint8) DataType {
	return standardAttributes[t].typ
}

// VendorAttributeDataType returns the data type of a vendor sub-attribute
// (DataString when unknown).
func VendorAttributeDataType(vendor uint32, t uint8) DataType {
	d, _ := lookup(vendor, t)
	return d.typ
}

// ValueName returns the registered name of value v of enumerated attribute
// t of vendor (0 for standard attributes), and whether there is one.
func ValueName(vendor uint32, t uint8, v uint32) (string, bool) {
	d, ok := lookup(vendor, t)
	if !ok || d.values == nil {
		return "", false
	}
	n, ok := d.values[v]
	return n, ok
}
