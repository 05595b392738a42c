package eapauth

import (
	"errors"
	"fmt"
	"io"

	"github.com/sessionscope/sscope/dissect/eap"
)

// MSCHAPv2Peer is the peer side of EAP-MSCHAPv2: it answers the Challenge,
// checks the authenticator response of Success, and acknowledges Success
// or Failure.
type MSCHAPv2Peer struct {
	// PeerChallenge is the 16-octet peer challenge; nil draws one from
	// Rand. EAP-FAST anonymous provisioning sets it from the tunnel.
	PeerChallenge []byte
	UserName      string
	Password      string
	Rand          io.Reader
	// Outcome receives the failure reason.
	Outcome *Outcome

	authChallenge []byte
	nt            [24]byte
	answered      bool
	verdict       Verdict
	msk           []byte
}

// NewMSCHAPv2Peer returns the method for a conversation of ctx, with its
// credentials.
func NewMSCHAPv2Peer(ctx *PeerContext) *MSCHAPv2Peer {
	return &MSCHAPv2Peer{
		UserName: ctx.Credentials.Identity,
		Password: ctx.Credentials.Password,
		Rand:     ctx.Peer.Config().Rand,
		Outcome:  ctx.Outcome,
	}
}

func newMSCHAPv2PeerMethod(ctx *PeerContext) (PeerMethod, error) {
	return NewMSCHAPv2Peer(ctx), nil
}

// Type is EAP-MSCHAPv2 (26).
func (m *MSCHAPv2Peer) Type() eap.Type { return eap.TypeMSCHAPv2 }

// Verdict is Succeeded once the authenticator response checked out.
func (m *MSCHAPv2Peer) Verdict() Verdict { return m.verdict }

// MSK is the 32-octet MSCHAPv2MSK once the server proved itself.
func (m *MSCHAPv2Peer) MSK() []byte { return m.msk }

// Handle answers one EAP-MSCHAPv2 request.
func (m *MSCHAPv2Peer) Handle(req *eap.Packet) ([]byte, error) {
	r, err := eap.ParseMSCHAPv2(req)
	if err != nil {
		return nil, err
	}
	switch r.OpCode {
	case eap.MSCHAPv2OpChallenge:
		if m.answered {
			return nil, errors.New("second Challenge")
		}
		if m.PeerChallenge == nil {
			m.PeerChallenge = make([]byte, 16)
			if _, err := io.ReadFull(m.Rand, m.PeerChallenge); err != nil {
				return nil, err
			}
		}
		m.authChallenge = append([]byte(nil), r.Challenge...)
		m.nt = GenerateNTResponse(m.authChallenge, m.PeerChallenge, m.UserName, m.Password)
		m.answered = true
		return eap.MSCHAPv2{OpCode: eap.MSCHAPv2OpResponse, MSCHAPv2ID: r.MSCHAPv2ID,
			PeerChallenge: m.PeerChallenge, NTResponse: m.nt[:], Name: m.UserName}.Marshal(), nil
	case eap.MSCHAPv2OpSuccess:
		if !m.answered {
			return nil, errors.New("Success before any Challenge")
		}
		want := GenerateAuthenticatorResponse(m.Password, m.nt, m.PeerChallenge, m.authChallenge, m.UserName)
		if r.AuthResponse != want {
			m.verdict = Failed
			m.fail("EAP-MSCHAPv2: wrong authenticator response")
			return nil, fmt.Errorf("authenticator response %q, want %q", r.AuthResponse, want)
		}
		m.verdict = Succeeded
		m.msk = MSCHAPv2MSK(m.Password, m.nt)
		return eap.MSCHAPv2{OpCode: eap.MSCHAPv2OpSuccess, OpCodeOnly: true}.Marshal(), nil
	case eap.MSCHAPv2OpFailure:
		m.verdict = Failed
		if r.Failure != nil {
			m.fail(fmt.Sprintf("EAP-MSCHAPv2: E=%d %s", r.Failure.Error, r.Failure.ErrorName()))
		}
		return eap.MSCHAPv2{OpCode: eap.MSCHAPv2OpFailure, OpCodeOnly: true}.Marshal(), nil
	}
	return nil, fmt.Errorf("unexpected %s", r.OpCodeName())
}

func (m *MSCHAPv2Peer) fail(reason string) {
	if m.Outcome != nil {
		m.Outcome.Fail(reason)
	}
}
