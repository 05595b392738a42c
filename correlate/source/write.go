package source

import (
	"fmt"
	"io"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/dissect/packet"
)

// WriteOptions choose the format of WritePackets and what a pcapng file
// says about itself.
type WriteOptions struct {
	Pcapng bool
	// Interface names the pcapng interface of the first packet's link
	// type; Application is the section's shb_userappl.
	Interface, Application string
}

// defaultSnapLen is the snap length written when no packet is longer.
const defaultSnapLen = 262144

// WritePackets writes packets as a capture file: pcap with nanosecond
// timestamps (one link type only), or pcapng with one interface per link
// type at nanosecond resolution.
func WritePackets(w io.Writer, pkts []Packet, o WriteOptions) error {
	link := packet.LinkEthernet
	snap := defaultSnapLen
	var links []packet.LinkType
	for i := range pkts {
		if i == 0 {
			link = pkts[0].Link
		}
		if indexOfLink(links, pkts[i].Link) < 0 {
			links = append(links, pkts[i].Link)
		}
		snap = max(snap, len(pkts[i].Data))
	}
	if !o.Pcapng {
		if len(links) > 1 {
			return fmt.Errorf("the frames have %d link types and a pcap file holds one: write a .pcapng file", len(links))
		}
		pw := pcapgo.NewWriterNanos(w)
		if err := pw.WriteFileHeader(uint32(snap), layers.LinkType(link)); err != nil {
			return err
		}
		for i := range pkts {
			if err := pw.WritePacket(captureInfo(&pkts[i], 0), pkts[i].Data); err != nil {
				return err
			}
		}
		return nil
	}
	if len(links) == 0 {
		links = []packet.LinkType{link}
	}
	intf := func(l packet.LinkType, name string) pcapgo.NgInterface {
		return pcapgo.NgInterface{Name: name, LinkType: layers.LinkType(l), SnapLength: uint32(snap), TimestampResolution: 9}
	}
	nw, err := pcapgo.NewNgWriterInterface(w, intf(links[0], o.Interface), pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Application: o.Application}})
	if err != nil {
		return err
	}
	for _, l := range links[1:] {
		if _, err := nw.AddInterface(intf(l, "")); err != nil {
			return err
		}
	}
	for i := range pkts {
		if err := nw.WritePacket(captureInfo(&pkts[i], indexOfLink(links, pkts[i].Link)), pkts[i].Data); err != nil {
			return err
		}
	}
	return nw.Flush()
}

func captureInfo(p *Packet, intf int) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: p.Timestamp, CaptureLength: len(p.Data), Length: max(p.Length, len(p.Data)), InterfaceIndex: intf}
}

func indexOfLink(ls []packet.LinkType, l packet.LinkType) int {
	for i, x := range ls {
		if x == l {
			return i
		}
	}
	return -1
}
