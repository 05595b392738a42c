package eapauth

import (
	"errors"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// PEAPv0 with an inner EAP method ([MS-PEAP]). Phase 1 is the TLS
// handshake (server certificate only); phase 2 runs an inner EAP
// conversation in the tunnel (Identity, then EAP-MSCHAPv2) and ends with
// the Result TLV both ways. On a resumed session with fast reconnect on,
// the server skips the inner conversation and sends the Result TLV at
// once. The MSK is the TLS one, as for EAP-TLS.

const peapVersion = 0

const (
	peapTunnel = iota
	peapInner
	peapResultSent
)

type peapServer struct {
	*TLSServer
	ctx      *ServerContext
	inner    *Authenticator
	phase    int
	resultOK bool
}

func newPEAPServer(ctx *ServerContext) (ServerMethod, error) {
	cfg := ctx.Server.TLSConfig()
	if cfg.Certificate == nil {
		return nil, errors.New("no server certificate")
	}
	m := &peapServer{ctx: ctx}
	m.TLSServer = ctx.Server.TLSLayer(eap.TypePEAP, peapVersion, tlsengine.Server(cfg), m, ctx.Outcome)
	return m, nil
}

// Handle records the version the peer answered with, then runs the layer.
func (m *peapServer) Handle(resp *eap.Packet, id uint8) ([]byte, Verdict, error) {
	data, v, err := m.TLSServer.Handle(resp, id)
	if m.ctx.Outcome.PEAPVersion == nil && m.gotResponse {
		ver := int(m.Version())
		m.ctx.Outcome.PEAPVersion = &ver
	}
	return data, v, err
}

func (m *peapServer) TunnelEstablished(l *TLSServer) (TLSStep, error) {
	o := m.ctx.Outcome
	resumed := l.Conn().Current().Kind == tlsengine.KindAbbreviated
	if resumed && m.ctx.Server.cfg.Policy.EnableFastReconnect {
		o.FastReconnect = boolPtr(true)
		return m.sendResult(l, true), nil
	}
	o.FastReconnect = boolPtr(false)
	m.inner = m.ctx.Server.NewInnerConversation()
	m.phase = peapInner
	return TLSStep{Send: compressInner(m.inner.Start(l.Identifier()))}, nil
}

func (m *peapServer) ApplicationData(l *TLSServer, data []byte) (TLSStep, error) {
	switch m.phase {
	case peapInner:
		if len(data) == 0 || isExtensions(data, eap.CodeResponse) {
			return TLSStep{}, errors.New("PEAP: no inner EAP response where one was due")
		}
		pkt, err := expandInner(eap.CodeResponse, m.inner.ExpectedIdentifier(), data)
		if err != nil {
			return TLSStep{}, err
		}
		out, v := m.inner.Process(pkt)
		switch {
		case out == nil:
			return TLSStep{}, errors.New("PEAP: inner response discarded")
		case v == Continue:
			return TLSStep{Send: compressInner(out)}, nil
		}
		io := m.inner.Outcome()
		m.ctx.Outcome.AddInner(io)
		if v == Failed {
			m.ctx.Outcome.Fail("PEAP inner " + io.FailureReason)
		}
		return m.sendResult(l, v == Succeeded), nil
	case peapResultSent:
		if !isExtensions(data, eap.CodeResponse) {
			return TLSStep{}, errors.New("PEAP: no Result TLV where one was due")
		}
		ok, err := parseResultExtensions(data)
		if err != nil {
			return TLSStep{}, err
		}
		if !ok || !m.resultOK {
			if m.resultOK {
				m.ctx.Outcome.Fail("PEAP: the peer answered the Result TLV with failure")
			}
			return TLSStep{Verdict: Failed}, nil
		}
		return TLSStep{Verdict: Succeeded}, nil
	}
	return TLSStep{}, errors.New("PEAP: application data before phase 2")
}

func (m *peapServer) sendResult(l *TLSServer, success bool) TLSStep {
	m.phase, m.resultOK = peapResultSent, success
	return TLSStep{Send: resultExtensions(eap.CodeRequest, l.Identifier(), success)}
}

type peapPeer struct {
	*TLSPeer
	ctx     *PeerContext
	inner   *PeerConversation
	resumed bool
}

func newPEAPPeer(ctx *PeerContext) (PeerMethod, error) {
	m := &peapPeer{ctx: ctx}
	m.TLSPeer = ctx.Peer.TLSLayer(eap.TypePEAP, peapVersion, func(*eap.TLSFragment) (*tlsengine.Conn, error) {
		return tlsengine.Client(ctx.Peer.TLSConfig(eap.TypePEAP, nil)), nil
	}, m, ctx.Outcome)
	return m, nil
}

// Handle records the version agreed in Start, then runs the layer.
func (m *peapPeer) Handle(req *eap.Packet) ([]byte, error) {
	data, err := m.TLSPeer.Handle(req)
	if m.ctx.Outcome.PEAPVersion == nil && m.Conn() != nil {
		ver := int(m.Version())
		m.ctx.Outcome.PEAPVersion = &ver
	}
	return data, err
}

func (m *peapPeer) TunnelEstablished(l *TLSPeer) (TLSStep, error) {
	m.ctx.Peer.keepSession(eap.TypePEAP, l.Conn())
	m.resumed = l.Conn().Current().Kind == tlsengine.KindAbbreviated
	return TLSStep{}, nil
}

func (m *peapPeer) ApplicationData(l *TLSPeer, data []byte) (TLSStep, error) {
	o := m.ctx.Outcome
	if isExtensions(data, eap.CodeRequest) {
		serverOK, err := parseResultExtensions(data)
		if err != nil {
			return TLSStep{}, err
		}
		skipped := m.inner == nil
		innerOK := !skipped && m.inner.Method() != nil && m.inner.Method().Verdict() == Succeeded
		if skipped {
			o.FastReconnect = boolPtr(true)
		} else {
			o.AddInner(m.inner.Outcome())
		}
		ok := serverOK && (innerOK || (skipped && m.resumed && m.ctx.Peer.cfg.FastReconnect))
		switch {
		case ok:
		case !serverOK && !skipped && m.inner.Outcome().FailureReason != "":
			o.Fail("PEAP inner " + m.inner.Outcome().FailureReason)
		case !serverOK:
			o.Fail("PEAP: the server sent a failure Result TLV")
		case skipped && !m.resumed:
			o.Fail("PEAP: Result TLV without an inner method on a full handshake")
		case skipped:
			o.Fail("PEAP: the server skipped the inner method and fast reconnect is off")
		default:
			o.Fail("PEAP: success Result TLV but the inner method did not succeed")
		}
		v := Failed
		if ok {
			v = Succeeded
		}
		return TLSStep{Send: resultExtensions(eap.CodeResponse, data[1], ok), Verdict: v}, nil
	}
	if m.inner == nil {
		cfg := m.ctx.Peer.Config()
		m.inner = m.ctx.Peer.Conversation(m.ctx.Credentials.Identity, cfg.InnerMethods, m.ctx.Credentials)
		o.FastReconnect = boolPtr(false)
	}
	pkt, err := expandInner(eap.CodeRequest, l.Identifier(), data)
	if err != nil {
		return TLSStep{}, err
	}
	resp, err := m.inner.Respond(pkt)
	if err != nil {
		return TLSStep{}, err
	}
	if resp == nil {
		return TLSStep{}, errors.New("PEAP: inner conversation gave no response")
	}
	return TLSStep{Send: compressInner(resp)}, nil
}
