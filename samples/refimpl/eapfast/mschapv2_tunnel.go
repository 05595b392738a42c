package eapfast

import (
	"github.com/sessionscope/sscope/dissect/eap"
	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
)

// EAP-MSCHAPv2 in an anonymous provisioning tunnel (RFC 5422 section
// 3.2.3) takes both challenges from the tunnel keys: the authenticator
// challenge is the server_challenge, the peer challenge the
// client_challenge. hostapd and wpa_supplicant then send zeros in the
// packets' challenge fields and ignore what they receive there; these
// wrappers make eapauth's EAP-MSCHAPv2 do the same.

// Offsets in the EAP-MSCHAPv2 type data: OpCode, MS-CHAPv2-ID, MS-Length
// (2), Value-Size, then the 16-octet Challenge (in a Challenge request)
// or Peer-Challenge (first in a Response's value).
const (
	mschapOpCode       = 0
	mschapChallengeOff = 5
	mschapChallengeEnd = mschapChallengeOff + 16
	mschapOpChallenge  = 1
	mschapOpResponse   = 2
)

func isMSCHAPv2Op(data []byte, op byte) bool {
	return len(data) >= mschapChallengeEnd && data[mschapOpCode] == op
}

// withChallenge returns a copy of p whose challenge field is c.
func withChallenge(p *eap.Packet, c []byte) *eap.Packet {
	q := *p
	q.Data = append([]byte(nil), p.Data...)
	copy(q.Data[mschapChallengeOff:mschapChallengeEnd], c)
	q.Raw = q.Marshal()
	return &q
}

type tunnelMSCHAPv2Server struct {
	*eapauth.MSCHAPv2Server
	clientChallenge [16]byte
}

func newTunnelMSCHAPv2Server(ctx *eapauth.ServerContext, k *fast.ProvisioningKeys) eapauth.ServerMethod {
	s := eapauth.NewMSCHAPv2Server(ctx)
	s.Challenge = append([]byte(nil), k.ServerChallenge[:]...)
	return &tunnelMSCHAPv2Server{MSCHAPv2Server: s, clientChallenge: k.ClientChallenge}
}

// Start sends the Challenge with zeros for the challenge.
func (s *tunnelMSCHAPv2Server) Start(id uint8) ([]byte, error) {
	data, err := s.MSCHAPv2Server.Start(id)
	if err == nil && isMSCHAPv2Op(data, mschapOpChallenge) {
		clear(data[mschapChallengeOff:mschapChallengeEnd])
	}
	return data, err
}

// Handle reads a Response with the tunnel's client_challenge as its
// Peer-Challenge.
func (s *tunnelMSCHAPv2Server) Handle(resp *eap.Packet, id uint8) ([]byte, eapauth.Verdict, error) {
	if isMSCHAPv2Op(resp.Data, mschapOpResponse) {
		resp = withChallenge(resp, s.clientChallenge[:])
	}
	return s.MSCHAPv2Server.Handle(resp, id)
}

type tunnelMSCHAPv2Peer struct {
	*eapauth.MSCHAPv2Peer
	serverChallenge [16]byte
}

func newTunnelMSCHAPv2Peer(ctx *eapauth.PeerContext, k *fast.ProvisioningKeys) eapauth.PeerMethod {
	p := eapauth.NewMSCHAPv2Peer(ctx)
	p.PeerChallenge = append([]byte(nil), k.ClientChallenge[:]...)
	return &tunnelMSCHAPv2Peer{MSCHAPv2Peer: p, serverChallenge: k.ServerChallenge}
}

// Handle answers a Challenge as if it carried the tunnel's
// server_challenge, and sends zeros for the Peer-Challenge.
func (p *tunnelMSCHAPv2Peer) Handle(req *eap.Packet) ([]byte, error) {
	challenge := isMSCHAPv2Op(req.Data, mschapOpChallenge)
	if challenge {
		req = withChallenge(req, p.serverChallenge[:])
	}
	data, err := p.MSCHAPv2Peer.Handle(req)
	if err == nil && challenge && isMSCHAPv2Op(data, mschapOpResponse) {
		clear(data[mschapChallengeOff:mschapChallengeEnd])
	}
	return data, err
}
