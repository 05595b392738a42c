package radiusnode

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
)

var testSecret = []byte("testing123")

// echoEAP is a two-round EAP server for the RADIUS tests: the identity
// response gets a long EAP-Request (type 254, so it spans several
// EAP-Message attributes); a response echoing the request's data gets
// EAP-Success and a fixed MSK, anything else EAP-Failure.
type echoEAP struct {
	payload []byte
	msk     []byte
	convs   map[string]uint8 // state -> identifier of the request sent
	calls   int
	states  [][]byte
}

func newEchoEAP() *echoEAP {
	p := make([]byte, 600)
	for i := range p {
		p[i] = byte(i)
	}
	msk := make([]byte, 64)
	for i := range msk {
		msk[i] = byte(0xa0 + i)
	}
	return &echoEAP{payload: p, msk: msk, convs: map[string]uint8{}}
}

func (e *echoEAP) ServeEAP(state, msg []byte) EAPAnswer {
	e.calls++
	e.states = append(e.states, append([]byte(nil), state...))
	p, err := eap.Parse(msg)
	if err != nil || p.Code != eap.CodeResponse {
		return EAPAnswer{}
	}
	if state == nil {
		st := []byte(fmt.Sprintf("conv-%d", len(e.convs)))
		id := p.Identifier + 1
		e.convs[string(st)] = id
		req := &eap.Packet{Code: eap.CodeRequest, Identifier: id, Type: eap.TypeExpanded, VendorID: 9, VendorType: 1, Data: e.payload}
		return EAPAnswer{EAP: req.Marshal(), State: st}
	}
	id, ok := e.convs[string(state)]
	if !ok || p.Identifier != id {
		return EAPAnswer{}
	}
	delete(e.convs, string(state))
	if bytes.Equal(p.Data, e.payload) {
		return EAPAnswer{EAP: (&eap.Packet{Code: eap.CodeSuccess, Identifier: id}).Marshal(), MSK: e.msk}
	}
	return EAPAnswer{EAP: (&eap.Packet{Code: eap.CodeFailure, Identifier: id}).Marshal()}
}

// echoPeer answers echoEAP: its identity, then the request's data back
// (or garbage when wrong is set).
type echoPeer struct {
	identity string
	wrong    bool
	final    eap.Code
}

func (s *echoPeer) Respond(msg []byte) ([]byte, error) {
	p, err := eap.Parse(msg)
	if err != nil {
		return nil, err
	}
	switch p.Code {
	case eap.CodeSuccess, eap.CodeFailure:
		s.final = p.Code
		return nil, nil
	}
	if p.Type == eap.TypeIdentity {
		return (&eap.Packet{Code: eap.CodeResponse, Identifier: p.Identifier, Type: eap.TypeIdentity, Data: eap.MarshalIdentity(s.identity)}).Marshal(), nil
	}
	data := p.Data
	if s.wrong {
		data = []byte("wrong")
	}
	return (&eap.Packet{Code: eap.CodeResponse, Identifier: p.Identifier, Type: p.Type, VendorID: p.VendorID, VendorType: p.VendorType, Data: data}).Marshal(), nil
}

// fixedClock is a clock tests move by hand.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time          { return c.t }
func (c *fixedClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *fixedClock {
	return &fixedClock{t: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)}
}

// testbed wires a NAS to a Server over a MemoryTransport that records
// every datagram.
type testbed struct {
	server    *Server
	eap       *echoEAP
	nas       *NAS
	transport *MemoryTransport
	clock     *fixedClock
	wire      []wirePacket
}

type wirePacket struct {
	fromNAS bool
	pkt     []byte
}

func newTestbed(t testing.TB, seed string) *testbed {
	t.Helper()
	tb := &testbed{eap: newEchoEAP(), clock: newClock()}
	tb.server = &Server{
		Secret:  testSecret,
		Handler: &EAPHandler{EAP: tb.eap, SessionTimeout: 3600 * time.Second},
		Rand:    detrand.New(seed + " server"),
		Time:    tb.clock.now,
	}
	tb.transport = &MemoryTransport{
		Server: tb.server,
		Source: "192.0.2.10:50000",
		Record: func(fromNAS bool, pkt []byte) {
			tb.wire = append(tb.wire, wirePacket{fromNAS, append([]byte(nil), pkt...)})
		},
	}
	tb.nas = &NAS{
		Secret:           testSecret,
		Transport:        tb.transport,
		Rand:             detrand.New(seed + " nas"),
		IP:               netip.MustParseAddr("192.0.2.10"),
		Identifier:       "switch-01",
		Port:             50101,
		PortType:         PortTypeEthernet,
		CalledStationID:  "02-00-5E-10-00-01",
		CallingStationID: "02-00-5E-10-00-02",
		AuditSessionID:   "0A0000010000000C0012AB34",
	}
	return tb
}

// parseRADIUS decodes a datagram with dissect/radius, failing the test on
// any decoding error.
func parseRADIUS(t testing.TB, b []byte) *radius.Packet {
	t.Helper()
	p, err := radius.Parse(b)
	if err != nil {
		t.Fatalf("dissect/radius cannot decode %x: %v", b, err)
	}
	if int(p.Length) != len(b) {
		t.Fatalf("length field %d, datagram %d bytes", p.Length, len(b))
	}
	return p
}
