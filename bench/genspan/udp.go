package main

import (
	"encoding/binary"

	"github.com/sessionscope/sscope/bench/internal/capgen"
)

// udpKind numbers the UDP and LAN background events for the statistics.
type udpKind uint8

const (
	evDNS udpKind = iota
	evSyslog
	evRTP
	evQUIC
	evARP
	evICMP
	numEvents
)

var eventNames = [numEvents]string{"dns", "syslog", "rtp", "quic", "arp", "icmp"}

// dnsServer and syslogServer are the background infrastructure hosts.
var (
	dnsServers   = [][4]byte{{172, 20, 0, 53}, {172, 20, 0, 54}}
	syslogServer = [4]byte{172, 20, 1, 10}
)

// dnsNames are the names clients look up, in wire format.
var dnsNames = func() [][]byte {
	hosts := []string{"www.example.com", "api.example.net", "login.example.org", "cdn.example.com",
		"mail.example.net", "vpn.example.org", "files.example.com", "telemetry.example.net",
		"portal.example.org", "updates.example.com", "time.example.net", "ldap.corp.example.com",
		"_ldap._tcp.dc._msdcs.corp.example.com", "wpad.corp.example.com", "printer7.corp.example.com",
		"ocsp.example.net", "crl.example.net", "static.cdn.example.com", "radius1.corp.example.com"}
	out := make([][]byte, len(hosts))
	for i, h := range hosts {
		var b []byte
		start := 0
		for j := 0; j <= len(h); j++ {
			if j == len(h) || h[j] == '.' {
				b = append(b, byte(j-start))
				b = append(b, h[start:j]...)
				start = j + 1
			}
		}
		out[i] = append(b, 0)
	}
	return out
}()

// dns emits a query and its answer.
func (g *generator) dns() {
	g.stats.events[evDNS]++
	cli := newEndpoint(g.clientIP(), uint16(32768+g.rng.IntN(28232)), 64)
	srv := newEndpoint(dnsServers[g.rng.IntN(len(dnsServers))], 53, 64)
	enc := g.pickEncap()
	name := dnsNames[g.rng.IntN(len(dnsNames))]
	qtype := uint16(1)
	if g.rng.IntN(3) == 0 {
		qtype = 28
	}
	id := uint16(g.rng.Uint32())
	p := g.buf[udpPay:]
	binary.BigEndian.PutUint16(p[0:], id)
	binary.BigEndian.PutUint16(p[2:], 0x0100) // RD
	binary.BigEndian.PutUint16(p[4:], 1)
	clear(p[6:12])
	n := 12 + copy(p[12:], name)
	binary.BigEndian.PutUint16(p[n:], qtype)
	binary.BigEndian.PutUint16(p[n+2:], 1)
	n += 4
	g.sendIPv4(&enc, &cli, &srv, protoUDP, g.putUDP(&cli, &srv, n))

	// The answer: same question, one or two records.
	p = g.buf[udpPay:]
	binary.BigEndian.PutUint16(p[0:], id)
	binary.BigEndian.PutUint16(p[2:], 0x8180)
	binary.BigEndian.PutUint16(p[4:], 1)
	answers := 1 + g.rng.IntN(2)
	binary.BigEndian.PutUint16(p[6:], uint16(answers))
	clear(p[8:12])
	n = 12 + copy(p[12:], name)
	binary.BigEndian.PutUint16(p[n:], qtype)
	binary.BigEndian.PutUint16(p[n+2:], 1)
	n += 4
	for range answers {
		binary.BigEndian.PutUint16(p[n:], 0xc00c) // pointer to the question name
		binary.BigEndian.PutUint16(p[n+2:], qtype)
		binary.BigEndian.PutUint16(p[n+4:], 1)
		binary.BigEndian.PutUint32(p[n+6:], uint32(30+g.rng.IntN(3600)))
		rd := 4
		if qtype == 28 {
			rd = 16
		}
		binary.BigEndian.PutUint16(p[n+10:], uint16(rd))
		n += 12
		if rd == 4 {
			ip := serverIP(g.rng.IntN(numServers))
			copy(p[n:], ip[:])
		} else {
			copy(p[n:], []byte{0x20, 0x01, 0x0d, 0xb8, 0, 0x18})
			binary.BigEndian.PutUint64(p[n+8:], g.rng.Uint64())
			clear(p[n+6 : n+8])
		}
		n += rd
	}
	g.sendIPv4(&enc, &srv, &cli, protoUDP, g.putUDP(&srv, &cli, n))
}

