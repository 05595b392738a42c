package eapauth

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/radiusnode"
)

var bedSecret = []byte("testing123")

// clock is a deterministic clock the tests move by hand.
type clock struct{ t time.Time }

func newClock() *clock                   { return &clock{t: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)} }
func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// node is one RADIUS/EAP server node.
type node struct {
	eap    *Server
	radius *radiusnode.Server
}

func newNode(seed string, c *clock, policy Policy, users map[string]string) *node {
	return newNodeWith(seed, c, policy, users, nil)
}

func newNodeWith(seed string, c *clock, policy Policy, users map[string]string, mutate func(*ServerConfig)) *node {
	rnd := detrand.New(seed)
	cfg := ServerConfig{
		Rand:        rnd,
		Time:        c.now,
		Policy:      policy,
		Certificate: pki.Server(),
		Passwords:   users,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	eapSrv := NewServer(cfg)
	return &node{eap: eapSrv, radius: &radiusnode.Server{
		Secret:  bedSecret,
		Handler: &radiusnode.EAPHandler{EAP: eapSrv},
		Rand:    rnd,
		Time:    c.now,
	}}
}

// wireDatagram is one RADIUS datagram as it crossed the wire.
type wireDatagram struct {
	fromNAS bool
	pkt     []byte
}

// run is one authentication through a NAS.
type run struct {
	result *radiusnode.Result
	err    error
	wire   []wireDatagram
	eapol  []wireDatagram // EAP between NAS and supplicant
	server *Outcome
	peer   *Outcome
}

// authenticate runs one authentication of peer against n through a NAS
// that records every datagram.
func authenticate(t testing.TB, seed string, n *node, peer *Peer) *run {
	t.Helper()
	r := &run{}
	nas := &radiusnode.NAS{
		Secret: bedSecret,
		Transport: &radiusnode.MemoryTransport{
			Server: n.radius,
			Source: "192.0.2.10:50000",
			Record: func(fromNAS bool, pkt []byte) {
				r.wire = append(r.wire, wireDatagram{fromNAS, bytes.Clone(pkt)})
			},
		},
		Rand:             detrand.New(seed + " nas"),
		IP:               netip.MustParseAddr("192.0.2.10"),
		Port:             50101,
		PortType:         radiusnode.PortTypeEthernet,
		CalledStationID:  "02-00-5E-10-00-01",
		CallingStationID: "02-00-5E-10-00-02",
		AuditSessionID:   "0A0000010000000C0012AB34",
		OnEAP: func(fromPeer bool, pkt []byte) {
			r.eapol = append(r.eapol, wireDatagram{fromPeer, bytes.Clone(pkt)})
		},
	}
	before := len(n.eap.Outcomes())
	conv := peer.NewConversation()
	r.result, r.err = nas.Authenticate(conv)
	r.peer = conv.Outcome()
	if outs := n.eap.Outcomes(); len(outs) > before {
		r.server = outs[len(outs)-1]
	}
	return r
}

var users = map[string]string{"alice": "Passw0rd!", "bob": "hunter2"}

func newPEAPSupplicant(seed string, c *clock, user, password string, mutate func(*PeerConfig)) *Peer {
	cfg := PeerConfig{
		Rand:              detrand.New(seed),
		Time:              c.now,
		Credentials:       Credentials{Identity: user, Password: password},
		OuterIdentity:     "anonymous",
		Methods:           []eap.Type{eap.TypePEAP},
		SessionResumption: true,
		FastReconnect:     true,
		RootCAs:           pki.CAPool(),
	}
	if mutate != nil {
		mutate(&cfg)
	}
	return NewPeer(cfg)
}

// radiusCodes lists the codes of the datagrams, checking each decodes.
func radiusCodes(t *testing.T, wire []wireDatagram) []string {
	t.Helper()
	var out []string
	for i, d := range wire {
		p, err := radius.Parse(d.pkt)
		if err != nil {
			t.Fatalf("datagram %d does not decode: %v", i, err)
		}
		out = append(out, p.Code.String())
	}
	return out
}

func (r *run) String() string {
	return fmt.Sprintf("err=%v server=%+v peer=%+v", r.err, r.server, r.peer)
}

func x509EmptyPool() *x509.CertPool { return x509.NewCertPool() }
