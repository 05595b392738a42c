package capgen

import (
	"net/netip"
)

// flowKey is a transport flow independent of direction.
type flowKey struct {
	proto uint8
	a, b  netip.AddrPort
}

func makeFlowKey(proto uint8, x, y netip.AddrPort) flowKey {
	if x.Compare(y) > 0 {
		x, y = y, x
	}
	return flowKey{proto, x, y}
}

// flowInfo gathers what decides which end of a flow is the server.
type flowInfo struct {
	first  netip.AddrPort // destination of the first packet
	synDst netip.AddrPort
	hasSyn bool
	server netip.AddrPort
}

// decideServer picks the server end of a flow: the target of a SYN, else
// the only end on a well-known service port, else the only end on a
// privileged port, else the destination of the first packet.
func (fi *flowInfo) decideServer(k flowKey) {
	switch {
	case fi.hasSyn:
		fi.server = fi.synDst
	case isServicePort(k.a.Port()) != isServicePort(k.b.Port()):
		fi.server = k.b
		if isServicePort(k.a.Port()) {
			fi.server = k.a
		}
	case (k.a.Port() < 1024) != (k.b.Port() < 1024):
		fi.server = k.b
		if k.a.Port() < 1024 {
			fi.server = k.a
		}
	default:
		fi.server = fi.first
	}
}

// hostKey names a host. An address that talks to itself (loopback
// captures) is split into its client and server roles.
type hostKey struct {
	addr netip.Addr
	role uint8 // 0 plain, 1 client end of a self flow, 2 server end
}

func (t *Template) analyze(raws []rawFrame, opt LoadOptions) error {
	ps := make([]parsed, 0, len(raws))
	flows := map[flowKey]*flowInfo{}
	for _, r := range raws {
		var p parsed
		p.raw = r
		if !parseIP(r.pkt, &p) {
			t.Dropped++
			continue
		}
		if p.first {
			k := makeFlowKey(p.f.Proto, p.src, p.dst)
			fi := flows[k]
			if fi == nil {
				fi = &flowInfo{first: p.dst}
				flows[k] = fi
			}
			if p.syn && !fi.hasSyn {
				fi.hasSyn, fi.synDst = true, p.dst
			}
		}
		ps = append(ps, p)
	}
	for k, fi := range flows {
		fi.decideServer(k)
	}

	// Mark RADIUS, then drop what the options filter out.
	radiusFrag := map[fragKey]bool{}
	for i := range ps {
		p := &ps[i]
		if p.first && p.f.Proto == 17 && (isRADIUSPort(p.src.Port()) || isRADIUSPort(p.dst.Port())) {
			pl := p.f.Packet[p.f.L4+8:]
			p.f.RADIUS = len(pl) >= 20 && (isRADIUSRequest(pl[0]) || isRADIUSResponse(pl[0]))
			if p.fragment && p.f.RADIUS {
				radiusFrag[p.f.frag] = true
			}
		}
	}
	if opt.RADIUSOnly {
		kept := ps[:0]
		for _, p := range ps {
			if p.f.RADIUS || (p.fragment && !p.first && radiusFrag[p.f.frag]) {
				kept = append(kept, p)
			} else {
				t.Dropped++
			}
		}
		ps = kept
	}

	// Classify hosts and ports.
	hosts := map[hostKey]int{}
	nSide := [2]int{}
	host := func(k hostKey, clientSide bool) int {
		if i, ok := hosts[k]; ok {
			return i
		}
		side := 0
		if clientSide {
			side = 1
		}
		t.Hosts = append(t.Hosts, Host{Addr: k.addr, ClientSide: clientSide, Index: nSide[side]})
		nSide[side]++
		hosts[k] = len(t.Hosts) - 1
		return len(t.Hosts) - 1
	}
	type fragHosts struct{ src, dst int }
	firstFrag := map[fragKey]fragHosts{}
	for i := range ps {
		p := &ps[i]
		if !p.first {
			continue
		}
		fi := flows[makeFlowKey(p.f.Proto, p.src, p.dst)]
		srcServer := p.src == fi.server && p.dst != fi.server
		sk, dk := hostKey{addr: p.src.Addr()}, hostKey{addr: p.dst.Addr()}
		if p.src.Addr() == p.dst.Addr() {
			sk.role, dk.role = 1, 2
			if srcServer {
				sk.role, dk.role = 2, 1
			}
		}
		p.f.Src = host(sk, !srcServer)
		p.f.Dst = host(dk, srcServer)
		p.f.RemapSrcPort = !srcServer
		p.f.RemapDstPort = srcServer
		if p.fragment {
			firstFrag[p.f.frag] = fragHosts{p.f.Src, p.f.Dst}
		}
	}
	for i := range ps {
		p := &ps[i]
		if p.first {
			continue
		}
		if fh, ok := firstFrag[p.f.frag]; ok {
			p.f.Src, p.f.Dst = fh.src, fh.dst
			continue
		}
		p.f.Src = host(hostKey{addr: p.src.Addr()}, true)
		p.f.Dst = host(hostKey{addr: p.dst.Addr()}, false)
	}

	// Keep, pair RADIUS requests and responses, clamp gaps.
	type radiusKey struct {
		client, server netip.AddrPort
		id             byte
	}
	lastReq := map[radiusKey]int{}
	var prevTS, off int64
	for i := range ps {
		p := &ps[i]
		p.f.Request, p.f.dgram = -1, -1
		if p.f.RADIUS {
			t.RADIUSFrames++
			pl := p.f.Packet[p.f.L4+8:]
			switch {
			case isRADIUSRequest(pl[0]):
				lastReq[radiusKey{p.src, p.dst, pl[1]}] = len(t.Frames)
			case isRADIUSResponse(pl[0]):
				if j, ok := lastReq[radiusKey{p.dst, p.src, pl[1]}]; ok {
					p.f.Request = j
				}
			}
		}
		if len(t.Frames) > 0 {
			gap := p.raw.ts - prevTS
			if opt.MaxGap > 0 && gap > int64(opt.MaxGap) {
				gap = int64(opt.MaxGap)
			}
			off += gap
		}
		prevTS = p.raw.ts
		p.f.Offset = off
		t.Frames = append(t.Frames, p.f)
	}
	t.Duration = off
	t.clientHosts = nSide[1]
	t.reassemble()
	return nil
}
