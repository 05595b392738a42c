package radiusconv

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/radius"
)

// attrs are the identifying attributes of the client, from the first
// request that carried them.
type attrs struct {
	station, called, nasIP, nasID, audit, user, nasPort, nasPortType string
}

func (a *attrs) fill(p *radius.Packet) {
	set := func(dst *string, t uint8) {
		if *dst == "" {
			if v, ok := p.Text(t); ok {
				*dst = v
			}
		}
	}
	set(&a.station, radius.AttrCallingStationID)
	set(&a.called, radius.AttrCalledStationID)
	set(&a.nasID, radius.AttrNASIdentifier)
	set(&a.user, radius.AttrUserName)
	set(&a.nasPort, radius.AttrNASPortID)
	if a.nasIP == "" {
		if ip, ok := p.Addr(radius.AttrNASIPAddress); ok {
			a.nasIP = ip.String()
		} else if ip, ok := p.Addr(radius.AttrNASIPv6Address); ok {
			a.nasIP = ip.String()
		}
	}
	if a.audit == "" {
		if v, ok := p.AuditSessionID(); ok {
			a.audit = v
		}
	}
	if a.nasPortType == "" {
		if v, ok := p.Uint32(radius.AttrNASPortType); ok {
			if name, ok := radius.ValueName(0, radius.AttrNASPortType, v); ok {
				a.nasPortType = name
			}
		}
	}
}

func hexString(b []byte) string { return hex.EncodeToString(b) }

func shortState(st []byte) string {
	h := hexString(st)
	if isPrintable(st) && len(st) <= 48 {
		return fmt.Sprintf("%q", string(st))
	}
	return report.ShortHex(h)
}

func isPrintable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return len(b) > 0
}

// describeAttrs lists the identifying attributes of a first request.
func describeAttrs(p *radius.Packet, show bool) string {
	var parts []string
	for _, want := range []uint8{radius.AttrUserName, radius.AttrCallingStationID, radius.AttrCalledStationID, radius.AttrNASIPAddress, radius.AttrNASIdentifier, radius.AttrNASPortType, radius.AttrServiceType} {
		for _, a := range p.Attributes {
			if a.Type == want && a.Vendor == 0 {
				f := radius.FormatAttribute(a, show)
				parts = append(parts, f.Name+"="+f.Value)
				break
			}
		}
	}
	if v, ok := p.AuditSessionID(); ok {
		parts = append(parts, "audit-session-id="+v)
	}
	if !p.HasMessageAuthenticator() {
		parts = append(parts, "no Message-Authenticator")
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

func kindOf(err error) string {
	if k := dissect.KindOf(err); k != 0 {
		return k.String()
	}
	return "malformed"
}
