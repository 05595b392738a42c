package eapauth

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"

	"github.com/sessionscope/sscope/dissect/eap"
)

// MSCHAPv2Server is the authenticator side of EAP-MSCHAPv2
// (draft-kamath-pppext-eap-mschapv2): Challenge, the peer's Response,
// then Success (with the authenticator response "S=...") or Failure
// (E=691), each acknowledged by the peer.
type MSCHAPv2Server struct {
	// Challenge is the 16-octet authenticator challenge; nil draws one
	// from Rand. EAP-FAST anonymous provisioning sets it from the tunnel
	// keys (RFC 5422 section 3.2.3).
	Challenge []byte
	// Name is sent in the Challenge.
	Name string
	// Password looks up a user's password.
	Password func(user string) (string, bool)
	// Rand gives the challenges.
	Rand io.Reader
	// Outcome receives the failure reason.
	Outcome *Outcome

	state int
	msk   []byte
}

const (
	mschapIdle = iota
	mschapChallengeSent
	mschapSuccessSent
	mschapFailureSent
)

// NewMSCHAPv2Server returns the method for a conversation of ctx.Server,
// checking passwords against its user database.
func NewMSCHAPv2Server(ctx *ServerContext) *MSCHAPv2Server {
	cfg := ctx.Server.Config()
	return &MSCHAPv2Server{
		Name: cfg.ServerName,
		Password: func(user string) (string, bool) {
			pw, ok := cfg.Passwords[user]
			return pw, ok
		},
		Rand:    cfg.Rand,
		Outcome: ctx.Outcome,
	}
}

func newMSCHAPv2ServerMethod(ctx *ServerContext) (ServerMethod, error) {
	return NewMSCHAPv2Server(ctx), nil
}

// Type is EAP-MSCHAPv2 (26).
func (m *MSCHAPv2Server) Type() eap.Type { return eap.TypeMSCHAPv2 }

// MSK is the 32-octet MSCHAPv2MSK after success.
func (m *MSCHAPv2Server) MSK() []byte { return m.msk }

// Start sends the Challenge; its MS-CHAPv2-ID is the EAP Identifier.
func (m *MSCHAPv2Server) Start(id uint8) ([]byte, error) {
	if m.Challenge == nil {
		m.Challenge = make([]byte, 16)
		if _, err := io.ReadFull(m.Rand, m.Challenge); err != nil {
			return nil, err
		}
	}
	if len(m.Challenge) != 16 {
		return nil, errors.New("authenticator challenge must be 16 octets")
	}
	m.state = mschapChallengeSent
	return eap.MSCHAPv2{OpCode: eap.MSCHAPv2OpChallenge, MSCHAPv2ID: id, Challenge: m.Challenge, Name: m.Name}.Marshal(), nil
}

// Handle checks the Response and sends Success or Failure, then ends on
// the peer's acknowledgement.
func (m *MSCHAPv2Server) Handle(resp *eap.Packet, id uint8) ([]byte, Verdict, error) {
	r, err := eap.ParseMSCHAPv2(resp)
	if err != nil {
		return nil, Failed, err
	}
	switch m.state {
	case mschapChallengeSent:
		if r.OpCode != eap.MSCHAPv2OpResponse {
			return nil, Failed, fmt.Errorf("%s where a Response was due", r.OpCodeName())
		}
		return m.check(r)
	case mschapSuccessSent:
		if r.OpCode != eap.MSCHAPv2OpSuccess || !r.OpCodeOnly {
			return nil, Failed, fmt.Errorf("%s where the Success acknowledgement was due", r.OpCodeName())
		}
		return nil, Succeeded, nil
	case mschapFailureSent:
		if r.OpCode != eap.MSCHAPv2OpFailure {
			return nil, Failed, fmt.Errorf("%s where the Failure acknowledgement was due", r.OpCodeName())
		}
		return nil, Failed, nil
	}
	return nil, Failed, errors.New("response before the challenge")
}

// check verifies the NT-Response of user r.Name.
func (m *MSCHAPv2Server) check(r eap.MSCHAPv2) ([]byte, Verdict, error) {
	pw, known := m.Password(r.Name)
	var nt [24]byte
	copy(nt[:], r.NTResponse)
	want := GenerateNTResponse(m.Challenge, r.PeerChallenge, r.Name, pw)
	if !known || subtle.ConstantTimeCompare(want[:], nt[:]) != 1 {
		next := make([]byte, 16)
		if _, err := io.ReadFull(m.Rand, next); err != nil {
			return nil, Failed, err
		}
		f := eap.MSCHAPv2Failure{Error: 691, Challenge: next, Version: 3, Message: "Authentication failed"}
		if m.Outcome != nil {
			m.Outcome.Fail(fmt.Sprintf("EAP-MSCHAPv2: E=%d %s", f.Error, f.ErrorName()))
		}
		m.state = mschapFailureSent
		return eap.MSCHAPv2{OpCode: eap.MSCHAPv2OpFailure, MSCHAPv2ID: r.MSCHAPv2ID, Failure: &f}.Marshal(), Continue, nil
	}
	m.msk = MSCHAPv2MSK(pw, nt)
	m.state = mschapSuccessSent
	msg := GenerateAuthenticatorResponse(pw, nt, r.PeerChallenge, m.Challenge, r.Name) + " M=Authentication succeeded"
	return eap.MSCHAPv2{OpCode: eap.MSCHAPv2OpSuccess, MSCHAPv2ID: r.MSCHAPv2ID, Message: msg}.Marshal(), Continue, nil
}
