package scenario

import (
	"net"
	"net/netip"

	"github.com/sessionscope/sscope/samples/refimpl/capture"
)

// host makes a capture host with a locally administered MAC derived from
// its address.
func host(name, ip string) *capture.Host {
	a := netip.MustParseAddr(ip).As4()
	return &capture.Host{
		Name: name,
		MAC:  net.HardwareAddr{0x02, 0x00, 0x5e, a[1], a[2], a[3]},
		IP:   netip.MustParseAddr(ip),
	}
}
