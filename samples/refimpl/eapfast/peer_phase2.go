package eapfast

import (
	"errors"
	"fmt"

	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/fastpac"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// ApplicationData answers one phase-2 message of the server.
func (m *peerMethod) ApplicationData(l *eapauth.TLSPeer, data []byte) (eapauth.TLSStep, error) {
	if m.keys == nil {
		m.enterPhase2(l.Conn())
	}
	f, err := collect(data)
	if err != nil {
		return eapauth.TLSStep{}, fmt.Errorf("EAP-FAST: %w", err)
	}
	var out payload
	if f.inter != nil {
		m.noteResult(f.inter.Status == fast.StatusSuccess)
		out.add(&fast.IntermediateResult{Status: f.inter.Status})
		if f.binding != nil {
			if !m.bindingOK(&f) {
				return m.bindingFailed(), nil
			}
			out.add(m.answer(f.binding))
			if !m.requested {
				m.requested = true
				m.addRequests(&out)
			}
		}
		m.inner = nil
	}
	if f.result != nil {
		return m.final(&f, out)
	}
	if f.identity != nil {
		m.chaining = true
		m.asked = f.identity.Identity
		k := m.asked
		if m.creds(k) == nil {
			k = fast.IdentityUser + fast.IdentityMachine - k // the other one
		}
		if err := m.startInner(k); err != nil {
			return eapauth.TLSStep{}, err
		}
		out.add(&fast.IdentityType{Identity: k})
	}
	if f.payload != nil {
		if m.inner == nil {
			if err := m.startInner(m.cfg.Authenticate); err != nil {
				return eapauth.TLSStep{}, err
			}
		}
		resp, err := m.inner.Respond(f.payload.Packet)
		if err != nil {
			return eapauth.TLSStep{}, fmt.Errorf("EAP-FAST inner: %w", err)
		}
		if resp == nil {
			return eapauth.TLSStep{}, errors.New("EAP-FAST: the inner conversation gave no response")
		}
		out.add(eapPayload(resp))
		if m.first && m.chaining {
			m.presentAuthorization(&out)
		}
		m.first = false
	}
	if len(out) == 0 {
		return eapauth.TLSStep{}, errors.New("EAP-FAST: nothing to answer in the server's message")
	}
	return eapauth.TLSStep{Send: out}, nil
}

// enterPhase2 names the tunnel and derives its keys, once the handshakes
// (renegotiation included) are over.
func (m *peerMethod) enterPhase2(c *tlsengine.Conn) {
	cur := c.Current()
	switch {
	case cur.Resumption == tlsengine.ResumptionPAC:
		m.truth.Tunnel = "pac"
	case cur.Anonymous:
		m.truth.Tunnel, m.truth.Provisioning = "anonymous", "anonymous"
	default:
		m.truth.Tunnel = "certificate"
	}
	seed, prov := sessionKeys(c)
	m.keys, m.prov = fast.NewKeyChain(seed), prov
}

// innerISK is ISK[j] of the inner method that ran since the last binding
// (zeros if none ran or it gave no key).
func (m *peerMethod) innerISK() []byte {
	if m.inner == nil || m.inner.Method() == nil || m.inner.Method().Verdict() != eapauth.Succeeded {
		return nil
	}
	mth := m.inner.Method()
	return isk(mth.Type(), mth.MSK())
}

// noteResult records an Intermediate-Result: a success is the answered
// identity's; a failure is that identity's if its inner method ran, else
// the identity the server asked for (which the peer could not give).
func (m *peerMethod) noteResult(ok bool) {
	ran := m.inner != nil && m.inner.Method() != nil
	if m.inner != nil && ran {
		m.ctx.Outcome.AddInner(m.inner.Outcome())
	}
	k := m.innerKind
	if !ok && !ran && m.asked != 0 {
		k = m.asked
	}
	if k != 0 {
		m.results[k] = ok
	}
}

func (m *peerMethod) bindingOK(f *found) bool {
	b := f.binding
	m.cmk = m.keys.Next(m.innerISK())
	return b.SubType == fast.CryptoBindingRequest && b.Version == fast.Version && b.Nonce[fast.NonceLen-1]&1 == 0 &&
		fast.VerifyCompoundMAC(m.cmk, f.bindRaw)
}

// answer is the peer's Crypto-Binding TLV for the server's request.
func (m *peerMethod) answer(req *fast.CryptoBinding) *fast.CryptoBinding {
	m.truth.noteBinding(true)
	cb := &fast.CryptoBinding{Version: fast.Version, ReceivedVersion: req.Version, SubType: fast.CryptoBindingResponse,
		Nonce: fast.ResponseNonce(req.Nonce)}
	cb.Sign(m.cmk)
	if m.cfg.CorruptCryptoBinding {
		cb.CompoundMAC[0] ^= 0x01
	}
	return cb
}

func (m *peerMethod) bindingFailed() eapauth.TLSStep {
	m.truth.noteBinding(false)
	var out payload
	out.add(&fast.Result{Status: fast.StatusFailure})
	m.ctx.Outcome.FailureReason = "EAP-FAST: the server's Crypto-Binding TLV does not verify"
	return eapauth.TLSStep{Send: out, Verdict: eapauth.Failed}
}

// addRequests asks for the PACs the peer lacks (RFC 5422 section 3.4).
func (m *peerMethod) addRequests(out *payload) {
	if !m.cfg.UsePACs {
		return
	}
	var want []fast.PACType
	if _, ok := m.valid(fast.PACTypeTunnel); !ok && m.cfg.User != nil {
		want = append(want, fast.PACTypeTunnel)
	}
	if _, ok := m.valid(fast.PACTypeMachineAuthentication); !ok && m.cfg.Machine != nil {
		want = append(want, fast.PACTypeMachineAuthentication)
	}
	if m.cfg.FastReconnect && m.chaining {
		if m.cfg.User != nil {
			want = append(want, fast.PACTypeUserAuthorization)
		}
		if m.cfg.Machine != nil {
			want = append(want, fast.PACTypeMachineAuthorization)
		}
	}
	if len(want) == 0 {
		return
	}
	out.add(&fast.RequestAction{Mandatory: true, Action: fast.ActionProcessTLV})
	for _, t := range want {
		out.add(&fast.PAC{Type: t})
	}
}

// presentAuthorization presents the authorization PACs held (expired or
// not: the server judges), with fast reconnect on.
func (m *peerMethod) presentAuthorization(out *payload) {
	if !m.cfg.UsePACs || !m.cfg.FastReconnect {
		return
	}
	m.presented = map[fast.Identity]bool{}
	for _, c := range []struct {
		t fast.PACType
		k fast.Identity
	}{{fast.PACTypeUserAuthorization, fast.IdentityUser}, {fast.PACTypeMachineAuthorization, fast.IdentityMachine}} {
		pac, ok := m.cfg.Store.Get(m.aid, c.t)
		if !ok || m.creds(c.k) == nil {
			continue
		}
		out.add(&fast.PAC{Mandatory: true, Opaque: pac.Opaque})
		m.truth.PACsPresented = append(m.truth.PACsPresented, c.t.ReportName())
		m.presented[c.k] = true
	}
}

// final answers the Result TLV: with the Crypto-Binding answer, or with
// an acknowledgement of each PAC delivered (stored first).
func (m *peerMethod) final(f *found, out payload) (eapauth.TLSStep, error) {
	ok := f.result.Status == fast.StatusSuccess
	if f.binding != nil {
		if m.inner != nil && m.inner.Method() != nil {
			m.noteResult(ok)
		}
		if !m.bindingOK(f) {
			return m.bindingFailed(), nil
		}
		out.add(&fast.Result{Status: f.result.Status})
		out.add(m.answer(f.binding))
	} else {
		out.add(&fast.Result{Status: f.result.Status})
		for _, tlv := range f.pacs {
			if tlv.Key == nil && tlv.Opaque == nil {
				continue
			}
			status := fast.StatusSuccess
			pac, err := fastpac.FromTLV(*tlv)
			if err != nil || !ok {
				status = fast.StatusFailure
			} else {
				m.cfg.Store.Put(pac)
				m.truth.PACsProvisioned = append(m.truth.PACsProvisioned, pac.Type.ReportName())
			}
			out.add(&fast.PAC{Mandatory: true, Ack: status})
		}
	}
	t := m.truth
	if t.Tunnel == "certificate" && len(t.PACsProvisioned) > 0 {
		t.Provisioning = "authenticated"
	}
	if m.chaining {
		t.Chaining = ChainingBothFailed
		if ok {
			t.Chaining = chainingResult(m.passed(fast.IdentityUser, ok), m.passed(fast.IdentityMachine, ok))
		}
	}
	v := eapauth.Failed
	if ok {
		v = eapauth.Succeeded
		m.msk = m.keys.MSK()
	} else {
		m.ctx.Outcome.FailureReason = "EAP-FAST: the server sent a failure Result TLV"
	}
	return eapauth.TLSStep{Send: out, Verdict: v}, nil
}

// passed says whether identity k passed, from the peer's view: an
// Intermediate-Result said so, or, with no result of its own, the
// authorization PAC it presented carried it to a successful end.
func (m *peerMethod) passed(k fast.Identity, finalOK bool) bool {
	if r, ok := m.results[k]; ok {
		return r
	}
	return finalOK && m.presented[k]
}

var _ eapauth.PeerMethod = (*peerMethod)(nil)
