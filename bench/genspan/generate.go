package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sessionscope/sscope/bench/internal/capgen"
)

// config is everything that shapes the output.
type config struct {
	// size is the target file size in bytes; the file ends with the first
	// packet that reaches it, plus the remaining frames of template copies
	// already started.
	size int64
	seed uint64
	// rate is the average line rate in bits per second of capture time; it
	// sets the timestamps.
	rate float64
	// copiesPerGiB is how many template copies start per GiB of output.
	copiesPerGiB float64
	start        time.Time
	// flows is the number of concurrently open background TCP flows.
	flows     int
	templates []*capgen.Template
	// secret is the RADIUS shared secret of the templates (optional).
	secret []byte
}

// stats describes what was written.
type stats struct {
	packets, bytes int64
	first, last    int64
	flows          [numKinds]int64
	tcpBytes       [numKinds]int64
	tls            [5]int64
	events         [numEvents]int64
	copies         []int64 // per template
	skipped        []int64 // copies not started: the template would not fit before the end
	copyFrames     int64
	copyRADIUS     int64
	encaps         [4]int64
}

// Address plan of the background traffic. Template copies use 10.64.0.0/10
// and 10.250.0.0/16, which the background never uses.
const (
	numClients = 8192
	numServers = 2048
	numRTP     = 48
	numQUIC    = 32
)

// generator holds the whole state of one run; nothing is global.
type generator struct {
	cfg    config
	rng    *rand.Rand
	w      *capgen.PcapWriter
	buf    []byte
	pool   []byte
	mirror *capgen.Mirror
	clock  int64

	tcp       []tcpFlow
	calls     []rtpStream
	quicConns []quicConn

	httpRequests [][]byte
	syslogMsgs   [][]byte
	tlsNames     []string
	tlsChains    [][][]byte
	tlsSessions  [][]byte

	queue      capgen.CopyQueue
	copier     capgen.Copier
	copySeq    int
	nextCopyAt int64
	stats      stats
	err        error
}

// generate writes the span capture to out.
func generate(out io.Writer, cfg config) (*stats, error) {
	if cfg.rate <= 0 {
		return nil, fmt.Errorf("rate must be positive")
	}
	if cfg.flows <= 0 {
		cfg.flows = 3000
	}
	w, err := capgen.NewPcapWriter(out, 8<<20)
	if err != nil {
		return nil, err
	}
	g := &generator{
		cfg:    cfg,
		rng:    rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15)),
		w:      w,
		buf:    make([]byte, capgen.BufferSize),
		mirror: capgen.NewMirror(),
		clock:  cfg.start.UnixNano(),
	}
	g.stats.copies = make([]int64, len(cfg.templates))
	g.stats.skipped = make([]int64, len(cfg.templates))
	if err := g.setup(); err != nil {
		return nil, err
	}
	g.stats.first = g.clock
	g.scheduleNextCopy()
	for g.err == nil && g.w.Bytes() < cfg.size {
		if g.w.Bytes() >= g.nextCopyAt {
			g.startCopy()
		}
		g.emitCopies(g.clock)
		g.background()
	}
	g.emitCopies(math.MaxInt64)
	if g.err != nil {
		return nil, g.err
	}
	if err := g.w.Flush(); err != nil {
		return nil, err
	}
	g.stats.packets, g.stats.bytes = g.w.Packets(), g.w.Bytes()
	return &g.stats, nil
}

// setup builds the random pool, the canned messages, the certificates and
// the initial flows.
func (g *generator) setup() error {
	var key [32]byte
	for i := range key {
		key[i] = byte(g.rng.Uint32())
	}
	g.pool = make([]byte, poolSize+poolSlack)
	rand.NewChaCha8(key).Read(g.pool[:poolSize])
	copy(g.pool[poolSize:], g.pool[:poolSlack])

	g.tlsNames = tlsServerNames
	chains, err := makeChains(g.cfg.seed, g.tlsNames)
	if err != nil {
		return fmt.Errorf("building certificates: %w", err)
	}
	g.tlsChains = chains
	g.tlsSessions = make([][]byte, len(g.tlsNames))

	paths := []string{"/", "/index.html", "/api/v2/items?page=3", "/static/js/app.8f3a1c.js",
		"/img/logo.png", "/login", "/feed.xml", "/healthz", "/downloads/agent-5.2.1.msi",
		"/assets/site.css", "/v1/metrics", "/search?q=vpn+timeout"}
	hosts := []string{"www.example.com", "intranet.corp.example.com", "cdn.example.com", "198.18.3.7:8080"}
	agents := []string{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
		"curl/8.5.0", "Microsoft-CryptoAPI/10.0", "python-requests/2.31.0"}
	for i := range 64 {
		req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n",
			paths[i%len(paths)], hosts[(i/3)%len(hosts)], agents[(i/5)%len(agents)])
		g.httpRequests = append(g.httpRequests, []byte(req))
	}
	for i := range 60 {
		msg := fmt.Sprintf(syslogTemplates[i%len(syslogTemplates)], i%60, 1+i%9)
		g.syslogMsgs = append(g.syslogMsgs, []byte(msg))
	}

	g.tcp = make([]tcpFlow, g.cfg.flows)
	for i := range g.tcp {
		g.newTCPFlow(&g.tcp[i])
	}
	g.calls = make([]rtpStream, numRTP)
	for i := range g.calls {
		g.newRTP(&g.calls[i])
	}
	g.quicConns = make([]quicConn, numQUIC)
	for i := range g.quicConns {
		g.newQUIC(&g.quicConns[i])
	}
	return nil
}

