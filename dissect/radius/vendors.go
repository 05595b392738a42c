package radius

import "strconv"

// SMI Private Enterprise Numbers of the vendors this package knows.
const (
	VendorCisco        uint32 = 9
	VendorMicrosoft    uint32 = 311
	VendorADSLForum    uint32 = 3561
	VendorWISPr        uint32 = 14122
	VendorAirespace    uint32 = 14179
	VendorAruba        uint32 = 14823
	VendorJuniper      uint32 = 2636
	VendorCiscoVPN3000 uint32 = 3076
)

// vendorDef is the dictionary of one vendor's sub-attributes.
type vendorDef struct {
	name  string
	attrs map[uint8]attrDef
}

// vendors holds the vendors whose sub-attributes are named. Every one of
// them uses the common format of RFC 2865 §5.26: one octet of type, one
// octet of length (including those two octets), then the value.
var vendors = map[uint32]vendorDef{
	VendorCisco:     {name: "Cisco", attrs: ciscoAttributes},
	VendorMicrosoft: {name: "Microsoft", attrs: microsoftAttributes},
	VendorADSLForum: {name: "ADSL-Forum", attrs: adslForumAttributes},
	VendorWISPr:     {name: "WISPr", attrs: wisprAttributes},
	VendorAirespace: {name: "Airespace", attrs: airespaceAttributes},
	VendorAruba:     {name: "Aruba", attrs: arubaAttributes},
}

// vendorNames names vendors seen in authentication captures whose
// sub-attributes this package does not name.
var vendorNames = map[uint32]string{
	529:                "Ascend",
	1916:               "Extreme",
	2011:               "Huawei",
	2352:               "Ericsson-AB",
	2620:               "CheckPoint",
	VendorJuniper:      "Juniper",
	VendorCiscoVPN3000: "Cisco-VPN3000",
	3375:               "F5",
	3902:               "ZTE",
	4329:               "Siemens",
	4874:               "ERX",
	5535:               "3GPP2",
	6527:               "Alcatel-Lucent-Service-Router",
	8164:               "Starent",
	8741:               "SonicWall",
	10415:              "3GPP",
	11344:              "FreeRADIUS",
	12356:              "Fortinet",
	14988:              "Mikrotik",
	22472:              "Boingo",
	25053:              "Ruckus",
	25461:              "PaloAlto",
	29671:              "Meraki",
}

// VendorName returns the name of a vendor (SMI Private Enterprise Number)
// as the FreeRADIUS dictionaries spell it, or "Vendor-<n>" when unknown.
func VendorName(id uint32) string {
	if v, ok := vendors[id]; ok {
		return v.name
	}
	if n, ok := vendorNames[id]; ok {
		return n
	}
	return "Vendor-" + strconv.FormatUint(uint64(id), 10)
}
