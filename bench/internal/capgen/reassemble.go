package capgen

import (
	"encoding/binary"
	"sort"
)

// reassemble joins the fragments of every datagram whose fragments were
// all captured whole, and links each fragment frame to its datagram.
// Datagrams with a missing, truncated or overlapping fragment stay as they
// are (copies then rewrite their fragments one by one).
func (t *Template) reassemble() {
	groups := map[fragKey][]int{}
	var order []fragKey
	for i := range t.Frames {
		f := &t.Frames[i]
		if f.hdrLen == 0 {
			continue
		}
		if _, ok := groups[f.frag]; !ok {
			order = append(order, f.frag)
		}
		groups[f.frag] = append(groups[f.frag], i)
	}
	for _, k := range order {
		idx := groups[k]
		sort.SliceStable(idx, func(a, b int) bool { return t.Frames[idx[a]].dataOff < t.Frames[idx[b]].dataOff })
		var payload []byte
		hdr, ok := -1, true
		for n, i := range idx {
			f := &t.Frames[i]
			last := n == len(idx)-1
			if !f.fragWhole || f.dataOff != len(payload) || f.moreFrags == last {
				ok = false
				break
			}
			if f.dataOff == 0 {
				hdr = i
			}
			payload = append(payload, f.Packet[f.hdrLen:]...)
		}
		if !ok || hdr < 0 || len(payload) > 65535 {
			continue
		}
		h := &t.Frames[hdr]
		if h.Proto == 17 && (len(payload) < 8 || int(binary.BigEndian.Uint16(payload[4:])) != len(payload)) {
			continue
		}
		if h.Proto == 6 && (len(payload) < 20 || int(payload[12]>>4)*4 < 20 || int(payload[12]>>4)*4 > len(payload)) {
			continue
		}
		t.datagrams = append(t.datagrams, datagram{payload: payload, hdr: hdr})
		for _, i := range idx {
			t.Frames[i].dgram = len(t.datagrams) - 1
		}
	}
}
