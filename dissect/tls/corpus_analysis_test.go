package tls

// Test-only analysis of corpus captures with this package: find TLS in TCP
// streams and DTLS in UDP datagrams, parse records, reassemble handshake
// messages until the plaintext part of each direction ends, and record
// what each frame carried, for comparison with tshark, Zeek and Suricata.

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// frameObs is what this package read in one frame.
type frameObs struct {
	Types  []string // handshake types, in order
	SIDs   []string // non-empty ClientHello/ServerHello session IDs, hex
	Opaque bool     // the frame also held encrypted handshake or application data
	DTLS   bool
}

// session is one TLS or DTLS conversation.
type session struct {
	Client, Server string // endpoints
	DTLS           bool
	ClientHello    *ClientHello
	ServerHello    *ServerHello
	ServerCerts    [][]byte
	ClientCerts    [][]byte
	CertRequest    bool
	Alerts         []Alert
	Messages       []sessionMsg // both directions, in order
	Errors         []error
	SSLv2          bool
	v2Encrypted    bool
}

func (s *session) version() Version {
	if s.ServerHello != nil {
		return s.ServerHello.NegotiatedVersion()
	}
	if s.ClientHello != nil {
		return s.ClientHello.Version
	}
	return 0
}

// sessionMsg is a handshake message and who sent it.
type sessionMsg struct {
	HandshakeMsg
	FromServer bool
}

// captureAnalysis is the result of analysing one capture.
type captureAnalysis struct {
	Frames   map[int]*frameObs
	Sessions []*session
}

func (a *captureAnalysis) frame(n int) *frameObs {
	if a.Frames[n] == nil {
		a.Frames[n] = &frameObs{}
	}
	return a.Frames[n]
}

// directionState follows one direction of one session.
type directionState struct {
	reasm   HandshakeReassembler
	fromSrv bool
	done    bool // plaintext handshake over (ChangeCipherSpec seen)
	sslv2   bool
}

// recordEvent is one record of one direction, with the frame that
// completed it.
type recordEvent struct {
	frame int
	dir   *directionState
	rec   Record
	v2    *SSLv2Record
}

func analyzeCapture(t testing.TB, path string) *captureAnalysis {
	t.Helper()
	pkts := openCapture(t, path)
	a := &captureAnalysis{Frames: map[int]*frameObs{}}
	for _, c := range reassembleTCP(pkts) {
		a.analyzeTCP(c)
	}
	a.analyzeUDP(pkts)
	return a
}

// tlsStart finds where TLS begins in a direction: offset 0 or just after a
// line end (STARTTLS, HTTP CONNECT), at a ClientHello or ServerHello. A
// capture that starts mid-connection on port 443 is picked up at offset 0
// when the bytes there are whole handshake records.
func tlsStart(data []byte, server bool, port443 bool) (int, bool) {
	for k := 0; k < len(data); k++ {
		if k > 0 && data[k-1] != '\n' {
			continue
		}
		rest := data[k:]
		if LooksLikeTLS(rest) {
			return k, true
		}
		// SSL 2.0 SERVER-HELLO.
		if server && len(rest) > 3 && rest[0]&0x80 != 0 && SSLv2MsgType(rest[2]) == SSLv2ServerHello {
			return k, true
		}
	}
	if port443 {
		if rec, _, err := ParseRecord(data, false); err == nil && rec.Type == ContentHandshake {
			return 0, true
		}
	}
	return 0, false
}