// syslog emits one RFC 3164 message to the collector.
func (g *generator) syslog() {
	g.stats.events[evSyslog]++
	cli := newEndpoint(g.clientIP(), 514, 64)
	srv := newEndpoint(syslogServer, 514, 64)
	msg := g.syslogMsgs[g.rng.IntN(len(g.syslogMsgs))]
	n := copy(g.buf[udpPay:], msg)
	enc := capgen.Encap{}
	g.sendIPv4(&enc, &cli, &srv, protoUDP, g.putUDP(&cli, &srv, n))
}

var syslogTemplates = []string{
	"<134>Mar  3 09:00:%02d fw01 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=172.16.4.%d DST=198.18.0.9 LEN=60 PROTO=TCP SPT=51234 DPT=23",
	"<30>Mar  3 09:00:%02d app%d systemd[1]: Started Session 4711 of user svc-backup.",
	"<86>Mar  3 09:00:%02d bastion%d sshd[2231]: Accepted publickey for deploy from 172.16.9.14 port 52211 ssh2",
	"<189>Mar  3 09:00:%02d sw-core-%d %%LINK-3-UPDOWN: Interface GigabitEthernet1/0/24, changed state to up",
	"<14>Mar  3 09:00:%02d web%d nginx: 172.16.1.77 - - \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"",
	"<165>Mar  3 09:00:%02d wlc%d %%DOT1X-5-SUCCESS: Authentication successful for client (0200.0a1b.2c3d) on Interface Capwap3",
}

// rtpStream is one bidirectional RTP call leg pair.
type rtpStream struct {
	a, b   endpoint
	enc    capgen.Encap
	ssrc   [2]uint32
	seq    [2]uint16
	ts     [2]uint32
	pt     byte
	left   int
	toggle bool
}

func (g *generator) newRTP(s *rtpStream) {
	port := func() uint16 { return uint16(16384 + 2*g.rng.IntN(8000)) }
	s.a = newEndpoint(g.clientIP(), port(), 64)
	s.b = newEndpoint(g.clientIP(), port(), 64)
	s.enc = g.pickEncap()
	s.ssrc = [2]uint32{g.rng.Uint32(), g.rng.Uint32()}
	s.seq = [2]uint16{uint16(g.rng.Uint32()), uint16(g.rng.Uint32())}
	s.ts = [2]uint32{g.rng.Uint32(), g.rng.Uint32()}
	s.pt = [...]byte{0, 8, 18}[g.rng.IntN(3)]
	s.left = 200 + g.rng.IntN(20000)
}

// rtp emits the next packet of a random call.
func (g *generator) rtp() {
	g.stats.events[evRTP]++
	s := &g.calls[g.rng.IntN(len(g.calls))]
	if s.left <= 0 {
		g.newRTP(s)
	}
	s.left--
	d := 0
	src, dst := &s.a, &s.b
	if s.toggle {
		d, src, dst = 1, &s.b, &s.a
	}
	s.toggle = !s.toggle
	p := g.buf[udpPay:]
	p[0], p[1] = 0x80, s.pt
	binary.BigEndian.PutUint16(p[2:], s.seq[d])
	binary.BigEndian.PutUint32(p[4:], s.ts[d])
	binary.BigEndian.PutUint32(p[8:], s.ssrc[d])
	s.seq[d]++
	s.ts[d] += 160
	n := 160
	if s.pt == 18 {
		n = 20 // G.729
	}
	copy(p[12:12+n], g.pool[g.rng.IntN(poolSize):])
	g.sendIPv4(&s.enc, src, dst, protoUDP, g.putUDP(src, dst, 12+n))
}

// quicConn is a QUIC connection on UDP 443.
type quicConn struct {
	cli, srv endpoint
	enc      capgen.Encap
	cid      [2]uint64
	pkt      int
	left     int
}

