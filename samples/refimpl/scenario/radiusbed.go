package scenario

import (
	"bytes"
	"fmt"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/samples/expect"
	"github.com/sessionscope/sscope/samples/refimpl/capture"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/radiusnode"
)

// radiusSecret is the shared secret of every sample NAS and server (it is
// in the samples' README so the captures can be checked).
var radiusSecret = []byte("sscope-sample-secret")

// The network of the RADIUS scenarios: a switch (the NAS) and the RADIUS
// service's virtual address, behind which one or more nodes answer.
var (
	nasHost    = host("switch-01", "10.20.0.2")
	radiusVIP  = host("radius", "10.20.0.10")
	radiusAddr = capture.Endpoint{Host: radiusVIP, Port: 1812}
)

// Timing of one EAP round as the capture sees it at the NAS.
const (
	serverDelay = 3 * time.Millisecond  // the RADIUS server's processing
	eapolDelay  = 12 * time.Millisecond // the supplicant's answer over EAPOL
)

// node is one RADIUS/EAP server node.
type node struct {
	name   string
	eap    *eapauth.Server
	radius *radiusnode.Server
}

func newNode(w *World, name string, cfg eapauth.ServerConfig) *node {
	rnd := w.Rand("node-" + name)
	cfg.Rand = rnd
	cfg.Time = w.Clock.Now
	if cfg.Certificate == nil {
		cfg.Certificate = pki.Server()
	}
	cfg.KeyLog = nil // the peer logs every master secret once
	srv := eapauth.NewServer(cfg)
	return &node{name: name, eap: srv, radius: &radiusnode.Server{
		Secret:  radiusSecret,
		Handler: &radiusnode.EAPHandler{EAP: srv, SessionTimeout: time.Hour},
		Rand:    rnd,
		Time:    w.Clock.Now,
	}}
}

// station is a supplicant on a switch port.
type station struct {
	peer             *eapauth.Peer
	callingStationID string
	auditSessionID   string
	nasPort          uint32
}

// authentication is what one run through the NAS produced.
type authentication struct {
	result      *radiusnode.Result
	server      *eapauth.Outcome
	peer        *eapauth.Outcome
	helloFrames []int // frames of Access-Requests that carried a ClientHello in the clear
	firstFrame  int
}

// authenticate runs one EAP authentication of st against n through the NAS
// and writes every RADIUS datagram into the capture.
func authenticate(w *World, n *node, st *station, conv radiusnode.Supplicant, peerOutcome func() *eapauth.Outcome) (*authentication, error) {
	a := &authentication{firstFrame: w.Capture.NextFrame()}
	// Each authentication leaves from its own source port, as NASes with
	// a pool of RADIUS sockets do; it also keeps one conversation's TLS
	// apart from the next for tools that follow TLS per UDP flow.
	nasAddr := capture.Endpoint{Host: nasHost, Port: uint16(49152 + w.radiusAuths)}
	w.radiusAuths++
	nas := &radiusnode.NAS{
		Secret: radiusSecret,
		Transport: &radiusnode.MemoryTransport{
			Server: n.radius,
			Source: nasAddr.String(),
			Record: func(fromNAS bool, pkt []byte) {
				if fromNAS {
					w.Clock.Advance(eapolDelay)
					frame := w.Capture.UDP(nasAddr, radiusAddr, pkt)
					if carriesClientHello(pkt) {
						a.helloFrames = append(a.helloFrames, frame)
					}
					return
				}
				w.Clock.Advance(serverDelay)
				w.Capture.UDP(radiusAddr, nasAddr, pkt)
			},
		},
		Rand:             w.Rand("nas"),
		IP:               nasHost.IP,
		Identifier:       nasHost.Name,
		Port:             st.nasPort,
		PortType:         radiusnode.PortTypeEthernet,
		CalledStationID:  "02-00-5E-14-00-02",
		CallingStationID: st.callingStationID,
		AuditSessionID:   st.auditSessionID,
	}
	before := len(n.eap.Outcomes())
	res, err := nas.Authenticate(conv)
	if err != nil {
		return nil, err
	}
	a.result = res
	a.peer = peerOutcome()
	outs := n.eap.Outcomes()
	if len(outs) <= before {
		return nil, fmt.Errorf("node %s recorded no conversation", n.name)
	}
	a.server = outs[len(outs)-1]
	return a, nil
}

