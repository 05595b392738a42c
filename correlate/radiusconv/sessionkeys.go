package radiusconv

import (
	"bytes"

	"github.com/sessionscope/sscope/correlate/handshake"
	"github.com/sessionscope/sscope/dissect/eapfast"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// tlsSession is what key derivations need of a TLS 1.0-1.2 handshake.
type tlsSession struct {
	version      tlsd.Version
	suite        uint16
	clientRandom [32]byte
	serverRandom [32]byte
	ms           []byte
}

// masterSecretOf finds the master secret of a handshake no Decrypter
// followed (an inner EAP-TLS, whose records travel in clear inside the
// tunnel): from the key log by client random, a key log premaster
// secret, or the session it resumed. ok is false when none is known; a
// wrong secret shows later, as Compound MACs that do not verify. (The
// tunnel's own master secret comes from its Decrypter.)
func (c *conversation) masterSecretOf(h *handshake.Handshake) (tlsSession, bool) {
	var s tlsSession
	d := c.t.opt.Decrypt
	if d == nil || h == nil || h.ClientHello == nil || h.ServerHello == nil {
		return s, false
	}
	ch, sh := h.ClientHello, h.ServerHello
	s.version, s.suite = sh.NegotiatedVersion(), sh.CipherSuite
	s.clientRandom, s.serverRandom = ch.Random, sh.Random
	ks, err := tlsd.NewKeySchedule(s.version, s.suite)
	if err != nil {
		return s, false
	}
	resumed := !h.ClientKeyExchange
	if d.Keys != nil {
		if sec, ok := d.Keys.Secrets(ch.Random); ok {
			switch {
			case len(sec.MasterSecret) == tlsd.MasterSecretLen:
				s.ms = sec.MasterSecret
				return s, true
			case len(sec.PreMasterSecret) > 0 && !resumed && !(ch.ExtendedMasterSecret && sh.ExtendedMasterSecret):
				s.ms = ks.MasterSecret(sec.PreMasterSecret, ch.Random, sh.Random)
				return s, true
			}
		}
	}
	if !resumed {
		return s, false
	}
	if len(ch.SessionTicket) > 0 {
		if d.Sessions != nil {
			if ms, ok := d.Sessions.ByTicket(ch.SessionTicket); ok {
				s.ms = ms
				return s, true
			}
		}
	}
	if d.Sessions != nil && len(sh.SessionID) > 0 && bytes.Equal(ch.SessionID, sh.SessionID) {
		if ms, ok := d.Sessions.BySessionID(sh.SessionID); ok {
			s.ms = ms
			return s, true
		}
	}
	return s, false
}

// sessionKeySeed derives S-IMCK[0] of an EAP-FAST tunnel from its
// handshake's master secret.
func sessionKeySeed(s tlsSession) ([]byte, bool) {
	return eapfast.TunnelKeyMaterial(s.ms, s.suite, s.version, s.clientRandom, s.serverRandom, eapfast.SessionKeySeedLen)
}

// eapTLSLabel is the PRF label of the EAP-TLS keys (RFC 5216 section 2.3).
const eapTLSLabel = "client EAP encryption"

// eapTLSMSK derives the MSK of an EAP-TLS conversation (TLS 1.0 to 1.2)
// from its handshake's master secret: the first 64 octets of
// PRF(master_secret, "client EAP encryption", client_random ||
// server_random).
func eapTLSMSK(s tlsSession) ([]byte, bool) {
	ks, err := tlsd.NewKeySchedule(s.version, s.suite)
	if err != nil {
		return nil, false
	}
	seed := make([]byte, 0, 64)
	seed = append(append(seed, s.clientRandom[:]...), s.serverRandom[:]...)
	return ks.PRF(s.ms, eapTLSLabel, seed, 64), true
}
