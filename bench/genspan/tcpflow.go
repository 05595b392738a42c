package main

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/sessionscope/sscope/bench/internal/capgen"
)

// flowKind is the application a background TCP flow imitates.
type flowKind uint8

const (
	kindWeb    flowKind = iota // HTTP on 80/8080: request, response with body
	kindBulk                   // SMB/NFS/rsync-like long one-way transfer
	kindTLS                    // TLS 1.2/1.3 handshake on 443, then application data
	kindMid443                 // joined mid-flow on 443: TLS application data only
	kindRaw443                 // joined mid-flow on 443: bytes that are not TLS at all
	kindSSH                    // interactive, small packets
	kindDB                     // database-like request/response
	numKinds
)

var kindNames = [numKinds]string{"web", "bulk", "tls", "mid443", "raw443", "ssh", "db"}

// kindWeights is the share of new TCP flows of each kind (per mille).
var kindWeights = [numKinds]int{320, 70, 230, 120, 30, 40, 190}

// tcpPhase is where a flow is in its life.
type tcpPhase uint8

const (
	phSyn tcpPhase = iota
	phSynAck
	phAck
	phData
	phFin1
	phFin2
	phLastAck
	phRst
)

// TCP header sizes: options on a SYN (MSS, SACK-permitted, timestamps,
// window scale) and on every other segment (timestamps).
const (
	tcpSynHdr  = 40
	tcpHdr     = 32
	tcpPayOff  = l4Off + tcpHdr
	mss        = 1448
	flagFIN    = 0x01
	flagSYN    = 0x02
	flagRST    = 0x04
	flagPSH    = 0x08
	flagACK    = 0x10
	tlsRecord  = 16384 + 24 // TLS 1.2 AES-GCM record payload
	tls13Recrd = 16384 + 17 // TLS 1.3 record payload (content type + tag)
)

// tcpFlow is one background TCP connection.
type tcpFlow struct {
	kind     flowKind
	cli, srv endpoint
	enc      capgen.Encap
	seq      [2]uint32 // next sequence number to send: client, server
	tsBase   [2]uint32
	win      [2]uint16
	phase    tcpPhase

	msg           message
	hasMsg        bool
	unacked       int
	ackOwed       bool
	ackFromClient bool

	step         int // position in the kind's script
	left         int // exchanges still to run
	clientCloses bool
	abort        bool // end with a reset
	vanish       bool // end without teardown (capture stops seeing it)
	upload       bool // bulk data flows client to server
	tls          tlsFlow
	scratch      []byte
}

// newTCPFlow sets up a fresh flow in slot f (reusing its scratch buffer).
func (g *generator) newTCPFlow(f *tcpFlow) {
	scratch := f.scratch[:0]
	*f = tcpFlow{scratch: scratch}
	f.kind = g.pickKind()
	g.stats.flows[f.kind]++
	cliTTL := uint8(64)
	if g.rng.IntN(3) == 0 {
		cliTTL = 128
	}
	f.cli = newEndpoint(g.clientIP(), uint16(32768+g.rng.IntN(28232)), cliTTL)
	srvIdx := g.rng.IntN(numServers)
	f.srv = newEndpoint(serverIP(srvIdx), 0, uint8(48+g.rng.IntN(16)))
	f.cli.ipID, f.srv.ipID = uint16(g.rng.Uint32()), uint16(g.rng.Uint32())
	f.enc = g.pickEncap()
	f.seq = [2]uint32{g.rng.Uint32(), g.rng.Uint32()}
	f.tsBase = [2]uint32{g.rng.Uint32(), g.rng.Uint32()}
	f.win = [2]uint16{uint16(500 + g.rng.IntN(3000)), uint16(200 + g.rng.IntN(2000))}
	f.clientCloses = g.rng.IntN(3) != 0
	f.abort = g.rng.IntN(25) == 0
	switch f.kind {
	case kindWeb:
		f.srv.port = [...]uint16{80, 80, 80, 8080}[g.rng.IntN(4)]
		f.left = 1 + g.rng.IntN(4)
	case kindBulk:
		f.srv.port = [...]uint16{445, 2049, 873, 22, 3260, 9092}[g.rng.IntN(6)]
		// Log-uniform total between 256 KiB and 16 MiB, in 64 KiB chunks.
		f.left = int(math.Exp(math.Log(4)+g.rng.Float64()*math.Log(64))) + 1
		f.upload = g.rng.IntN(4) == 0
	case kindTLS:
		f.srv.port = 443
		f.left = 1 + g.rng.IntN(4)
		g.planTLS(f, srvIdx)
	case kindMid443, kindRaw443:
		f.srv.port = 443
		f.phase = phData
		f.left = 1 + g.rng.IntN(6)
		f.vanish = g.rng.IntN(2) == 0
	case kindSSH:
		f.srv.port = 22
		f.left = 20 + g.rng.IntN(200)
	case kindDB:
		f.srv.port = [...]uint16{3306, 5432, 1433, 6379, 27017}[g.rng.IntN(5)]
		f.left = 3 + g.rng.IntN(40)
	}
}

