package packet

import (
	"strconv"

	"github.com/sessionscope/sscope/dissect"
)

// Tunnel is an encapsulation Decode stripped.
type Tunnel uint8

// Tunnels Decode strips.
const (
	TunnelNone        Tunnel = iota
	TunnelGREEthernet        // GRE carrying Transparent Ethernet Bridging (0x6558)
	TunnelGREIP              // GRE carrying IPv4 or IPv6
	TunnelERSPAN1            // ERSPAN type I: GRE 0x88be without sequence number, no header
	TunnelERSPAN2            // ERSPAN type II: GRE 0x88be, 8-byte header
	TunnelERSPAN3            // ERSPAN type III: GRE 0x22eb, 12-byte header (+8 platform bytes)
	TunnelVXLAN              // VXLAN on UDP (port 4789 by default)
	TunnelIPinIP             // IPv4 or IPv6 directly inside IPv4 or IPv6 (protocol 4 or 41)
)

// String names the tunnel.
func (t Tunnel) String() string {
	switch t {
	case TunnelNone:
		return "none"
	case TunnelGREEthernet:
		return "GRE (Ethernet)"
	case TunnelGREIP:
		return "GRE (IP)"
	case TunnelERSPAN1:
		return "ERSPAN I"
	case TunnelERSPAN2:
		return "ERSPAN II"
	case TunnelERSPAN3:
		return "ERSPAN III"
	case TunnelVXLAN:
		return "VXLAN"
	case TunnelIPinIP:
		return "IP in IP"
	}
	return "tunnel(" + strconv.Itoa(int(t)) + ")"
}

// TunnelList returns the stripped tunnels, outermost first.
func (f *Frame) TunnelList() []Tunnel { return f.Tunnels[:min(int(f.NTunnel), MaxTunnels)] }

// pushTunnel records an encapsulation about to be stripped, refusing more
// than MaxTunnels.
func (f *Frame) pushTunnel(t Tunnel, layer string, off int) error {
	if int(f.NTunnel) >= MaxTunnels {
		return dissect.Errorf(dissect.CapExceeded, layer, off, "more than %d nested tunnels", MaxTunnels)
	}
	f.Tunnels[f.NTunnel] = t
	f.NTunnel++
	return nil
}

// innerEthernet strips a tunnel whose payload is an Ethernet frame.
func (d *Decoder) innerEthernet(f *Frame, t Tunnel, layer string, data []byte, base int) error {
	if err := f.pushTunnel(t, layer, base); err != nil {
		return err
	}
	f.resetLink()
	return d.ethernet(f, data, base)
}
