package radiusconv

import (
	"strings"
)

// NormalizeMAC reads a MAC address in the spellings NASes use in
// Calling-Station-Id ("00-11-22-33-44-55", "00:11:22:33:44:55",
// "0011.2233.4455", "001122334455") and writes it as aa:bb:cc:dd:ee:ff.
func NormalizeMAC(s string) (string, bool) {
	var hexd []byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9', ch >= 'a' && ch <= 'f':
			hexd = append(hexd, ch)
		case ch >= 'A' && ch <= 'F':
			hexd = append(hexd, ch+'a'-'A')
		case ch == '-' || ch == ':' || ch == '.':
		default:
			return "", false
		}
	}
	if len(hexd) != 12 {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.Write(hexd[i : i+2])
	}
	return b.String(), true
}

// ClientKey groups the sessions of one client: Calling-Station-Id first
// (normalized when it is a MAC address), then audit-session-id, then
// identity at NAS. It also returns a label for people.
func ClientKey(station, audit, identity, nas string) (key, label string) {
	if station != "" {
		if mac, ok := NormalizeMAC(station); ok {
			return "mac:" + mac, mac
		}
		return "station:" + station, station
	}
	if audit != "" {
		return "audit-session-id:" + audit, "audit-session-id " + audit
	}
	if identity != "" {
		return "identity:" + identity + "@" + nas, identity + " at NAS " + nas
	}
	return "nas:" + nas, "NAS " + nas
}
