package capture

import (
	"fmt"
	"net"
	"net/netip"
)

// Host is one machine on the captured Ethernet segment.
type Host struct {
	Name string
	MAC  net.HardwareAddr // 6 bytes
	IP   netip.Addr       // IPv4
}

// Endpoint is a host and a UDP or TCP port on it.
type Endpoint struct {
	Host *Host
	Port uint16
}

// String gives "name ip:port" for messages.
func (e Endpoint) String() string {
	if e.Host == nil {
		return fmt.Sprintf("<no host>:%d", e.Port)
	}
	return fmt.Sprintf("%s %s", e.Host.Name, netip.AddrPortFrom(e.Host.IP, e.Port))
}

// check says what makes e unusable for building frames, if anything.
func (e Endpoint) check() error {
	switch {
	case e.Host == nil:
		return fmt.Errorf("capture: endpoint %s has no host", e)
	case len(e.Host.MAC) != 6:
		return fmt.Errorf("capture: host %q has a %d-byte MAC address, want 6", e.Host.Name, len(e.Host.MAC))
	case !e.Host.IP.Is4():
		return fmt.Errorf("capture: host %q has address %v, want IPv4", e.Host.Name, e.Host.IP)
	}
	return nil
}

// mac is the host's MAC address as dissect/packet holds it.
func (h *Host) mac() [6]byte { return [6]byte(h.MAC) }