// carriesClientHello says whether an Access-Request's EAP-Message starts a
// TLS handshake in the clear: the generator marks the frame of its own
// ClientHello so the expected report can name it.
func carriesClientHello(pkt []byte) bool {
	p, err := radius.Parse(pkt)
	if err != nil {
		return false
	}
	msg, ok := p.EAPMessage()
	if !ok {
		return false
	}
	e, err := eap.Parse(msg)
	if err != nil {
		return false
	}
	f, err := eap.ParseTLSFragment(e)
	if err != nil {
		return false
	}
	d := f.Data
	return len(d) > 5 && d[0] == 22 && d[5] == 1
}

// expectedSession writes the verdicts of one authentication from what
// the endpoints recorded; the server's and the peer's records must agree.
func expectedSession(st *station, a *authentication) (expect.Session, error) {
	so, po := a.server, a.peer
	if so.Method != po.Method || so.Success != po.Success {
		return expect.Session{}, fmt.Errorf("server and peer disagree: server %s success=%v, peer %s success=%v", so.Method, so.Success, po.Method, po.Success)
	}
	if len(so.Handshakes) != len(po.Handshakes) {
		return expect.Session{}, fmt.Errorf("server recorded %d TLS handshakes, peer %d", len(so.Handshakes), len(po.Handshakes))
	}
	for i := range so.Handshakes {
		s, p := so.Handshakes[i], po.Handshakes[i]
		if s.Kind != p.Kind || s.Resumption != p.Resumption || !bytes.Equal(s.ServerSessionID, p.ServerSessionID) {
			return expect.Session{}, fmt.Errorf("handshake %d: server %s/%s, peer %s/%s", i+1, s.Kind, s.Resumption, p.Kind, p.Resumption)
		}
	}
	outcome, code := "failure", "Access-Reject"
	if a.result.Code == radius.CodeAccessAccept {
		outcome, code = "success", "Access-Accept"
	}
	if so.Success != (outcome == "success") {
		return expect.Session{}, fmt.Errorf("EAP server says success=%v but the NAS got %s", so.Success, code)
	}
	outer := so.OuterIdentity
	nasIP := nasHost.IP.String()
	e := &expect.EAP{
		OuterIdentity:   &outer,
		InnerIdentities: nonNil(so.InnerIdentities),
		Method:          so.Method,
		InnerMethods:    nonNil(so.InnerMethods),
		FinalCode:       &code,
		CallingStation:  &st.callingStationID,
		NASIP:           &nasIP,
		AuditSessionID:  &st.auditSessionID,
		Requests:        a.result.Requests,
	}
	if so.Method == "PEAP" {
		v := 0
		if so.PEAPVersion != nil {
			v = *so.PEAPVersion
		}
		e.PEAP = &expect.PEAP{Version: v, FastReconnect: so.FastReconnect}
	}
	sess := expect.Session{
		Kind:     "radius-eap",
		Outcome:  outcome,
		ClientIP: nasHost.IP.String(),
		ServerIP: radiusVIP.IP.String(),
		EAP:      e,
		Findings: []string{},
	}
	clear := 0
	for i := range po.Handshakes {
		h := &po.Handshakes[i]
		frame := 0
		if !h.Renegotiation && clear < len(a.helloFrames) {
			frame = a.helloFrames[clear]
			clear++
		}
		sess.Handshakes = append(sess.Handshakes, expectedHandshake(h, frame))
		if h.ResumptionRefused {
			sess.Findings = append(sess.Findings, "tls-resumption-refused")
		}
	}
	if outcome == "failure" {
		sess.Findings = append(sess.Findings, "radius-access-reject")
	}
	return sess, nil
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
