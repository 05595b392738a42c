package ttls

import (
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

const layer = "eap-ttls"

// AVP flags (RFC 5281 section 10.1).
const (
	FlagVendor    = 0x80
	FlagMandatory = 0x40
)

// Vendors of the AVPs this package names.
const (
	VendorIETF      uint32 = 0
	VendorMicrosoft uint32 = 311
)

// AVP codes this package names: RADIUS attribute numbers (vendor 0) and
// Microsoft's vendor-specific attributes (RFC 2548).
const (
	CodeUserName      uint32 = 1
	CodeUserPassword  uint32 = 2
	CodeCHAPPassword  uint32 = 3
	CodeReplyMessage  uint32 = 18
	CodeCHAPChallenge uint32 = 60
	CodeEAPMessage    uint32 = 79
	MSCHAPResponse    uint32 = 1
	MSCHAPError       uint32 = 2
	MSCHAPChallenge   uint32 = 11
	MSCHAP2Response   uint32 = 25
	MSCHAP2Success    uint32 = 26
	headerLen                = 8
	vendorHeaderLen          = 12
	maxAVPLength             = 1<<24 - 1
)

// AVP is one attribute-value pair.
type AVP struct {
	Code      uint32
	Flags     uint8
	VendorID  uint32 // 0 unless the V flag is set
	Data      []byte // aliases the input
	Mandatory bool
}

// Name names the AVP as RADIUS and RFC 2548 do, e.g. "MS-CHAP2-Response",
// or "AVP-<code>" / "AVP-<vendor>-<code>" for others.
func (a AVP) Name() string {
	switch a.VendorID {
	case VendorIETF:
		switch a.Code {
		case CodeUserName:
			return "User-Name"
		case CodeUserPassword:
			return "User-Password"
		case CodeCHAPPassword:
			return "CHAP-Password"
		case CodeReplyMessage:
			return "Reply-Message"
		case CodeCHAPChallenge:
			return "CHAP-Challenge"
		case CodeEAPMessage:
			return "EAP-Message"
		}
		return "AVP-" + strconv.FormatUint(uint64(a.Code), 10)
	case VendorMicrosoft:
		switch a.Code {
		case MSCHAPResponse:
			return "MS-CHAP-Response"
		case MSCHAPError:
			return "MS-CHAP-Error"
		case MSCHAPChallenge:
			return "MS-CHAP-Challenge"
		case MSCHAP2Response:
			return "MS-CHAP2-Response"
		case MSCHAP2Success:
			return "MS-CHAP2-Success"
		}
	}
	return "AVP-" + strconv.FormatUint(uint64(a.VendorID), 10) + "-" + strconv.FormatUint(uint64(a.Code), 10)
}

// Parse splits the decrypted data of one EAP-TTLS message into AVPs. It
// returns the AVPs it could read and a *dissect.Error for the rest. Data
// slices alias b.
func Parse(b []byte) ([]AVP, error) {
	var out []AVP
	s := cryptobyte.String(b)
	for !s.Empty() {
		off := len(b) - len(s)
		var a AVP
		var length uint32
		if !s.ReadUint32(&a.Code) || !s.ReadUint8(&a.Flags) || !s.ReadUint24(&length) {
			return out, dissect.Errorf(dissect.Truncated, layer, off, "%d bytes left, an AVP header needs 8", len(b)-off)
		}
		a.Mandatory = a.Flags&FlagMandatory != 0
		hl := headerLen
		if a.Flags&FlagVendor != 0 {
			if !s.ReadUint32(&a.VendorID) {
				return out, dissect.Errorf(dissect.Truncated, layer, off, "vendor AVP header cut short")
			}
			hl = vendorHeaderLen
		}
		if int(length) < hl {
			return out, dissect.Errorf(dissect.Malformed, layer, off+5, "AVP length %d below its header size %d", length, hl)
		}
		var data []byte
		if !s.ReadBytes(&data, int(length)-hl) {
			return out, dissect.Errorf(dissect.Truncated, layer, off, "%s AVP of %d bytes runs past the data", a.Name(), length)
		}
		a.Data = data
		out = append(out, a)
		// Padding to a multiple of four octets (absent after the last).
		if pad := (4 - int(length)%4) % 4; pad > 0 && !s.Empty() {
			if !s.Skip(pad) {
				return out, dissect.Errorf(dissect.Truncated, layer, len(b), "padding of the last AVP cut short")
			}
		}
	}
	return out, nil
}

// Marshal encodes AVPs with their padding (the reverse of Parse, for
// tests and the reference implementation).
func Marshal(avps []AVP) ([]byte, error) {
	var b cryptobyte.Builder
	for i, a := range avps {
		hl := headerLen
		flags := a.Flags &^ FlagVendor
		if a.VendorID != 0 {
			hl = vendorHeaderLen
			flags |= FlagVendor
		}
		if a.Mandatory {
			flags |= FlagMandatory
		}
		n := hl + len(a.Data)
		if n > maxAVPLength {
			return nil, dissect.Errorf(dissect.CapExceeded, layer, -1, "AVP of %d bytes", n)
		}
		b.AddUint32(a.Code)
		b.AddUint8(flags)
		b.AddUint24(uint32(n))
		if a.VendorID != 0 {
			b.AddUint32(a.VendorID)
		}
		b.AddBytes(a.Data)
		if i < len(avps)-1 {
			b.AddBytes(make([]byte, (4-n%4)%4))
		}
	}
	return b.Bytes()
}

// InnerMethod names the inner authentication an AVP of the peer reveals
// (RFC 5281 section 11): "PAP", "CHAP", "MS-CHAP", "MS-CHAP-V2", or ""
// for AVPs that reveal none (EAP-Message names its method in the EAP
// packet it carries).
func InnerMethod(a AVP) string {
	switch {
	case a.VendorID == VendorIETF && a.Code == CodeUserPassword:
		return "PAP"
	case a.VendorID == VendorIETF && a.Code == CodeCHAPPassword:
		return "CHAP"
	case a.VendorID == VendorMicrosoft && a.Code == MSCHAPResponse:
		return "MS-CHAP"
	case a.VendorID == VendorMicrosoft && a.Code == MSCHAP2Response:
		return "MS-CHAP-V2"
	}
	return ""
}