func (a *captureAnalysis) analyzeTCP(c *tcpConn) {
	port443 := strings.HasSuffix(c.Client.Dst, ":443") || strings.HasSuffix(c.Client.Src, ":443")
	cStart, cok := tlsStart(c.Client.Data, false, port443)
	sStart, sok := tlsStart(c.Server.Data, true, port443)
	if !cok && !sok {
		return
	}
	// The peer of a TLS client may answer with an alert only.
	if cok && !sok {
		if _, _, err := ParseRecord(c.Server.Data, false); err == nil {
			sStart, sok = 0, true
		}
	}
	s := &session{Client: c.Client.Src, Server: c.Client.Dst}
	a.Sessions = append(a.Sessions, s)
	var events []recordEvent
	collect := func(d *tcpDirection, start int, ok bool, st *directionState) {
		if !ok {
			return
		}
		data := d.Data[start:]
		off := start
		for len(data) > 0 {
			// An SSL 2.0 record has the high bit of its first byte set
			// (or, with a 3-byte header, no valid TLS content type). A
			// client may open with an SSLv2-compatible hello and go on
			// in TLS records.
			if data[0]&0x80 != 0 || (st.sslv2 && !knownContentType(ContentType(data[0]))) {
				st.sslv2 = true
				rec, n, err := ParseSSLv2Record(data)
				if err != nil {
					return
				}
				events = append(events, recordEvent{frame: d.frameAt(off + n - 1), dir: st, v2: &rec})
				data, off = data[n:], off+n
				continue
			}
			rec, n, err := ParseRecord(data, false)
			if err != nil {
				return
			}
			events = append(events, recordEvent{frame: d.frameAt(off + n - 1), dir: st, rec: rec})
			data, off = data[n:], off+n
		}
	}
	cst, sst := &directionState{}, &directionState{fromSrv: true}
	collect(c.Client, cStart, cok, cst)
	collect(c.Server, sStart, sok, sst)
	sort.SliceStable(events, func(i, j int) bool { return events[i].frame < events[j].frame })
	for _, ev := range events {
		a.handleRecord(s, ev)
	}
}

func (a *captureAnalysis) handleRecord(s *session, ev recordEvent) {
	st := ev.dir
	obs := a.frame(ev.frame)
	if ev.v2 != nil {
		a.handleSSLv2(s, ev, obs)
		return
	}
	rec := ev.rec
	switch rec.Type {
	case ContentChangeCipherSpec:
		// In TLS 1.3 the ChangeCipherSpec is a middlebox-compatibility
		// dummy; encryption starts after the ServerHello regardless.
		if !s.version().IsTLS13() {
			st.done = true
		}
	case ContentAlert:
		if al, ok := ParseAlert(rec.Fragment); ok && !st.done {
			s.Alerts = append(s.Alerts, al)
		}
	case ContentHandshake:
		if st.done || (s.version().IsTLS13() && s.ServerHello != nil && !s.ServerHello.HelloRetryRequest && st.fromSrv) {
			obs.Opaque = true
			return
		}
		if err := st.reasm.Write(rec.Fragment); err != nil {
			s.Errors = append(s.Errors, err)
		}
		for {
			m, ok := st.reasm.Next()
			if !ok {
				break
			}
			a.handleMessage(s, st, m, obs)
		}
	default:
		obs.Opaque = true
	}
}

func (a *captureAnalysis) handleMessage(s *session, st *directionState, m HandshakeMsg, obs *frameObs) {
	obs.Types = append(obs.Types, fmt.Sprint(uint8(m.Type)))
	s.Messages = append(s.Messages, sessionMsg{m, st.fromSrv})
	var err error
	switch m.Type {
	case HandshakeTypeClientHello:
		ch := &ClientHello{}
		err = ch.Unmarshal(m.Body, s.DTLS)
		if s.ClientHello == nil || len(ch.Cookie) > 0 || s.ServerHello != nil && s.ServerHello.HelloRetryRequest {
			s.ClientHello = ch
		}
		if len(ch.SessionID) > 0 && !s.DTLS {
			obs.SIDs = append(obs.SIDs, hex.EncodeToString(ch.SessionID))
		}
	case HandshakeTypeServerHello:
		sh := &ServerHello{}
		err = sh.Unmarshal(m.Body)
		s.ServerHello = sh
		if len(sh.SessionID) > 0 && !s.DTLS {
			obs.SIDs = append(obs.SIDs, hex.EncodeToString(sh.SessionID))
		}
	case HandshakeTypeCertificate:
		var c Certificate
		err = c.Unmarshal(m.Body, s.version().IsTLS13())
		if st.fromSrv {
			s.ServerCerts = c.Certificates
		} else {
			s.ClientCerts = c.Certificates
		}
	case HandshakeTypeCertificateRequest:
		s.CertRequest = true
	}
	if err != nil {
		s.Errors = append(s.Errors, fmt.Errorf("%s: %w", m.Type, err))
	}
}

