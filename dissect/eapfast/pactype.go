package eapfast

import "strconv"

// PACType is the kind of a PAC (the PAC-Type attribute, RFC 5422 section
// 4.2.6).
type PACType uint16

// PAC types. 1 to 3 are the IANA "EAP-FAST PAC Types" (RFC 5422), the
// same numbers hostapd (src/eap_common/eap_fast_common.h), FreeRADIUS
// (rlm_eap_fast/eap_fast.h) and Apple's eap8021x use. Cisco's Machine
// Authorization and TrustSec PACs have no public number: none of those
// implementations nor the registry lists one. This project gives them 4
// and 5, the next values of the registry's unassigned range, and says so
// wherever they appear; a real Cisco capture may use other numbers.
const (
	PACTypeTunnel                PACType = 1
	PACTypeMachineAuthentication PACType = 2 // the "Machine PAC"
	PACTypeUserAuthorization     PACType = 3
	PACTypeMachineAuthorization  PACType = 4 // project's choice, see above
	PACTypeTrustSec              PACType = 5 // project's choice, see above
)

// String names the type as vendors' logs do, e.g. "Tunnel PAC".
func (t PACType) String() string {
	switch t {
	case PACTypeTunnel:
		return "Tunnel PAC"
	case PACTypeMachineAuthentication:
		return "Machine PAC"
	case PACTypeUserAuthorization:
		return "User Authorization PAC"
	case PACTypeMachineAuthorization:
		return "Machine Authorization PAC"
	case PACTypeTrustSec:
		return "TrustSec PAC"
	}
	return "PAC-Type-" + strconv.Itoa(int(t))
}

// ReportName is the name the JSON report uses: "tunnel", "machine",
// "user-authorization", "machine-authorization", "trustsec", or "unknown".
func (t PACType) ReportName() string {
	switch t {
	case PACTypeTunnel:
		return "tunnel"
	case PACTypeMachineAuthentication:
		return "machine"
	case PACTypeUserAuthorization:
		return "user-authorization"
	case PACTypeMachineAuthorization:
		return "machine-authorization"
	case PACTypeTrustSec:
		return "trustsec"
	}
	return "unknown"
}

// PACAttrType is the type of an attribute inside a PAC TLV or PAC-Info.
type PACAttrType uint16

// PAC attribute types (RFC 5422 section 4.2.1, IANA "EAP-FAST PAC
// Attribute Types"; 6 is reserved).
const (
	PACAttrPACKey             PACAttrType = 1
	PACAttrPACOpaque          PACAttrType = 2
	PACAttrPACLifetime        PACAttrType = 3
	PACAttrAID                PACAttrType = 4
	PACAttrIID                PACAttrType = 5
	PACAttrAIDInfo            PACAttrType = 7
	PACAttrPACAcknowledgement PACAttrType = 8
	PACAttrPACInfo            PACAttrType = 9
	PACAttrPACType            PACAttrType = 10
)

var pacAttrNames = map[PACAttrType]string{
	PACAttrPACKey:             "PAC-Key",
	PACAttrPACOpaque:          "PAC-Opaque",
	PACAttrPACLifetime:        "PAC-Lifetime",
	PACAttrAID:                "A-ID",
	PACAttrIID:                "I-ID",
	PACAttrAIDInfo:            "A-ID-Info",
	PACAttrPACAcknowledgement: "PAC-Acknowledgement",
	PACAttrPACInfo:            "PAC-Info",
	PACAttrPACType:            "PAC-Type",
}

func (t PACAttrType) String() string {
	if n, ok := pacAttrNames[t]; ok {
		return n
	}
	return "PAC-Attribute-" + strconv.Itoa(int(t))
}
