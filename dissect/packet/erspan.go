package packet

import "github.com/sessionscope/sscope/dissect"

// ERSPAN header sizes (draft-foschiano-erspan).
const (
	erspan2HeaderLen     = 8
	erspan3HeaderLen     = 12
	erspan3PlatformLen   = 8
	erspan3FrameEthernet = 0
	erspan3FrameIP       = 2
)

// erspan decodes an ERSPAN type II or III header. Both start with
// version(4) VLAN(12) COS(3) En(2) T(1) session ID(10). Type III goes on
// with timestamp(32) SGT(16) P(1) FT(5) HW ID(6) D(1) Gra(2) O(1) and, when
// O is set, an 8-byte platform-specific subheader. type3 is set for GRE
// protocol 0x22eb, which only carries type III. As in Wireshark, a header
// with a version other than 1 (type II) or 2 (type III) is Unsupported.
func (d *Decoder) erspan(f *Frame, data []byte, base int, type3 bool) error {
	if len(data) < erspan2HeaderLen {
		return f.short("erspan", base, erspan2HeaderLen, len(data))
	}
	version := data[0] >> 4
	session := be16(data[2:4]) & 0x03ff
	switch {
	case !type3 && version == 1:
		if err := f.pushTunnel(TunnelERSPAN2, "erspan", base); err != nil {
			return err
		}
		f.ERSPANSession = session
		f.resetLink()
		return d.ethernet(f, data[erspan2HeaderLen:], base+erspan2HeaderLen)
	case version == 2:
	default:
		return dissect.Errorf(dissect.Unsupported, "erspan", base, "ERSPAN version %d", version)
	}
	if len(data) < erspan3HeaderLen {
		return f.short("erspan", base, erspan3HeaderLen, len(data))
	}
	n := erspan3HeaderLen
	if data[11]&0x01 != 0 {
		n += erspan3PlatformLen
		if len(data) < n {
			return f.short("erspan", base, n, len(data))
		}
	}
	frameType := (data[10] >> 2) & 0x1f
	if frameType != erspan3FrameEthernet && frameType != erspan3FrameIP {
		return dissect.Errorf(dissect.Unsupported, "erspan", base+10, "ERSPAN III frame type %d", frameType)
	}
	if err := f.pushTunnel(TunnelERSPAN3, "erspan", base); err != nil {
		return err
	}
	f.ERSPANSession = session
	f.resetLink()
	if frameType == erspan3FrameIP {
		return d.rawIP(f, data[n:], base+n)
	}
	return d.ethernet(f, data[n:], base+n)
}
