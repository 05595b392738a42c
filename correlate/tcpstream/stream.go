package tcpstream

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/dissect/packet"
)

// conn is one followed connection.
type conn struct {
	handler Handler
	client  packet.FlowKey // oriented client → server
	key     packet.FlowKey // canonical
	last    flow.Ref
	fin     [2]bool
	rst     bool
	closed  bool
	// firstIsClient maps reassembly's directions (its client-to-server is
	// the sender of the first segment it saw) onto ours.
	firstIsClient bool
	tracker       *Tracker
}

type factory struct{ t *Tracker }

func (f factory) New(netFlow, tcpFlow gopacket.Flow, tcp *layers.TCP, ac reassembly.AssemblerContext) reassembly.Stream {
	c := f.t.creating
	if c == nil {
		c = &conn{closed: true}
	}
	c.tracker = f.t
	// The stream is created for the segment being assembled now.
	c.firstIsClient = f.t.creatingFromClient
	return c
}

func (c *conn) dir(d reassembly.TCPFlowDirection) flow.Dir {
	if (d == reassembly.TCPDirClientToServer) == c.firstIsClient {
		return flow.ClientToServer
	}
	return flow.ServerToClient
}

func (c *conn) Accept(tcp *layers.TCP, ci gopacket.CaptureInfo, d reassembly.TCPFlowDirection, nextSeq reassembly.Sequence, start *bool, ac reassembly.AssemblerContext) bool {
	our := c.dir(d)
	if tcp.FIN {
		c.fin[our] = true
	}
	if tcp.RST {
		c.rst = true
	}
	// A direction whose SYN was not captured starts at its first segment
	// with data (nextSeq is negative until the stream has started).
	if nextSeq < 0 && !tcp.SYN && len(tcp.Payload) > 0 {
		*start = true
	}
	return true
}

func (c *conn) ReassembledSG(sg reassembly.ScatterGather, ac reassembly.AssemblerContext) {
	if c.closed {
		return
	}
	d, _, _, skip := sg.Info()
	our := c.dir(d)
	avail, _ := sg.Lengths()
	st := sg.Stats()
	c.tracker.stats.OverlapPackets += uint64(st.OverlapPackets)
	if skip > 0 {
		c.tracker.stats.Gaps++
		c.tracker.stats.GapBytes += uint64(skip)
		c.handler.Gap(our, skip, unpackRef(sg.CaptureInfo(0)))
	}
	if avail == 0 {
		return
	}
	data := sg.Fetch(avail)
	c.handler.Data(our, data, func(end int) flow.Ref {
		if end < 1 {
			end = 1
		}
		return unpackRef(sg.CaptureInfo(end - 1))
	})
}

func (c *conn) ReassemblyComplete(ac reassembly.AssemblerContext) bool {
	t := c.tracker
	if t == nil || c.closed {
		return true
	}
	reason := t.closing
	if reason == "" {
		reason = ClosedFIN
	}
	t.finish(c.key, c, reason)
	return true
}
