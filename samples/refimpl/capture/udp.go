package capture

import (
	"fmt"

	"github.com/sessionscope/sscope/dissect/packet"
)

const (
	ipv4HeaderLen = 20
	udpHeaderLen  = 8
	// maxUDPPayload is the largest UDP payload an IPv4 datagram carries.
	maxUDPPayload = 0xffff - ipv4HeaderLen - udpHeaderLen
)

// UDP writes one UDP datagram from src to dst and returns the number of its
// first frame. A datagram larger than the MTU is split into IPv4 fragments
// (RFC 791): same identification, offsets in 8-byte units, More Fragments
// on all but the last; the UDP header and checksum cover the whole datagram
// and travel in the first fragment. It returns 0 and writes nothing on error
// (see Writer).
func (w *Writer) UDP(src, dst Endpoint, payload []byte) (firstFrame int) {
	if err := w.checkPair(src, dst); err != nil {
		w.fail(err)
		return 0
	}
	if len(payload) > maxUDPPayload {
		w.fail(fmt.Errorf("capture: UDP payload of %d bytes from %s does not fit in IPv4 (max %d)", len(payload), src, maxUDPPayload))
		return 0
	}
	f := w.ipv4(src.Host, dst.Host, packet.ProtoUDP)
	f.HasTransport = true
	f.SrcPort, f.DstPort = src.Port, dst.Port
	f.Payload = payload
	if ipv4HeaderLen+udpHeaderLen+len(payload) <= w.mtu {
		n, err := w.marshal(&f)
		if err != nil {
			w.fail(err)
			return 0
		}
		return n
	}
	frames, err := fragments(&f, w.mtu)
	if err != nil {
		w.fail(err)
		return 0
	}
	first := w.NextFrame()
	for _, b := range frames {
		w.add(b)
	}
	return first
}

// fragments builds the IPv4 fragments of the datagram f describes for a
// link of the given MTU.
func fragments(f *packet.Frame, mtu int) ([][]byte, error) {
	// The transport header and payload, checksum included, as one piece.
	whole := *f
	whole.Link = packet.LinkRaw
	raw, err := whole.Marshal()
	if err != nil {
		return nil, err
	}
	data := raw[ipv4HeaderLen:]
	chunk := (mtu - ipv4HeaderLen) &^ 7
	var out [][]byte
	for off := 0; off < len(data); off += chunk {
		end := min(off+chunk, len(data))
		frag := *f
		frag.HasTransport = false
		frag.SrcPort, frag.DstPort, frag.Payload = 0, 0, nil
		frag.Fragment = true
		frag.FragOffset = uint32(off)
		frag.MoreFragments = end < len(data)
		frag.IPPayload = data[off:end]
		b, err := frag.Marshal()
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func (w *Writer) checkPair(src, dst Endpoint) error {
	if err := src.check(); err != nil {
		return err
	}
	return dst.check()
}