// stepTCP emits the flow's next packet and reports whether the flow ended.
func (g *generator) stepTCP(f *tcpFlow) bool {
	switch f.phase {
	case phSyn:
		g.tcpSend(f, true, flagSYN, 0)
		f.phase = phSynAck
	case phSynAck:
		g.tcpSend(f, false, flagSYN|flagACK, 0)
		f.phase = phAck
	case phAck:
		g.tcpSend(f, true, flagACK, 0)
		f.phase = phData
	case phData:
		if f.ackOwed {
			g.tcpSend(f, f.ackFromClient, flagACK, 0)
			f.ackOwed = false
			return false
		}
		if !f.hasMsg || f.msg.remaining() <= 0 {
			f.hasMsg = g.nextMessage(f)
			if !f.hasMsg {
				switch {
				case f.abort:
					f.phase = phRst
				case f.vanish:
					return true
				default:
					f.phase = phFin1
				}
				return g.stepTCP(f)
			}
		}
		n := min(mss, f.msg.remaining())
		f.msg.read(g.buf[tcpPayOff:tcpPayOff+n], g.pool)
		flags := byte(flagACK)
		if f.msg.remaining() == 0 {
			flags |= flagPSH
		}
		g.tcpSend(f, f.msg.c2s, flags, n)
		f.unacked++
		if f.unacked >= 2 || f.msg.remaining() == 0 {
			f.ackOwed, f.ackFromClient, f.unacked = true, !f.msg.c2s, 0
		}
	case phFin1:
		g.tcpSend(f, f.clientCloses, flagFIN|flagACK, 0)
		f.phase = phFin2
	case phFin2:
		g.tcpSend(f, !f.clientCloses, flagFIN|flagACK, 0)
		f.phase = phLastAck
	case phLastAck:
		g.tcpSend(f, f.clientCloses, flagACK, 0)
		return true
	case phRst:
		g.tcpSend(f, f.clientCloses, flagRST|flagACK, 0)
		return true
	}
	return false
}

// tcpSend writes one segment with n payload bytes already at tcpPayOff.
func (g *generator) tcpSend(f *tcpFlow, c2s bool, flags byte, n int) {
	me, peer := 0, 1
	src, dst := &f.cli, &f.srv
	if !c2s {
		me, peer = 1, 0
		src, dst = &f.srv, &f.cli
	}
	hdr := tcpHdr
	if flags&flagSYN != 0 {
		hdr = tcpSynHdr
	}
	t := g.buf[l4Off : l4Off+hdr]
	binary.BigEndian.PutUint16(t[0:], src.port)
	binary.BigEndian.PutUint16(t[2:], dst.port)
	binary.BigEndian.PutUint32(t[4:], f.seq[me])
	ack := uint32(0)
	if flags&flagACK != 0 {
		ack = f.seq[peer]
	}
	binary.BigEndian.PutUint32(t[8:], ack)
	t[12] = byte(hdr/4) << 4
	t[13] = flags
	binary.BigEndian.PutUint16(t[14:], f.win[me])
	t[16], t[17], t[18], t[19] = 0, 0, 0, 0
	now := uint32(g.clock / 1e6)
	tsval, tsecr := f.tsBase[me]+now, f.tsBase[peer]+now
	if flags == flagSYN {
		tsecr = 0
	}
	o := t[20:]
	if flags&flagSYN != 0 {
		copy(o, []byte{2, 4, 0x05, 0xb4, 4, 2, 8, 10})
		binary.BigEndian.PutUint32(o[8:], tsval)
		binary.BigEndian.PutUint32(o[12:], tsecr)
		copy(o[16:], []byte{1, 3, 3, 7})
	} else {
		o[0], o[1], o[2], o[3] = 1, 1, 8, 10
		binary.BigEndian.PutUint32(o[4:], tsval)
		binary.BigEndian.PutUint32(o[8:], tsecr)
	}
	f.seq[me] += uint32(n)
	if flags&(flagSYN|flagFIN) != 0 {
		f.seq[me]++
	}
	g.sendIPv4(&f.enc, src, dst, protoTCP, hdr+n)
	g.stats.tcpBytes[f.kind] += int64(n)
}

