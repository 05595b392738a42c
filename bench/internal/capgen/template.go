package capgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"sort"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Template is a capture whose frames the generators copy. Every kept frame
// is a TCP or UDP packet over IPv4 or IPv6, reduced to its IP packet; the
// hosts it involves are classified as client side (given a distinct
// address in every copy) or server side (shared by all copies).
type Template struct {
	// Path is the file the template was read from.
	Path string
	// ID selects the server-side addresses of the template's copies; the
	// loader leaves it zero and the caller numbers its templates.
	ID int
	// Frames are the kept frames in time order.
	Frames []Frame
	// Hosts are the distinct endpoints the frames refer to.
	Hosts []Host
	// Duration is the offset of the last frame, after gap clamping.
	Duration int64
	// RADIUSFrames counts frames that carry RADIUS.
	RADIUSFrames int
	// Dropped counts frames that were not kept (not IP, not TCP/UDP,
	// unreadable, or filtered out by LoadOptions).
	Dropped int
	// clientHosts is the number of client-side hosts.
	clientHosts int
	// datagrams are the IP-fragmented datagrams whose fragments are all
	// present, reassembled so that copies can rewrite them whole.
	datagrams []datagram
}

// datagram is a reassembled IP-fragmented TCP or UDP datagram.
type datagram struct {
	// payload is the L4 header and data.
	payload []byte
	// hdr is the index of the fragment frame carrying the L4 header.
	hdr int
}

// Host is one endpoint address of a template.
type Host struct {
	Addr netip.Addr
	// ClientSide hosts get a distinct address in every copy; server-side
	// hosts keep one address per template across copies.
	ClientSide bool
	// Index numbers the hosts of the same side, from 0.
	Index int
}

// Frame is one kept template frame.
type Frame struct {
	// Offset is the time since the template's first kept frame in
	// nanoseconds, with idle gaps clamped to LoadOptions.MaxGap.
	Offset int64
	// Packet is the IP packet as captured, trimmed to the IP length.
	Packet []byte
	V6     bool
	// Proto is 6 (TCP) or 17 (UDP).
	Proto uint8
	// L4 is the offset of the TCP/UDP header in Packet, 0 in a
	// non-first IP fragment.
	L4 int
	// Whole is true when the datagram is unfragmented and not cut by the
	// capture's snaplen, so its L4 checksum can be recomputed from scratch.
	Whole bool
	// Src and Dst index Hosts.
	Src, Dst int
	// RemapSrcPort and RemapDstPort mark client-side (ephemeral) ports.
	RemapSrcPort, RemapDstPort bool
	// RADIUS marks UDP frames to or from a RADIUS port holding a RADIUS
	// header.
	RADIUS bool
	// Request is, for a RADIUS response, the index of the request frame
	// it answers; -1 otherwise.
	Request int
	// frag identifies the datagram an IP fragment belongs to.
	frag fragKey
	// dgram indexes Template.datagrams for a fragment of a reassembled
	// datagram, -1 otherwise; dataOff is where the fragment's data starts
	// in it and hdrLen the length of the IP header(s) in Packet.
	dgram, dataOff, hdrLen int
	// moreFrags is the fragment's more-fragments flag; fragWhole says the
	// fragment was captured whole.
	moreFrags, fragWhole bool
}

// LoadOptions select what a template keeps.
type LoadOptions struct {
	// MaxGap clamps idle gaps between consecutive frames (0 keeps the
	// original timing exactly).
	MaxGap time.Duration
	// RADIUSOnly keeps only RADIUS frames (and the IP fragments of
	// fragmented RADIUS datagrams).
	RADIUSOnly bool
}

// LoadTemplate reads a pcap or pcapng file.
func LoadTemplate(path string, opt LoadOptions) (*Template, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := ReadTemplate(f, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t.Path = path
	return t, nil
}

// rawFrame is a frame read from the file before analysis.
type rawFrame struct {
	ts  int64
	pkt []byte
}

// ReadTemplate reads a template from a pcap or pcapng stream.
func ReadTemplate(r io.Reader, opt LoadOptions) (*Template, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("reading capture header: %w", err)
	}
	t := &Template{}
	var raws []rawFrame
	keep := func(lt layers.LinkType, data []byte, ci gopacket.CaptureInfo) {
		ip := ipFromLink(lt, data)
		if ip == nil {
			t.Dropped++
			return
		}
		raws = append(raws, rawFrame{ts: ci.Timestamp.UnixNano(), pkt: ip})
	}
	if bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		ng, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			return nil, err
		}
		for {
			data, ci, err := ng.ReadPacketData()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, err
			}
			iface, err := ng.Interface(ci.InterfaceIndex)
			if err != nil || !supportedLink(iface.LinkType) {
				t.Dropped++
				continue
			}
			keep(iface.LinkType, data, ci)
		}
	} else {
		pr, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, err
		}
		lt := pr.LinkType()
		if !supportedLink(lt) {
			return nil, fmt.Errorf("unsupported link type %v", lt)
		}
		for {
			data, ci, err := pr.ReadPacketData()
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return nil, err
			}
			keep(lt, data, ci)
		}
	}
	sort.SliceStable(raws, func(i, j int) bool { return raws[i].ts < raws[j].ts })
	if err := t.analyze(raws, opt); err != nil {
		return nil, err
	}
	if len(t.Frames) == 0 {
		if opt.RADIUSOnly {
			return nil, errors.New("no RADIUS frames to copy")
		}
		return nil, errors.New("no TCP or UDP frames to copy")
	}
	return t, nil
}

// ClientHosts is the number of client-side hosts.
func (t *Template) ClientHosts() int { return t.clientHosts }
