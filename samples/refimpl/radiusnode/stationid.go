package radiusnode

import (
	"fmt"
	"net"
	"strings"
)

// StationID formats a MAC address the way 802.1X switches and wireless
// controllers put it in Calling-Station-Id and Called-Station-Id (RFC
// 3580 section 3.21): upper-case hexadecimal octets separated by
// hyphens, "02-00-5E-10-00-02".
func StationID(mac net.HardwareAddr) string {
	parts := make([]string, len(mac))
	for i, b := range mac {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, "-")
}