// background emits one background event (one or two packets).
func (g *generator) background() {
	r := g.rng.IntN(1000)
	switch {
	case r < 30:
		g.dns()
	case r < 42:
		g.syslog()
	case r < 110:
		g.rtp()
	case r < 150:
		g.quic()
	case r < 152:
		g.arp()
	case r < 154:
		g.icmp()
	default:
		f := &g.tcp[g.rng.IntN(len(g.tcp))]
		if g.stepTCP(f) {
			g.newTCPFlow(f)
		}
	}
}

// write records frame at the current capture time and advances the clock
// by its exponentially distributed share of the line rate.
func (g *generator) write(frame []byte) {
	if g.err != nil {
		return
	}
	g.err = g.w.WritePacket(g.clock, frame)
	g.stats.last = max(g.stats.last, g.clock)
	g.clock += int64(g.rng.ExpFloat64() * float64(len(frame)+24) * 8e9 / g.cfg.rate)
}

// scheduleNextCopy sets the output offset at which the next template copy
// starts (jittered around the configured spacing).
func (g *generator) scheduleNextCopy() {
	if len(g.cfg.templates) == 0 || g.cfg.copiesPerGiB <= 0 {
		g.nextCopyAt = math.MaxInt64
		return
	}
	spacing := float64(1<<30) / g.cfg.copiesPerGiB
	g.nextCopyAt = g.w.Bytes() + int64(spacing*(0.5+g.rng.Float64()))
}

// startCopy starts a copy of the next template in turn, if it can finish
// before the capture ends at the configured rate.
func (g *generator) startCopy() {
	defer g.scheduleNextCopy()
	i := g.copySeq % len(g.cfg.templates)
	g.copySeq++
	t := g.cfg.templates[i]
	left := float64(g.cfg.size-g.w.Bytes()) * 8e9 / g.cfg.rate
	if float64(t.Duration) > left {
		g.stats.skipped[i]++
		return
	}
	enc := g.pickEncap()
	c := g.copier.New(t, g.clock+int64(g.rng.IntN(int(time.Millisecond))), enc, g.cfg.secret)
	g.queue.Push(c)
	g.stats.copies[i]++
	g.stats.encaps[enc.Kind]++
}

// emitCopies writes every template frame due by until.
func (g *generator) emitCopies(until int64) {
	for g.err == nil && g.queue.Len() > 0 {
		c := g.queue.Peek()
		if c.NextTime() > until {
			return
		}
		frame, ts := c.Next(g.buf, g.mirror)
		g.err = g.w.WritePacket(ts, frame)
		g.stats.copyFrames++
		g.stats.last = max(g.stats.last, ts)
		g.queue.Fix()
	}
}

// clientIP picks one of the background client hosts (172.16.0.0/14).
func (g *generator) clientIP() [4]byte {
	idx := g.rng.IntN(numClients)
	b := idx / 254
	return [4]byte{172, byte(16 + b/256), byte(b), byte(idx%254 + 1)}
}

// serverIP is background server i (198.18.0.0/15, the benchmarking range).
func serverIP(i int) [4]byte {
	return [4]byte{198, byte(18 + i/(254*256)), byte(i / 254), byte(i%254 + 1)}
}

// vlans are the access VLANs of the mirrored ports.
var vlans = []uint16{10, 20, 30, 100, 200, 301}

// pickEncap chooses how a flow reaches the capture: mostly untagged, some
// 802.1Q, a little QinQ, some mirrored inside ERSPAN type II.
func (g *generator) pickEncap() capgen.Encap {
	r := g.rng.IntN(100)
	switch {
	case r < 84:
		return capgen.Encap{}
	case r < 94:
		return capgen.Encap{Kind: capgen.EncapVLAN, VLAN: vlans[g.rng.IntN(len(vlans))]}
	case r < 96:
		return capgen.Encap{Kind: capgen.EncapQinQ, OuterVLAN: uint16(1000 + g.rng.IntN(4)), VLAN: vlans[g.rng.IntN(len(vlans))]}
	default:
		e := capgen.Encap{Kind: capgen.EncapERSPAN, Session: uint16(1 + g.rng.IntN(2))}
		if g.rng.IntN(2) == 0 {
			e.VLAN = vlans[g.rng.IntN(len(vlans))]
		}
		return e
	}
}

// pickKind draws a TCP flow kind by kindWeights.
func (g *generator) pickKind() flowKind {
	r := g.rng.IntN(1000)
	for k, w := range kindWeights {
		if r < w {
			return flowKind(k)
		}
		r -= w
	}
	return kindWeb
}
