package eap

import "strconv"

// Code is the EAP packet code (RFC 3748 §4, RFC 6696 for Initiate/Finish).
type Code uint8

// EAP packet codes.
const (
	CodeRequest  Code = 1
	CodeResponse Code = 2
	CodeSuccess  Code = 3
	CodeFailure  Code = 4
	CodeInitiate Code = 5
	CodeFinish   Code = 6
)

func (c Code) String() string {
	switch c {
	case CodeRequest:
		return "Request"
	case CodeResponse:
		return "Response"
	case CodeSuccess:
		return "Success"
	case CodeFailure:
		return "Failure"
	case CodeInitiate:
		return "Initiate"
	case CodeFinish:
		return "Finish"
	}
	return "Code-" + strconv.Itoa(int(c))
}

// Type is the EAP method type of a Request or Response (IANA "Method Types").
type Type uint8

// EAP method types from the IANA registry.
const (
	TypeIdentity      Type = 1
	TypeNotification  Type = 2
	TypeNak           Type = 3
	TypeMD5           Type = 4
	TypeOTP           Type = 5
	TypeGTC           Type = 6
	TypeRSAPKA        Type = 9
	TypeDSS           Type = 10
	TypeKEA           Type = 11
	TypeKEAValidate   Type = 12
	TypeTLS           Type = 13
	TypeAXENT         Type = 14
	TypeSecurID       Type = 15
	TypeArcot         Type = 16
	TypeLEAP          Type = 17
	TypeSIM           Type = 18
	TypeSRPSHA1       Type = 19
	TypeSRPSHA1Part2  Type = 20
	TypeTTLS          Type = 21
	TypeRAS           Type = 22
	TypeAKA           Type = 23
	Type3Com          Type = 24
	TypePEAP          Type = 25
	TypeMSCHAPv2      Type = 26 // "MS-EAP-Authentication" in the registry; EAP-MSCHAPv2 in practice
	TypeMAKE          Type = 27
	TypeCRYPTOCard    Type = 28
	TypeMSCHAPV2IANA  Type = 29 // the registry's "EAP-MSCHAP-V2", rarely seen
	TypeDynamID       Type = 30
	TypeRob           Type = 31
	TypePOTP          Type = 32
	TypeMSAuthTLV     Type = 33
	TypeSentriNET     Type = 34
	TypeActiontec     Type = 35
	TypeCogent        Type = 36
	TypeAirFortress   Type = 37
	TypeHTTPDigest    Type = 38
	TypeSecureSuite   Type = 39
	TypeDeviceConnect Type = 40
	TypeSPEKE         Type = 41
	TypeMOBAC         Type = 42
	TypeFAST          Type = 43
	TypeZLXEAP        Type = 44
	TypeLink          Type = 45
	TypePAX           Type = 46
	TypePSK           Type = 47
	TypeSAKE          Type = 48
	TypeIKEv2         Type = 49
	TypeAKAPrime      Type = 50
	TypeGPSK          Type = 51
	TypePWD           Type = 52
	TypeEKE           Type = 53
	TypePTEAP         Type = 54
	TypeTEAP          Type = 55
	TypeNOOB          Type = 56
	TypeExpanded      Type = 254
	TypeExperimental  Type = 255
)

var typeNames = [256]string{
	TypeIdentity:      "Identity",
	TypeNotification:  "Notification",
	TypeNak:           "Legacy Nak",
	TypeMD5:           "MD5-Challenge",
	TypeOTP:           "OTP",
	TypeGTC:           "GTC",
	7:                 "Allocated",
	8:                 "Allocated",
	TypeRSAPKA:        "RSA-PKA",
	TypeDSS:           "DSS",
	TypeKEA:           "KEA",
	TypeKEAValidate:   "KEA-VALIDATE",
	TypeTLS:           "EAP-TLS",
	TypeAXENT:         "AXENT",
	TypeSecurID:       "RSA-SECURID",
	TypeArcot:         "ARCOT-SYSTEMS",
	TypeLEAP:          "LEAP",
	TypeSIM:           "EAP-SIM",
	TypeSRPSHA1:       "SRP-SHA1",
	TypeSRPSHA1Part2:  "SRP-SHA1-PART2",
	TypeTTLS:          "EAP-TTLS",
	TypeRAS:           "Remote Access Service",
	TypeAKA:           "EAP-AKA",
	Type3Com:          "3Com Wireless",
	TypePEAP:          "PEAP",
	TypeMSCHAPv2:      "EAP-MSCHAPv2",
	TypeMAKE:          "MAKE",
	TypeCRYPTOCard:    "CRYPTOCard",
	TypeMSCHAPV2IANA:  "EAP-MSCHAP-V2",
	TypeDynamID:       "DynamID",
	TypeRob:           "Rob EAP",
	TypePOTP:          "POTP",
	TypeMSAuthTLV:     "MS-Authentication-TLV",
	TypeSentriNET:     "SentriNET",
	TypeActiontec:     "Actiontec Wireless",
	TypeCogent:        "Cogent Biometrics",
	TypeAirFortress:   "AirFortress",
	TypeHTTPDigest:    "HTTP Digest",
	TypeSecureSuite:   "SecureSuite",
	TypeDeviceConnect: "DeviceConnect",
	TypeSPEKE:         "SPEKE",
	TypeMOBAC:         "MOBAC",
	TypeFAST:          "EAP-FAST",
	TypeZLXEAP:        "ZLXEAP",
	TypeLink:          "EAP-Link",
	TypePAX:           "EAP-PAX",
	TypePSK:           "EAP-PSK",
	TypeSAKE:          "EAP-SAKE",
	TypeIKEv2:         "EAP-IKEv2",
	TypeAKAPrime:      "EAP-AKA'",
	TypeGPSK:          "EAP-GPSK",
	TypePWD:           "EAP-pwd",
	TypeEKE:           "EAP-EKE",
	TypePTEAP:         "PT-EAP",
	TypeTEAP:          "TEAP",
	TypeNOOB:          "EAP-NOOB",
	TypeExpanded:      "Expanded Type",
	TypeExperimental:  "Experimental",
}

// String gives the Wireshark-style short name, "Type-<n>" when unassigned.
func (t Type) String() string {
	if n := typeNames[t]; n != "" {
		return n
	}
	return "Type-" + strconv.Itoa(int(t))
}

// IsTLSBased reports whether the method carries TLS records with the
// RFC 5216 flags/length framing: EAP-TLS, EAP-TTLS, PEAP, EAP-FAST, TEAP.
func IsTLSBased(t Type) bool {
	switch t {
	case TypeTLS, TypeTTLS, TypePEAP, TypeFAST, TypeTEAP:
		return true
	}
	return false
}

// IsMethod reports whether t authenticates (anything but Identity,
// Notification, Nak, expanded types and the reserved values).
func IsMethod(t Type) bool {
	switch t {
	case 0, TypeIdentity, TypeNotification, TypeNak, TypeExpanded, TypeExperimental:
		return false
	}
	return true
}