func (g *generator) newQUIC(q *quicConn) {
	q.cli = newEndpoint(g.clientIP(), uint16(32768+g.rng.IntN(28232)), 64)
	q.srv = newEndpoint(serverIP(g.rng.IntN(numServers)), 443, 56)
	q.enc = g.pickEncap()
	q.cid = [2]uint64{g.rng.Uint64(), g.rng.Uint64()}
	q.pkt = 0
	q.left = g.logNormal(40, 1.5, 20000)
}

// quic emits the next packet of a random QUIC connection: long-header
// Initial packets first, then short-header packets.
func (g *generator) quic() {
	g.stats.events[evQUIC]++
	q := &g.quicConns[g.rng.IntN(len(g.quicConns))]
	if q.left <= 0 {
		g.newQUIC(q)
	}
	q.left--
	c2s := q.pkt == 0 || (q.pkt > 1 && g.rng.IntN(3) == 0)
	src, dst := &q.cli, &q.srv
	if !c2s {
		src, dst = &q.srv, &q.cli
	}
	p := g.buf[udpPay:]
	var n int
	if q.pkt < 2 {
		p[0] = 0xc3 // long header, Initial, 4-byte packet number
		binary.BigEndian.PutUint32(p[1:], 1)
		p[5] = 8
		binary.BigEndian.PutUint64(p[6:], q.cid[1])
		p[14] = 8
		binary.BigEndian.PutUint64(p[15:], q.cid[0])
		p[23] = 0 // token length
		n = 1200 + 52
		binary.BigEndian.PutUint16(p[24:], uint16(0x4000|(n-26)))
		copy(p[26:n], g.pool[g.rng.IntN(poolSize):])
	} else {
		p[0] = 0x40 | byte(g.rng.IntN(32))
		binary.BigEndian.PutUint64(p[1:], q.cid[1])
		n = 30 + g.rng.IntN(40)
		if !c2s {
			n = 1252
			if g.rng.IntN(4) == 0 {
				n = 100 + g.rng.IntN(1100)
			}
		}
		copy(p[9:n], g.pool[g.rng.IntN(poolSize):])
	}
	q.pkt++
	g.sendIPv4(&q.enc, src, dst, protoUDP, g.putUDP(src, dst, n))
}

// arp emits a who-has request and its reply, padded to the Ethernet
// minimum.
func (g *generator) arp() {
	g.stats.events[evARP]++
	a, b := g.clientIP(), g.clientIP()
	b[2] = a[2]
	ma, mb := macOf(a), macOf(b)
	enc := g.pickEncap()
	put := func(op uint16, sha capgen.MAC, spa [4]byte, tha capgen.MAC, tpa [4]byte) {
		p := g.buf[ipOff : ipOff+46]
		copy(p, []byte{0, 1, 8, 0, 6, 4})
		binary.BigEndian.PutUint16(p[6:], op)
		copy(p[8:14], sha[:])
		copy(p[14:18], spa[:])
		copy(p[18:24], tha[:])
		copy(p[24:28], tpa[:])
		clear(p[28:46])
	}
	put(1, ma, a, capgen.MAC{}, b)
	g.sendL3(&enc, ma, capgen.MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, capgen.EtherTypeARP, ipOff, ipOff+46)
	put(2, mb, b, ma, a)
	g.sendL3(&enc, mb, ma, capgen.EtherTypeARP, ipOff, ipOff+46)
}

// icmp emits an echo request and its reply.
func (g *generator) icmp() {
	g.stats.events[evICMP]++
	cli := newEndpoint(g.clientIP(), 0, 64)
	srv := newEndpoint(serverIP(g.rng.IntN(numServers)), 0, 57)
	enc := g.pickEncap()
	id, seq := uint16(g.rng.Uint32()), uint16(1+g.rng.IntN(100))
	for i, typ := range []byte{8, 0} {
		p := g.buf[l4Off : l4Off+64]
		p[0], p[1] = typ, 0
		binary.BigEndian.PutUint16(p[4:], id)
		binary.BigEndian.PutUint16(p[6:], seq)
		binary.BigEndian.PutUint64(p[8:], uint64(g.clock/1000))
		for j := 16; j < 64; j++ {
			p[j] = byte(j - 8)
		}
		if i == 0 {
			g.sendIPv4(&enc, &cli, &srv, protoICMP, 64)
		} else {
			g.sendIPv4(&enc, &srv, &cli, protoICMP, 64)
		}
	}
}
