package eap

import "github.com/sessionscope/sscope/dissect"

// ParseMethod decodes the type data of a Request or Response with the
// parser for its type and returns the typed value: string (Identity,
// Notification), Nak, MD5Challenge, GTC, MSCHAPv2, TLSFragment, SIMAKA,
// PWD or LEAP. Other types return the raw Data and Unsupported.
func ParseMethod(p *Packet) (any, error) {
	if p.Code != CodeRequest && p.Code != CodeResponse {
		return nil, dissect.Errorf(dissect.Unsupported, layer, 0, "%s carries no method data", p.Code)
	}
	switch {
	case p.Type == TypeIdentity || p.Type == TypeNotification:
		return ParseIdentity(p.Data), nil
	case p.Type == TypeNak || p.IsExpandedNak():
		return ParseNak(p)
	case p.Type == TypeMD5:
		return ParseMD5(p.Data)
	case p.Type == TypeGTC:
		return ParseGTC(p.Data), nil
	case p.Type == TypeMSCHAPv2:
		return ParseMSCHAPv2(p)
	case IsTLSBased(p.Type):
		return ParseTLSFragment(p)
	case p.Type == TypeSIM || p.Type == TypeAKA || p.Type == TypeAKAPrime:
		return ParseSIMAKA(p)
	case p.Type == TypePWD:
		return ParsePWD(p.Data)
	case p.Type == TypeLEAP:
		return ParseLEAP(p.Data)
	}
	return p.Data, dissect.Errorf(dissect.Unsupported, layer, typeHeaderLen-1, "no decoder for %s", p.MethodName())
}