func (a *captureAnalysis) handleSSLv2(s *session, ev recordEvent, obs *frameObs) {
	if s.v2Encrypted {
		obs.Opaque = true
		return
	}
	s.SSLv2 = true
	t, ok := ev.v2.MsgType()
	if !ok {
		return
	}
	obs.Types = append(obs.Types, fmt.Sprint(uint8(t)))
	switch t {
	case SSLv2ClientHello:
		ch, err := ParseSSLv2ClientHello(ev.v2.Message)
		if err != nil {
			s.Errors = append(s.Errors, err)
		}
		s.ClientHello = ch
	case SSLv2ServerHello:
		var sh SSLv2ServerHelloMsg
		if err := sh.Unmarshal(ev.v2.Message); err != nil {
			s.Errors = append(s.Errors, err)
		}
		s.ServerHello = &ServerHello{Version: sh.Version}
		if len(sh.Certificate) > 0 {
			s.ServerCerts = [][]byte{sh.Certificate}
		}
		if sh.SessionIDHit {
			s.v2Encrypted = true
		}
	case SSLv2ClientMasterKey:
		// Everything after CLIENT-MASTER-KEY is encrypted, both ways.
		s.v2Encrypted = true
	}
}

// udpFlow is one DTLS conversation.
type udpFlow struct {
	sess           *session
	client, server *directionState
}

func (a *captureAnalysis) analyzeUDP(pkts []capPacket) {
	flows := map[string]*udpFlow{}
	for _, p := range pkts {
		if p.UDP == nil || p.Src == nil || len(p.Payload) == 0 {
			continue
		}
		payload := p.Payload
		// CAPWAP control and data channels carry DTLS behind a 4-byte
		// preamble with type 1 (RFC 5415 section 4.1).
		if (p.UDP.SrcPort == 5246 || p.UDP.DstPort == 5246 || p.UDP.SrcPort == 5247 || p.UDP.DstPort == 5247) && len(payload) > 4 && payload[0] == 0x01 {
			payload = payload[4:]
		}
		src, dst := endpoint(p.Src, uint16(p.UDP.SrcPort)), endpoint(p.Dst, uint16(p.UDP.DstPort))
		f := flows[src+">"+dst]
		if f == nil {
			if !LooksLikeDTLS(payload) {
				continue
			}
			s := &session{Client: src, Server: dst, DTLS: true}
			if len(payload) > 13 && HandshakeType(payload[13]) != HandshakeTypeClientHello {
				s.Client, s.Server = dst, src
			}
			f = &udpFlow{sess: s, client: &directionState{reasm: HandshakeReassembler{DTLS: true}}, server: &directionState{reasm: HandshakeReassembler{DTLS: true}, fromSrv: true}}
			flows[src+">"+dst], flows[dst+">"+src] = f, f
			a.Sessions = append(a.Sessions, s)
		}
		// RFC 7983 demultiplexing: DTLS starts with 20-63; STUN, RTP and
		// others share the port.
		if payload[0] < 20 || payload[0] > 63 {
			continue
		}
		st := f.client
		if src == f.sess.Server {
			st = f.server
		}
		a.handleDatagram(f.sess, st, payload, a.frame(p.Frame))
	}
}

func (a *captureAnalysis) handleDatagram(s *session, st *directionState, b []byte, obs *frameObs) {
	obs.DTLS = true
	for len(b) > 0 {
		rec, n, err := ParseRecord(b, true)
		if err != nil {
			obs.Opaque = true
			return
		}
		b = b[n:]
		switch {
		case rec.Type == ContentHandshake && rec.Epoch == 0:
			// tshark lists every fragment, retransmissions included.
			frag := rec.Fragment
			for len(frag) > 0 {
				m, k, err := ParseHandshakeFragment(frag, true)
				if err != nil {
					break
				}
				obs.Types = append(obs.Types, fmt.Sprint(uint8(m.Type)))
				frag = frag[k:]
			}
			if err := st.reasm.Write(rec.Fragment); err != nil {
				s.Errors = append(s.Errors, err)
			}
			for {
				m, ok := st.reasm.Next()
				if !ok {
					break
				}
				saved := obs.Types
				a.handleMessage(s, st, m, obs)
				obs.Types = saved
			}
		case rec.Type == ContentAlert && rec.Epoch == 0:
			if al, ok := ParseAlert(rec.Fragment); ok {
				s.Alerts = append(s.Alerts, al)
			}
		default:
			obs.Opaque = true
		}
	}
}

func joinOrEmpty(v []string) string { return strings.Join(v, ",") }
