package correlate

import (
	"net/netip"
	"sort"
	"strconv"
	"time"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/handshake"
	"github.com/sessionscope/sscope/correlate/ipfrag"
	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/correlate/radiusconv"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/correlate/tcpstream"
	"github.com/sessionscope/sscope/correlate/tlsconn"
	"github.com/sessionscope/sscope/correlate/tlsdecrypt"
	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// Analyzer runs one analysis over one or more inputs. It is not safe for
// concurrent use.
type Analyzer struct {
	opt      Options
	radius   *portSet
	tlsPorts *portSet

	dec   *packet.Decoder
	frame packet.Frame
	frags *ipfrag.Reassembler
	// fragSweep is when partial datagrams were last expired.
	fragSweep time.Time
	tcp       *tcpstream.Tracker
	rad       *radiusconv.Tracker
	reg       *handshake.Registry
	tlsEnv    *tlsconn.Env
	dtls      dtlsFlows
	// decrypt is the key material of the analysis: the user's and that
	// of the inputs' Decryption Secrets Blocks.
	decrypt *radiusconv.Decryption

	rep       report.Report
	inputs    []*inputState
	sessions  []*report.Session
	clients   map[string]*report.Client
	clientPos map[string]map[string]sessionPos
	order     []string
	ids       map[string]int
	probs     problems
	// findings are those of every session emitted; cross those made at
	// Finish across sessions.
	findings, cross []report.Finding
	finished        bool
	notTLS          uint64
	linkWarned      map[packet.LinkType]bool
}

type inputState struct {
	in          report.Input
	first, last time.Time
}

// New returns an Analyzer.
func New(o Options) *Analyzer {
	if o.RADIUSPorts == nil {
		o.RADIUSPorts = DefaultRADIUSPorts
	}
	if o.TLSPorts == nil {
		o.TLSPorts = DefaultTLSPorts
	}
	if o.Idle == 0 {
		o.Idle = 5 * time.Minute
	}
	a := &Analyzer{
		opt:        o,
		radius:     newPortSet(o.RADIUSPorts),
		tlsPorts:   newPortSet(o.TLSPorts),
		dec:        packet.NewDecoder(),
		frags:      ipfrag.New(ipfrag.Options{}),
		reg:        handshake.NewRegistry(),
		clients:    make(map[string]*report.Client),
		clientPos:  make(map[string]map[string]sessionPos),
		ids:        make(map[string]int),
		linkWarned: make(map[packet.LinkType]bool),
	}
	a.tcp = tcpstream.New(tcpstream.Options{Idle: o.Idle})
	store := o.Keys
	if store == nil {
		store = keys.NewStore()
	}
	a.decrypt = &radiusconv.Decryption{Keys: store, Sessions: tlsdecrypt.NewSessionCache(0), PACs: radiusconv.NewPACBook(o.PACs)}
	a.rad = radiusconv.New(radiusconv.Options{
		Emit:        a.emit,
		NewID:       a.newID,
		Registry:    a.reg,
		ShowSecrets: o.ShowSecrets,
		Decrypt:     a.decrypt,
		Problem: func(at flow.Ref, layer, kind, detail string) {
			a.probs.add(at.Input, at.Frame, layer, kind, detail)
		},
	})
	a.tlsEnv = &tlsconn.Env{NewID: a.newID, Emit: a.emit, Registry: a.reg, NotTLS: func() { a.notTLS++ }}
	a.rep = report.Report{
		Schema:    report.SchemaID,
		Generator: report.Generator{Name: "sscope", Version: o.Version},
		Inputs:    []report.Input{},
		Sessions:  []*report.Session{},
		Clients:   []report.Client{},
		Findings:  []report.Finding{},
		Problems:  []report.Problem{},
	}
	a.rep.Options = report.Options{
		RADIUSPorts: ints(o.RADIUSPorts),
		TLSPorts:    ints(o.TLSPorts),
		TLSDetect:   o.TLSDetect,
		Keylog:      report.Str(o.Keylog),
		ShowSecrets: o.ShowSecrets,
		Keys:        append([]report.KeyInput{}, o.KeyInputs...),
	}
	return a
}

func ints(p []uint16) []int {
	out := make([]int, len(p))
	for i, v := range p {
		out[i] = int(v)
	}
	return out
}

var idPrefix = map[string]string{
	report.KindRADIUSEAP:  "eap",
	report.KindRADIUS:     "radius",
	report.KindTLS:        "tls",
	report.KindDTLS:       "dtls",
	report.KindAnyConnect: "anyconnect",
	report.KindIKEv2:      "ikev2",
}

func (a *Analyzer) newID(kind string) string {
	p := idPrefix[kind]
	if p == "" {
		p = kind
	}
	a.ids[p]++
	return p + "-" + strconv.Itoa(a.ids[p])
}

// AddInput registers an input and returns its index.
func (a *Analyzer) AddInput(path, format string) int {
	a.inputs = append(a.inputs, &inputState{in: report.Input{Path: path, Format: format, LinkTypes: []string{}, Complete: true}})
	return len(a.inputs) - 1
}

// Tick moves the analysis clock to now without a packet, so that a live
// capture on a quiet link still closes idle sessions and times out
// unanswered requests. now is in capture time (wall-clock time for live
// captures); it never moves the clock backwards. Call it on the goroutine
// that calls Packet.
func (a *Analyzer) Tick(now time.Time) {
	a.rad.Tick(now)
	a.tcp.Tick(now)
	a.dtls.sweep(now, a.opt.Idle)
	a.frags.Expire(now)
}

// Packet analyzes one captured packet of input.
func (a *Analyzer) Packet(input int, p *source.Packet) {
	st := &a.rep.Stats
	st.Packets++
	is := a.inputs[input]
	is.in.Packets++
	is.in.Bytes += uint64(len(p.Data))
	if is.first.IsZero() {
		is.first = p.Timestamp
	}
	if p.Timestamp.After(is.last) {
		is.last = p.Timestamp
	}
	at := flow.Ref{Input: input, Frame: p.Frame, Time: p.Timestamp}
	f := &a.frame
	err := a.dec.Decode(p.Link, p.Data, f)
	if err != nil {
		if !f.HasTransport && !f.Fragment {
			a.decodeFailed(input, p, err)
			return
		}
	}
	if f.Fragment {
		if p.Timestamp.Sub(a.fragSweep) > time.Second {
			a.fragSweep = p.Timestamp
			a.frags.Expire(p.Timestamp)
		}
		payload, _, done, ferr := a.frags.Add(f, p.Timestamp, p.Frame)
		if ferr != nil {
			a.probs.add(input, p.Frame, "ip", kindName(ferr), ferr.Error())
		}
		if !done {
			if a.mayMatter(f) {
				st.Decoded++
			} else {
				st.Skipped++
			}
			return
		}
		if err := packet.DecodeTransport(f.Proto, payload, f); err != nil {
			st.Malformed++
			a.probs.add(input, p.Frame, "ip", kindName(err), err.Error())
			return
		}
	}
	if !f.HasTransport {
		st.Skipped++
		return
	}
	switch f.Proto {
	case packet.ProtoUDP:
		if a.radius.has(f.DstPort) || a.radius.has(f.SrcPort) {
			a.radiusPacket(f, at)
			return
		}
		if a.opt.TLSDetect && len(f.Payload) > 0 && a.dtls.packet(a, f, at) {
			a.count(f)
			return
		}
	case packet.ProtoTCP:
		if a.tcp.Packet(f, at) {
			a.count(f)
			return
		}
		if a.startTCP(f, at) {
			a.count(f)
			return
		}
	}
	st.Skipped++
}

func (a *Analyzer) count(f *packet.Frame) {
	if f.Truncated {
		a.rep.Stats.Truncated++
	} else {
		a.rep.Stats.Decoded++
	}
}

// mayMatter says whether a fragment could belong to something analyzed;
// only the first fragment has ports.
func (a *Analyzer) mayMatter(f *packet.Frame) bool {
	if f.FragOffset != 0 {
		return true
	}
	return a.radius.has(f.DstPort) || a.radius.has(f.SrcPort) || a.tlsPorts.has(f.DstPort) || a.tlsPorts.has(f.SrcPort)
}

func (a *Analyzer) decodeFailed(input int, p *source.Packet, err error) {
	st := &a.rep.Stats
	k := dissect.KindOf(err)
	switch k {
	case dissect.Unsupported:
		st.Skipped++
		if !a.linkWarned[p.Link] && !p.Link.Supported() {
			a.linkWarned[p.Link] = true
			a.probs.add(input, p.Frame, "link", "unsupported", "link type "+p.Link.String()+" is not supported; its packets are skipped")
		}
		return
	case dissect.Truncated:
		st.Truncated++
	default:
		st.Malformed++
	}
	layer := "packet"
	if de, ok := err.(*dissect.Error); ok {
		layer = de.Layer
	}
	a.probs.add(input, p.Frame, layer, kindName(err), err.Error())
}

func kindName(err error) string {
	if k := dissect.KindOf(err); k != 0 {
		return k.String()
	}
	return "malformed"
}

func (a *Analyzer) radiusPacket(f *packet.Frame, at flow.Ref) {
	src := netip.AddrPortFrom(f.Src, f.SrcPort)
	dst := netip.AddrPortFrom(f.Dst, f.DstPort)
	if f.Truncated {
		a.rep.Stats.Truncated++
		a.probs.add(at.Input, at.Frame, "radius", "truncated", "RADIUS packet cut short by the capture's snap length")
		return
	}
	if !a.rad.Packet(src, dst, f.Payload, at) {
		a.rep.Stats.Malformed++
		return
	}
	a.rep.Stats.Decoded++
}

// startTCP decides whether a TCP segment of a connection not yet followed
// starts one worth following: a SYN to a TLS port, or a payload that looks
// like a TLS ClientHello or ServerHello (on a TLS port, or on any port with
// signature detection).
func (a *Analyzer) startTCP(f *packet.Frame, at flow.Ref) bool {
	fl := f.TCP.Flags
	tlsDst, tlsSrc := a.tlsPorts.has(f.DstPort), a.tlsPorts.has(f.SrcPort)
	var srcIsClient bool
	switch {
	case fl&packet.TCPFlagSYN != 0 && fl&packet.TCPFlagACK == 0 && tlsDst:
		srcIsClient = true
	case fl&packet.TCPFlagSYN != 0 && fl&packet.TCPFlagACK != 0 && tlsSrc:
		srcIsClient = false
	case len(f.Payload) > 0 && (tlsDst || tlsSrc || a.opt.TLSDetect) && tlsd.LooksLikeTLS(f.Payload):
		// A ClientHello comes from the client, a ServerHello from the server.
		srcIsClient = len(f.Payload) < 6 || f.Payload[5] != 2
	default:
		return false
	}
	client := netip.AddrPortFrom(f.Src, f.SrcPort)
	server := netip.AddrPortFrom(f.Dst, f.DstPort)
	if !srcIsClient {
		client, server = server, client
	}
	a.tcp.Follow(f, srcIsClient, tlsconn.New(a.tlsEnv, client, server), at)
	return true
}

// emit receives a closed session from a tracker.
func (a *Analyzer) emit(s *report.Session) {
	if a.opt.Judge != nil {
		a.opt.Judge.Session(s)
	}
	a.findings = append(a.findings, s.Findings...)
	a.addClient(s)
	if a.opt.KeepSessions {
		a.sessions = append(a.sessions, s)
	}
	if a.opt.OnSession != nil {
		a.opt.OnSession(s)
	}
}

func (a *Analyzer) addClient(s *report.Session) {
	if s.ClientKey == "" {
		return
	}
	c := a.clients[s.ClientKey]
	if c == nil {
		c = &report.Client{Key: s.ClientKey, Label: s.ClientLabel, Sessions: []string{}}
		a.clients[s.ClientKey] = c
		a.order = append(a.order, s.ClientKey)
	}
	c.Sessions = append(c.Sessions, s.ID)
	if a.clientPos[s.ClientKey] == nil {
		a.clientPos[s.ClientKey] = make(map[string]sessionPos)
	}
	a.clientPos[s.ClientKey][s.ID] = sessionPos{s.Input, s.FirstFrame}
}

// sessionPos orders a client's sessions by where they started.
type sessionPos struct {
	input int
	frame uint64
}

func (p sessionPos) before(q sessionPos) bool {
	return p.input < q.input || p.input == q.input && p.frame < q.frame
}

// EndInput records how reading an input ended: err is nil or io.EOF for a
// clean end, else the input's error.
func (a *Analyzer) EndInput(input int, r *source.Reader, err error) {
	in := &a.inputs[input].in
	if r != nil {
		in.Format = r.Format()
		for _, l := range r.LinkTypes() {
			in.LinkTypes = append(in.LinkTypes, l.String())
		}
	}
	if err != nil {
		in.Complete = false
		msg := err.Error()
		in.Error = &msg
		kind := "damaged-input"
		if ie, ok := err.(*source.InputError); ok {
			kind = ie.Reason
		}
		a.probs.add(input, 0, "input", kind, msg)
	}
}

// Finish closes everything still open (the capture ended) and returns the
// report. Sessions are in order of their first frame.
func (a *Analyzer) Finish() *report.Report {
	if a.finished {
		return &a.rep
	}
	a.finished = true
	a.tcp.Flush()
	a.rad.Flush()
	a.dtls.flush()
	for _, in := range a.inputs {
		in.in.FirstSeen = report.TimePtr(in.first)
		in.in.LastSeen = report.TimePtr(in.last)
		a.rep.Inputs = append(a.rep.Inputs, in.in)
	}
	fs := a.frags.Stats()
	st := &a.rep.Stats
	st.IPFragmentsReassembled = uint64(fs.Reassembled)
	st.IPFragmentsTimedOut = uint64(fs.TimedOut)
	ts := a.tcp.Stats()
	st.TCPStreams = ts.Connections
	st.TCPGaps = ts.Gaps
	st.TCPGapBytes = ts.GapBytes
	st.TCPRetransmissions = ts.OverlapPackets
	rs := a.rad.Stats()
	st.RADIUSPackets = rs.RADIUS
	st.EAPPackets = rs.EAP
	st.TLSRecords = a.reg.Records()

	sort.SliceStable(a.sessions, func(i, j int) bool {
		x, y := a.sessions[i], a.sessions[j]
		return sessionPos{x.Input, x.FirstFrame}.before(sessionPos{y.Input, y.FirstFrame})
	})
	a.rep.Sessions = append(a.rep.Sessions, a.sessions...)
	if a.opt.Judge != nil {
		a.cross = a.opt.Judge.Finish()
		byID := make(map[string]*report.Session, len(a.sessions))
		for _, s := range a.sessions {
			byID[s.ID] = s
		}
		for _, f := range a.cross {
			if s := byID[f.Session]; s != nil {
				s.Findings = append(s.Findings, f)
			}
		}
	}
	a.rep.Findings = append(append(a.rep.Findings, a.cross...), a.findings...)
	sortFindings(a.rep.Findings)
	for _, k := range a.order {
		c := *a.clients[k]
		pos := a.clientPos[k]
		sort.SliceStable(c.Sessions, func(i, j int) bool { return pos[c.Sessions[i]].before(pos[c.Sessions[j]]) })
		a.rep.Clients = append(a.rep.Clients, c)
	}
	a.rep.Problems = append(a.rep.Problems, a.probs.list...)
	return &a.rep
}

// CrossFindings returns the findings that span sessions, made at Finish;
// each names the session it belongs to. Writers that did not keep the
// sessions add them to the sessions they wrote.
func (a *Analyzer) CrossFindings() []report.Finding { return a.cross }

var severityRank = map[string]int{report.SeverityError: 0, report.SeverityWarning: 1, report.SeverityInfo: 2}

func sortFindings(fs []report.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		return severityRank[fs[i].Severity] < severityRank[fs[j].Severity]
	})
}

// Stats returns the packet counters so far (for progress displays).
func (a *Analyzer) Stats() report.Stats { return a.rep.Stats }

// OpenSessions is how many sessions are in progress.
func (a *Analyzer) OpenSessions() int { return a.rad.Open() + a.tcp.Len() }