// nextMessage sets f.msg to the flow's next message, or reports that the
// conversation is over.
func (g *generator) nextMessage(f *tcpFlow) bool {
	m := &f.msg
	*m = message{poolOff: g.rng.IntN(poolSize)}
	defer func() { f.step++ }()
	switch f.kind {
	case kindWeb:
		if f.left == 0 {
			return false
		}
		if f.step%2 == 0 {
			m.c2s = true
			m.head = g.httpRequests[g.rng.IntN(len(g.httpRequests))]
			m.size = len(m.head)
			return true
		}
		f.left--
		body := g.logNormal(8<<10, 1.7, 4<<20)
		f.scratch = append(f.scratch[:0], "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: "...)
		f.scratch = append(f.scratch, contentTypes[g.rng.IntN(len(contentTypes))]...)
		f.scratch = append(f.scratch, "\r\nContent-Length: "...)
		f.scratch = strconv.AppendInt(f.scratch, int64(body), 10)
		f.scratch = append(f.scratch, "\r\nCache-Control: max-age=600\r\nConnection: keep-alive\r\n\r\n"...)
		m.head, m.size = f.scratch, len(f.scratch)+body
	case kindBulk:
		if f.left == 0 {
			return false
		}
		if f.step == 0 {
			m.c2s, m.size = true, 120+g.rng.IntN(200)
			return true
		}
		f.left--
		m.c2s, m.size = f.upload, 64<<10
	case kindTLS:
		return g.nextTLSMessage(f)
	case kindMid443:
		if f.left == 0 {
			return false
		}
		m.c2s = f.step%2 == 0
		if m.c2s {
			m.tlsRecords(60+g.rng.IntN(900), tlsRecord)
		} else {
			f.left--
			m.tlsRecords(g.logNormal(6<<10, 1.5, 2<<20), tlsRecord)
		}
		if f.step == 0 && g.rng.IntN(2) == 0 {
			m.skip = g.rng.IntN(m.size - 1) // joined inside a record
		}
	case kindRaw443:
		if f.left == 0 {
			return false
		}
		m.c2s = f.step%2 == 0
		m.size = 40 + g.rng.IntN(1400)
		if !m.c2s {
			f.left--
			m.size = g.logNormal(4<<10, 1.5, 1<<20)
		}
	case kindSSH:
		if f.left == 0 {
			return false
		}
		f.left--
		m.c2s = g.rng.IntN(2) == 0
		m.size = 36 + 16*g.rng.IntN(12)
	case kindDB:
		if f.left == 0 {
			return false
		}
		m.c2s = f.step%2 == 0
		if m.c2s {
			m.size = 60 + g.rng.IntN(400)
		} else {
			f.left--
			m.size = g.logNormal(1500, 1.2, 256<<10)
		}
	}
	return true
}

// contentTypes label the random response bodies; none is a type whose
// dissector would validate the body.
var contentTypes = []string{"text/html; charset=utf-8", "application/json", "application/javascript",
	"text/css", "application/octet-stream", "application/x-msdownload"}

// logNormal draws a size with the given median and log-space deviation,
// capped at limit and at least 1.
func (g *generator) logNormal(median float64, sigma float64, limit int) int {
	v := int(median * math.Exp(sigma*g.rng.NormFloat64()))
	return max(1, min(v, limit))
}
