package correlate

import (
	"net/netip"
	"time"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/tcpstream"
	"github.com/sessionscope/sscope/correlate/tlsconn"
	"github.com/sessionscope/sscope/dissect/packet"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// dtlsFlow is a UDP flow that carries DTLS.
type dtlsFlow struct {
	conn   *tlsconn.Conn
	client packet.FlowKey // oriented client → server
}

// dtlsFlows follows DTLS over UDP: a flow starts with a datagram that looks
// like a DTLS handshake and ends when idle (UDP has no close).
type dtlsFlows struct {
	flows     map[packet.FlowKey]*dtlsFlow
	lastSweep time.Time
}

func (d *dtlsFlows) packet(a *Analyzer, f *packet.Frame, at flow.Ref) bool {
	if d.flows == nil {
		d.flows = make(map[packet.FlowKey]*dtlsFlow)
	}
	key := f.FlowKey()
	ck, _ := key.Canonical()
	fl, ok := d.flows[ck]
	if !ok {
		if !tlsd.LooksLikeDTLS(f.Payload) {
			return false
		}
		// The ClientHello comes from the client; anything else (a
		// HelloVerifyRequest or ServerHello) from the server.
		srcIsClient := len(f.Payload) > 13 && f.Payload[13] == 1
		client := netip.AddrPortFrom(f.Src, f.SrcPort)
		server := netip.AddrPortFrom(f.Dst, f.DstPort)
		ck2 := key
		if !srcIsClient {
			client, server = server, client
			ck2 = key.Reverse()
		}
		fl = &dtlsFlow{conn: tlsconn.NewDTLS(a.tlsEnv, client, server), client: ck2}
		d.flows[ck] = fl
	}
	dir := flow.ClientToServer
	if key != fl.client {
		dir = flow.ServerToClient
	}
	// Flows that multiplex DTLS with STUN and RTP (WebRTC, RFC 7983):
	// only a first byte of 20-63 is DTLS.
	if b := f.Payload[0]; b < 20 || b > 63 {
		fl.conn.Other(at)
	} else {
		fl.conn.Datagram(dir, f.Payload, at)
	}
	d.sweep(at.Time, a.opt.Idle)
	return true
}

// sweep closes flows idle for longer than idle, once per second of capture
// time.
func (d *dtlsFlows) sweep(now time.Time, idle time.Duration) {
	if now.Sub(d.lastSweep) < time.Second {
		return
	}
	d.lastSweep = now
	for k, fl := range d.flows {
		if now.Sub(fl.conn.Last().Time) > idle {
			fl.conn.Close(tcpstream.ClosedIdle, fl.conn.Last())
			delete(d.flows, k)
		}
	}
}

// flush closes every flow: the capture ended.
func (d *dtlsFlows) flush() {
	for k, fl := range d.flows {
		fl.conn.Close(tcpstream.ClosedCaptureEnd, fl.conn.Last())
		delete(d.flows, k)
	}
}
