package radius

import "strings"

// CiscoAVPairs returns the values of the packet's Cisco-AVPair
// sub-attributes (vendor 9, type 1), each "name=value" (or "name*value"
// for an optional attribute), in packet order.
func (p *Packet) CiscoAVPairs() []string {
	var out []string
	for i := range p.Attributes {
		a := &p.Attributes[i]
		if a.IsVendorSub() && a.Vendor == VendorCisco && a.VendorType == CiscoAVPair {
			out = append(out, string(a.Value))
		}
	}
	return out
}

// AuditSessionID returns the value of the first "audit-session-id"
// Cisco-AVPair: the session identifier Cisco switches, wireless
// controllers and ASAs share between RADIUS, 802.1X and VPN logs. The name
// is matched without regard to case.
func (p *Packet) AuditSessionID() (string, bool) {
	for i := range p.Attributes {
		a := &p.Attributes[i]
		if !a.IsVendorSub() || a.Vendor != VendorCisco || a.VendorType != CiscoAVPair {
			continue
		}
		if name, value, ok := splitAVPair(string(a.Value)); ok && strings.EqualFold(name, "audit-session-id") {
			return value, true
		}
	}
	return "", false
}

// splitAVPair splits a Cisco AV pair at its first '=' (mandatory) or '*'
// (optional) separator.
func splitAVPair(pair string) (name, value string, ok bool) {
	i := strings.IndexAny(pair, "=*")
	if i < 0 {
		return "", "", false
	}
	return pair[:i], pair[i+1:], true
}
