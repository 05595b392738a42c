package eapauth

import (
	"errors"
	"fmt"
	"slices"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// TLSServerHooks is the method on top of the server's TLS layer.
type TLSServerHooks interface {
	// TunnelEstablished is called once, when the first handshake has
	// completed and the server has nothing of it left to send (after the
	// peer acknowledged the server's Finished, or at once when the
	// peer's Finished ended a resumed handshake).
	TunnelEstablished(l *TLSServer) (TLSStep, error)
	// ApplicationData is called after that whenever the peer's message
	// is processed and the server has nothing queued: data is the
	// decrypted application data, empty when the peer only acknowledged
	// (for instance the end of a renegotiation).
	ApplicationData(l *TLSServer, data []byte) (TLSStep, error)
}

// TLSServer is the server side of the framing every TLS-based method
// shares (RFC 5216 section 3, reused by PEAP, EAP-TTLS, EAP-FAST): Start
// with the S flag, the method's version in the low flag bits, TLS
// records fragmented across EAP packets with the L and M flags,
// reassembly of the peer's fragments, acknowledgements, alerts. It is a
// ServerMethod; the method on top plugs in through TLSServerHooks and
// may embed it to override MSK.
type TLSServer struct {
	// StartPayload is carried in the Start request after the flags
	// (EAP-FAST: the Authority-ID TLV).
	StartPayload []byte
	// MaxFragment and Length shape outgoing fragments.
	MaxFragment int
	Length      eap.LengthPolicy
	// RequireClientCertificate ends a full handshake in which the peer
	// sent an empty Certificate with a fatal handshake_failure alert
	// instead of the server's Finished (EAP-TLS).
	RequireClientCertificate bool
	// VerifyClientCertificate, when set, checks the chain (DER, leaf
	// first) of a non-empty client Certificate in the initial handshake;
	// an error ends the handshake with a fatal bad_certificate alert
	// before the server's Finished.
	VerifyClientCertificate func(chain [][]byte) error
	// Outcome, when set, gets the handshake records after each round.
	Outcome *Outcome

	typ        eap.Type
	maxVersion uint8
	version    uint8
	conn       *tlsengine.Conn
	hooks      TLSServerHooks

	id          uint8
	gotResponse bool
	in          tlsReassembly
	out         tlsSender
	established bool
	alerting    bool
	peerCCS     bool                     // the peer's first ChangeCipherSpec went by
	peerHS      tls.HandshakeReassembler // the peer's plaintext handshake messages
}

// NewTLSServer returns the layer for method typ at version (the highest
// the server speaks, sent in Start), over the server connection conn.
func NewTLSServer(typ eap.Type, version uint8, conn *tlsengine.Conn, hooks TLSServerHooks) *TLSServer {
	if typ == eap.TypeTLS {
		version = 0
	}
	return &TLSServer{typ: typ, maxVersion: version, version: version, conn: conn, hooks: hooks}
}

// Type is the EAP type.
func (l *TLSServer) Type() eap.Type { return l.typ }

// Conn is the TLS connection.
func (l *TLSServer) Conn() *tlsengine.Conn { return l.conn }

// Version is the method version agreed with the peer.
func (l *TLSServer) Version() uint8 { return l.version }

// Identifier is the EAP Identifier of the request being built (valid
// inside the hooks).
func (l *TLSServer) Identifier() uint8 { return l.id }

// MSK is the RFC 5216 key derived from the TLS session.
func (l *TLSServer) MSK() []byte { return tlsMSK(l.conn) }

// Start returns the Start request.
func (l *TLSServer) Start(id uint8) ([]byte, error) {
	l.id = id
	return eap.TLSFragment{Method: l.typ, Flags: eap.FlagStart, Version: l.maxVersion, Data: l.StartPayload}.Marshal(), nil
}

// Handle consumes one response of the peer.
func (l *TLSServer) Handle(resp *eap.Packet, id uint8) ([]byte, Verdict, error) {
	l.id = id
	data, v, err := l.handle(resp)
	if l.Outcome != nil {
		l.Outcome.Handshakes = handshakes(l.conn)
	}
	return data, v, err
}

func (l *TLSServer) handle(resp *eap.Packet) ([]byte, Verdict, error) {
	f, err := eap.ParseTLSFragment(resp)
	if err != nil {
		return nil, Failed, err
	}
	if !l.gotResponse {
		l.gotResponse = true
		if f.Version > l.maxVersion {
			return nil, Failed, fmt.Errorf("peer answered version %d to our %d", f.Version, l.maxVersion)
		}
		l.version = f.Version
	}
	if l.out.pending() {
		if !f.IsAck() {
			return nil, Failed, errors.New("peer sent data while the server's message was still being fragmented")
		}
		return l.out.next(), Continue, nil
	}
	msg, whole, err := l.in.add(&f)
	if err != nil {
		return nil, Failed, err
	}
	if !whole {
		return ack(l.typ, l.version), Continue, nil
	}
	if l.alerting {
		// The peer acknowledged our fatal alert (RFC 5216 section 2.1.3).
		return nil, Failed, nil
	}
	if len(msg) == 0 {
		if !l.conn.HandshakeComplete() {
			return nil, Failed, errors.New("peer acknowledged in the middle of the handshake")
		}
		return l.afterHandshake(l.conn.ReadApplicationData())
	}
	out, err := l.feed(msg)
	var refused *certificateRefused
	if errors.As(err, &refused) {
		l.alerting = true
		if l.Outcome != nil {
			l.Outcome.Fail(methodName(l.typ) + ": " + refused.reason)
		}
		return l.send(append(out, l.conn.SendAlert(refused.alert)...)), Continue, nil
	}
	if err != nil || l.conn.Failed() != nil {
		if err == nil {
			err = l.conn.Failed()
		}
		if len(out) > 0 {
			// Our fatal alert goes to the peer, which acknowledges it.
			l.alerting = true
			if l.Outcome != nil {
				l.Outcome.Fail(fmt.Sprintf("%s: TLS: %v", methodName(l.typ), err))
			}
			return l.send(out), Continue, nil
		}
		return nil, Failed, fmt.Errorf("TLS: %w", err)
	}
	if len(out) > 0 {
		return l.send(out), Continue, nil
	}
	if !l.conn.HandshakeComplete() {
		return nil, Failed, errors.New("TLS handshake stalled: nothing to send")
	}
	return l.afterHandshake(l.conn.ReadApplicationData())
}

// certificateRefused stops a handshake over the client's certificate.
type certificateRefused struct {
	alert  uint8
	reason string
}

func (e *certificateRefused) Error() string { return e.reason }

// feed passes the peer's records to the engine. When the client
// certificate is checked it passes them one at a time, looking at the
// plaintext handshake messages first, so that a missing or refused
// certificate is caught before the engine answers the peer's Finished:
// the alert then goes out in plaintext, as OpenSSL's does.
func (l *TLSServer) feed(msg []byte) ([]byte, error) {
	if !l.RequireClientCertificate && l.VerifyClientCertificate == nil {
		return l.conn.Feed(msg)
	}
	var out []byte
	for len(msg) > 0 {
		n, ok := tls.RecordSize(msg, false)
		if !ok || n <= 0 || n > len(msg) {
			n = len(msg) // the engine judges what is left
		}
		if err := l.inspect(msg[:n]); err != nil {
			return out, err
		}
		o, err := l.conn.Feed(msg[:n])
		out, msg = append(out, o...), msg[n:]
		if err != nil {
			return out, err
		}
		if cur := l.conn.Current(); l.RequireClientCertificate && cur != nil && cur.Kind == tlsengine.KindIncomplete && cur.ClientCertificate == tlsengine.ClientCertEmpty {
			return out, &certificateRefused{tls.AlertHandshakeFailure, "the peer sent no client certificate"}
		}
	}
	return out, nil
}

// inspect reads one record of the peer's initial handshake and checks a
// client Certificate in it with VerifyClientCertificate.
func (l *TLSServer) inspect(record []byte) error {
	if l.VerifyClientCertificate == nil || l.peerCCS {
		return nil
	}
	rec, _, err := tls.ParseRecord(record, false)
	if err != nil {
		return nil // the engine will refuse it
	}
	switch rec.Type {
	case tls.ContentChangeCipherSpec:
		l.peerCCS = true
		return nil
	case tls.ContentHandshake:
	default:
		return nil
	}
	if l.peerHS.Write(rec.Fragment) != nil {
		return nil
	}
	for {
		m, ok := l.peerHS.Next()
		if !ok {
			return nil
		}
		if m.Type != tls.HandshakeTypeCertificate {
			continue
		}
		var c tls.Certificate
		if c.Unmarshal(m.Body, false) != nil || len(c.Certificates) == 0 {
			continue
		}
		if err := l.VerifyClientCertificate(c.Certificates); err != nil {
			return &certificateRefused{tls.AlertBadCertificate, "client certificate refused: " + err.Error()}
		}
	}
}

// afterHandshake runs the hooks once the server has nothing left to send.
func (l *TLSServer) afterHandshake(app []byte) ([]byte, Verdict, error) {
	var step TLSStep
	var err error
	if !l.established {
		l.established = true
		step, err = l.hooks.TunnelEstablished(l)
		if err == nil && len(app) > 0 {
			if step.Verdict != Continue || len(step.Send)+len(step.Records) > 0 {
				return nil, Failed, errors.New("application data from the peer before the tunnel was established")
			}
			step, err = l.hooks.ApplicationData(l, app)
		}
	} else {
		step, err = l.hooks.ApplicationData(l, app)
	}
	if err != nil {
		return nil, Failed, err
	}
	out := slices.Clone(step.Records)
	if len(step.Send) > 0 {
		out = append(out, l.conn.WriteApplicationData(step.Send)...)
	}
	if len(out) > 0 {
		return l.send(out), Continue, nil
	}
	if step.Verdict == Continue {
		return nil, Failed, errors.New("method has nothing to send")
	}
	return nil, step.Verdict, nil
}

// send loads a TLS message and returns its first fragment.
func (l *TLSServer) send(records []byte) []byte {
	l.out.load(l.typ, l.version, records, l.MaxFragment, l.Length)
	return l.out.next()
}
