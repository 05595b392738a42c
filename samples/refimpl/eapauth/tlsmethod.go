package eapauth

import (
	"errors"
	"fmt"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// DefaultMaxFragment is the TLS data carried per EAP packet by the
// TLS-based methods (FreeRADIUS' fragment_size is 1024 octets including
// the EAP overhead).
const DefaultMaxFragment = 1000

// TLSStep is what the method on top of the TLS layer wants done next.
type TLSStep struct {
	// Send is application data to encrypt and send in the tunnel.
	Send []byte
	// Records are TLS records to send as they are, before Send (for
	// example a HelloRequest from Conn().Renegotiate()).
	Records []byte
	// Verdict ends the method (server: EAP-Success or EAP-Failure
	// follows; peer: its conclusion). A final verdict comes with nothing
	// to send, except a peer's last answer in the tunnel.
	Verdict Verdict
}

// msk derives the MSK and EMSK input of EAP-TLS and PEAP (RFC 5216
// section 2.3): TLS-PRF(master secret, "client EAP encryption",
// client.random | server.random), the first 64 octets being the MSK.
func tlsMSK(c *tlsengine.Conn) []byte {
	if c == nil || !c.HandshakeComplete() {
		return nil
	}
	cr, sr := c.Randoms()
	seed := append(cr[:], sr[:]...)
	return c.ExportKeyingMaterial("client EAP encryption", seed, 64)
}

// tlsReassembly joins the fragments of one TLS message (RFC 5216 section
// 2.1.5), trusting no length: the TLS Message Length must agree with
// what arrives and both stay under dissect.MaxEAPTLSMessage.
type tlsReassembly struct {
	buf      []byte
	total    uint32
	hasTotal bool
	active   bool
}

var errFragment = errors.New("bad TLS fragment")

// add consumes one fragment and returns the whole message when it is the
// last one.
func (r *tlsReassembly) add(f *eap.TLSFragment) ([]byte, bool, error) {
	if f.HasLength {
		switch {
		case f.MessageLength > dissect.MaxEAPTLSMessage:
			return nil, false, fmt.Errorf("%w: TLS Message Length %d exceeds %d", errFragment, f.MessageLength, dissect.MaxEAPTLSMessage)
		case r.hasTotal && f.MessageLength != r.total:
			return nil, false, fmt.Errorf("%w: TLS Message Length changed from %d to %d", errFragment, r.total, f.MessageLength)
		}
		r.total, r.hasTotal = f.MessageLength, true
	}
	limit := dissect.MaxEAPTLSMessage
	if r.hasTotal {
		limit = int(r.total)
	}
	if len(r.buf)+len(f.Data) > limit {
		return nil, false, fmt.Errorf("%w: fragments exceed %d octets", errFragment, limit)
	}
	if f.MoreFragments() && len(f.Data) == 0 {
		return nil, false, fmt.Errorf("%w: empty fragment with More set", errFragment)
	}
	r.buf = append(r.buf, f.Data...)
	if f.MoreFragments() {
		r.active = true
		return nil, false, nil
	}
	msg := r.buf
	short := r.hasTotal && len(msg) != int(r.total)
	*r = tlsReassembly{}
	if short {
		return nil, false, fmt.Errorf("%w: %d octets, TLS Message Length said otherwise", errFragment, len(msg))
	}
	return msg, true, nil
}

// tlsSender holds the fragments of one outgoing TLS message.
type tlsSender struct {
	frags []eap.TLSFragment
}

func (s *tlsSender) load(t eap.Type, version uint8, data []byte, max int, policy eap.LengthPolicy) {
	if max <= 0 {
		max = DefaultMaxFragment
	}
	s.frags = eap.FragmentTLS(t, version, data, max, policy)
}

func (s *tlsSender) pending() bool { return len(s.frags) > 0 }

// next returns the type data of the next fragment.
func (s *tlsSender) next() []byte {
	f := s.frags[0]
	s.frags = s.frags[1:]
	return f.Marshal()
}

// ack is the type data of an empty fragment: an acknowledgement, or a
// request for the next fragment.
func ack(t eap.Type, version uint8) []byte {
	return eap.TLSFragment{Method: t, Version: version}.Marshal()
}

// handshakes copies the engine's handshake records.
func handshakes(c *tlsengine.Conn) []tlsengine.HandshakeRecord {
	if c == nil {
		return nil
	}
	return c.Handshakes()
}

// TLSLayer returns a server TLS layer shaped by the node's fragment
// settings, recording handshakes into o.
func (s *Server) TLSLayer(t eap.Type, version uint8, conn *tlsengine.Conn, hooks TLSServerHooks, o *Outcome) *TLSServer {
	l := NewTLSServer(t, version, conn, hooks)
	l.MaxFragment, l.Length, l.Outcome = s.cfg.MaxFragment, s.cfg.LengthPolicy, o
	return l
}

// TLSLayer returns a peer TLS layer shaped by the peer's fragment
// settings, recording handshakes into o.
func (p *Peer) TLSLayer(t eap.Type, version uint8, newConn func(*eap.TLSFragment) (*tlsengine.Conn, error), hooks TLSPeerHooks, o *Outcome) *TLSPeer {
	l := NewTLSPeer(t, version, newConn, hooks)
	policy := p.cfg.LengthPolicy
	l.MaxFragment, l.Length, l.Outcome = p.cfg.MaxFragment, policy, o
	return l
}

// keepSession keeps the session of a completed handshake for the next
// authentication with method t.
func (p *Peer) keepSession(t eap.Type, c *tlsengine.Conn) {
	if s := c.Session(); s != nil {
		p.SetSession(t, s)
	}
}
