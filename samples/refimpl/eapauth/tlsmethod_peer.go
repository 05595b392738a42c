package eapauth

import (
	"errors"
	"fmt"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// TLSPeerHooks is the method on top of the peer's TLS layer.
type TLSPeerHooks interface {
	// TunnelEstablished is called once, when the first handshake has
	// completed (the peer's own Finished of a resumed handshake may still
	// be on its way: what the step sends goes after it).
	TunnelEstablished(l *TLSPeer) (TLSStep, error)
	// ApplicationData is called with each piece of decrypted application
	// data from the server.
	ApplicationData(l *TLSPeer, data []byte) (TLSStep, error)
}

// TLSPeer is the peer side of the framing every TLS-based method shares
// (see TLSServer). The TLS connection is made when the Start request
// arrives, so the method can pick its credentials from the Start payload
// (EAP-FAST chooses a PAC by the Authority-ID). It is a PeerMethod; the
// method on top plugs in through TLSPeerHooks and may embed it.
type TLSPeer struct {
	MaxFragment int
	Length      eap.LengthPolicy
	// Outcome, when set, gets the handshake records after each round.
	Outcome *Outcome

	typ        eap.Type
	maxVersion uint8
	version    uint8
	newConn    func(start *eap.TLSFragment) (*tlsengine.Conn, error)
	hooks      TLSPeerHooks

	conn        *tlsengine.Conn
	id          uint8
	in          tlsReassembly
	out         tlsSender
	established bool
	verdict     Verdict
}

// NewTLSPeer returns the layer for method typ, speaking versions up to
// version; newConn makes the client connection when Start arrives.
func NewTLSPeer(typ eap.Type, version uint8, newConn func(start *eap.TLSFragment) (*tlsengine.Conn, error), hooks TLSPeerHooks) *TLSPeer {
	if typ == eap.TypeTLS {
		version = 0
	}
	return &TLSPeer{typ: typ, maxVersion: version, newConn: newConn, hooks: hooks}
}

// Type is the EAP type.
func (l *TLSPeer) Type() eap.Type { return l.typ }

// Conn is the TLS connection (nil before Start).
func (l *TLSPeer) Conn() *tlsengine.Conn { return l.conn }

// Version is the method version agreed with the server.
func (l *TLSPeer) Version() uint8 { return l.version }

// Identifier is the EAP Identifier of the request being answered.
func (l *TLSPeer) Identifier() uint8 { return l.id }

// Verdict is the conclusion the method on top gave, Failed after a TLS
// failure.
func (l *TLSPeer) Verdict() Verdict { return l.verdict }

// MSK is the RFC 5216 key derived from the TLS session.
func (l *TLSPeer) MSK() []byte { return tlsMSK(l.conn) }

// Handle answers one request of the method.
func (l *TLSPeer) Handle(req *eap.Packet) ([]byte, error) {
	l.id = req.Identifier
	data, err := l.handle(req)
	if l.Outcome != nil {
		l.Outcome.Handshakes = handshakes(l.conn)
	}
	return data, err
}

func (l *TLSPeer) handle(req *eap.Packet) ([]byte, error) {
	f, err := eap.ParseTLSFragment(req)
	if err != nil {
		return nil, err
	}
	if f.IsStart() {
		if l.conn != nil {
			return nil, errors.New("second Start in one conversation")
		}
		l.version = min(f.Version, l.maxVersion)
		if l.conn, err = l.newConn(&f); err != nil {
			return nil, err
		}
		hello, err := l.conn.Start()
		if err != nil {
			return nil, err
		}
		return l.send(hello), nil
	}
	if l.conn == nil {
		return nil, errors.New("TLS data before Start")
	}
	if l.out.pending() {
		if !f.IsAck() {
			return nil, errors.New("server sent data while the peer's message was still being fragmented")
		}
		return l.out.next(), nil
	}
	msg, whole, err := l.in.add(&f)
	if err != nil {
		return nil, err
	}
	if !whole || len(msg) == 0 {
		return ack(l.typ, l.version), nil
	}
	out, err := l.conn.Feed(msg)
	if err != nil || l.conn.Failed() != nil {
		l.verdict = Failed
		if err == nil {
			err = l.conn.Failed()
		}
		if l.Outcome != nil {
			l.Outcome.Fail(fmt.Sprintf("%s: TLS: %v", methodName(l.typ), err))
		}
		if len(out) > 0 {
			return l.send(out), nil // our alert
		}
		return ack(l.typ, l.version), nil // acknowledge theirs (RFC 5216 section 2.1.3)
	}
	if l.conn.HandshakeComplete() {
		if !l.established {
			l.established = true
			step, err := l.hooks.TunnelEstablished(l)
			if err != nil {
				return nil, err
			}
			out = l.apply(out, step)
		}
		if app := l.conn.ReadApplicationData(); len(app) > 0 {
			step, err := l.hooks.ApplicationData(l, app)
			if err != nil {
				return nil, err
			}
			out = l.apply(out, step)
		}
	}
	if len(out) == 0 {
		return ack(l.typ, l.version), nil
	}
	return l.send(out), nil
}

// apply appends what step sends to out and takes its verdict.
func (l *TLSPeer) apply(out []byte, step TLSStep) []byte {
	out = append(out, step.Records...)
	if len(step.Send) > 0 {
		out = append(out, l.conn.WriteApplicationData(step.Send)...)
	}
	if step.Verdict != Continue {
		l.verdict = step.Verdict
	}
	return out
}

func (l *TLSPeer) send(records []byte) []byte {
	l.out.load(l.typ, l.version, records, l.MaxFragment, l.Length)
	return l.out.next()
}
