package tlsengine

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"slices"

	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/tls"
)

// serverHandshake handles a handshake message from the client.
func (c *Conn) serverHandshake(m tls.HandshakeMsg) error {
	hs := c.hs
	if hs == nil {
		if m.Type != tls.HandshakeTypeClientHello {
			return c.unexpected(m)
		}
		if c.established && !c.secureRenegotiation {
			// RFC 5746 section 4.4: decline, the connection goes on.
			return c.writeRecord(tls.ContentAlert, tls.Alert{Level: tls.AlertLevelWarning, Description: tls.AlertNoRenegotiation}.Marshal())
		}
		c.helloRequested = false
		hs = c.newHandshake(c.established)
		hs.add(m.Raw)
		return c.serverClientHello(m.Body)
	}
	switch {
	case m.Type == tls.HandshakeTypeCertificate && hs.step == stWaitClientCertificate:
		hs.add(m.Raw)
		return c.serverClientCertificate(m.Body)
	case m.Type == tls.HandshakeTypeClientKeyExchange && hs.step == stWaitClientKeyExchange:
		hs.add(m.Raw)
		return c.serverClientKeyExchange(m.Body)
	case m.Type == tls.HandshakeTypeCertificateVerify && hs.step == stWaitCertificateVerify:
		if err := c.serverCertificateVerify(m.Body); err != nil {
			return err
		}
		hs.add(m.Raw)
		hs.step = stWaitChangeCipherSpec
		return nil
	case m.Type == tls.HandshakeTypeFinished && hs.step == stWaitFinished:
		if err := c.checkFinished(m); err != nil {
			return err
		}
		if !hs.resumed {
			if err := c.serverFinalFlight(); err != nil {
				return err
			}
		}
		c.complete()
		return nil
	}
	return c.unexpected(m)
}

// resumable is a session the server may resume.
type resumable struct {
	how          string
	masterSecret []byte
	suite        *suite
	ems          bool
}

func (c *Conn) serverClientHello(body []byte) error {
	cfg, hs, r := c.cfg, c.hs, c.rec()
	var ch tls.ClientHello
	if err := ch.Unmarshal(body, false); err != nil {
		return fail(alertDecodeError, "ClientHello: %v", err)
	}
	hs.clientRandom = ch.Random
	r.ClientRandom = ch.Random
	r.OfferedSessionID, r.ClientSessionID = cloneBytes(ch.SessionID), cloneBytes(ch.SessionID)
	if len(ch.SessionTicket) > 0 {
		r.OfferedPACOpaque = cfg.PACResolver != nil
		r.OfferedTicket = cfg.PACResolver == nil
	}
	if ch.Version < versionTLS12 {
		return fail(tls.AlertProtocolVersion, "client offers at most %s", ch.Version)
	}
	if !slices.Contains(ch.CompressionMethods, 0) {
		return fail(alertIllegalParameter, "client does not offer the null compression method")
	}
	if err := c.checkClientRenegotiationInfo(&ch); err != nil {
		return err
	}
	ems := cfg.ExtendedMasterSecret && ch.ExtendedMasterSecret
	if err := c.readRandom(hs.serverRandom[:]); err != nil {
		return err
	}
	r.ServerRandom = hs.serverRandom

	if res := c.findResumable(&ch, ems); res != nil {
		return c.serverResume(&ch, res)
	}
	r.ResumptionRefused = len(ch.SessionID) > 0 || len(ch.SessionTicket) > 0
	s := c.selectSuite(&ch, false)
	if s == nil {
		return fail(tls.AlertHandshakeFailure, "no cipher suite in common")
	}
	hs.suite, hs.ems, hs.ka.suite = s, ems, s
	r.CipherSuite, r.Anonymous, r.EMS = s.id, s.anonymous, ems
	if cfg.SessionCache != nil {
		hs.sessionID = make([]byte, 32)
		if err := c.readRandom(hs.sessionID); err != nil {
			return err
		}
	}
	r.ServerSessionID = cloneBytes(hs.sessionID)
	hs.issueTicket = cfg.TicketKey != nil && cfg.PACResolver == nil && ch.TicketSupported
	sh := c.serverHello(hs.sessionID)
	sh.TicketSupported = hs.issueTicket
	if err := c.sendHandshake(tls.HandshakeTypeServerHello, sh.Marshal()); err != nil {
		return err
	}
	if s.certificateBased() {
		if err := c.sendHandshake(tls.HandshakeTypeCertificate, (&tls.Certificate{Certificates: cfg.Certificate.Chain}).Marshal()); err != nil {
			return err
		}
	}
	if s.sendsServerKeyExchange() {
		if err := c.sendServerKeyExchange(&ch); err != nil {
			return err
		}
	}
	hs.step = stWaitClientKeyExchange
	if cfg.RequestClientCert && s.certificateBased() {
		cr := &tls.CertificateRequest{CertificateTypes: []uint8{tls.CertTypeRSASign}, SignatureAlgorithms: advertisedSchemes}
		if err := c.sendHandshake(tls.HandshakeTypeCertificateRequest, cr.Marshal(versionTLS12)); err != nil {
			return err
		}
		hs.step = stWaitClientCertificate
	}
	return c.sendHandshake(tls.HandshakeTypeServerHelloDone, tls.ServerHelloDone{}.Marshal())
}

// checkClientRenegotiationInfo applies RFC 5746 sections 3.6 and 3.7.
func (c *Conn) checkClientRenegotiationInfo(ch *tls.ClientHello) error {
	ext, hasExt := tls.FindExtension(ch.Extensions, tls.ExtRenegotiationInfo)
	if !c.hs.reneg {
		if hasExt && len(ch.SecureRenegotiation) != 0 {
			return fail(tls.AlertHandshakeFailure, "renegotiation_info not empty in the initial handshake")
		}
		if hasExt && len(ext.Data) == 0 {
			return fail(alertDecodeError, "renegotiation_info malformed")
		}
		c.secureRenegotiation = c.cfg.SecureRenegotiation && ch.SecureRenegotiationSupported
		return nil
	}
	if !hasExt || !bytes.Equal(ch.SecureRenegotiation, c.clientVerify) {
		return fail(tls.AlertHandshakeFailure, "renegotiation_info does not match the previous client Finished")
	}
	return nil
}

// serverHello fills the fields every ServerHello of this handshake shares.
func (c *Conn) serverHello(sessionID []byte) *tls.ServerHello {
	hs := c.hs
	sh := &tls.ServerHello{Version: versionTLS12, Random: hs.serverRandom, SessionID: sessionID,
		CipherSuite: hs.suite.id, ExtendedMasterSecret: hs.ems}
	if c.secureRenegotiation {
		sh.SecureRenegotiationSupported = true
		sh.SecureRenegotiation = []byte{}
		if hs.reneg {
			sh.SecureRenegotiation = concat(c.clientVerify, c.serverVerify)
		}
	}
	return sh
}

// selectSuite picks the server's most preferred suite that the client
// offers and this server can use for a full handshake, or, with pac, for
// a PAC-based tunnel (which needs neither certificate nor key exchange).
func (c *Conn) selectSuite(ch *tls.ClientHello, pac bool) *suite {
	_, sigListed := tls.FindExtension(ch.Extensions, tls.ExtSignatureAlgorithms)
	for _, id := range c.cfg.CipherSuites {
		s := suiteByID(id)
		if s == nil || !slices.Contains(ch.CipherSuites, id) {
			continue
		}
		if pac {
			return s
		}
		if s.certificateBased() {
			if c.cfg.Certificate == nil || c.cfg.Certificate.Key == nil || len(c.cfg.Certificate.Chain) == 0 {
				continue
			}
			if s.sendsServerKeyExchange() {
				if _, ok := chooseScheme(ch.SignatureAlgorithms, sigListed); !ok {
					continue
				}
			}
		}
		if s.kx == tls.KeyExchangeECDHE_RSA {
			if _, listed := tls.FindExtension(ch.Extensions, tls.ExtSupportedGroups); listed && !slices.Contains(ch.SupportedGroups, groupP256) {
				continue
			}
		}
		return s
	}
	return nil
}

// findResumable looks for a session to resume: the PAC-Opaque (EAP-FAST
// server) or the ticket of the SessionTicket extension, then the session
// ID in the cache. The session's suite must still be offered and
// accepted, and its extended_master_secret use unchanged.
func (c *Conn) findResumable(ch *tls.ClientHello, ems bool) *resumable {
	cfg := c.cfg
	usable := func(id uint16) *suite {
		s := suiteByID(id)
		if s == nil || !slices.Contains(ch.CipherSuites, id) || !slices.Contains(cfg.CipherSuites, id) {
			return nil
		}
		return s
	}
	if len(ch.SessionTicket) > 0 {
		switch {
		case cfg.PACResolver != nil:
			if key, ok := cfg.PACResolver(ch.SessionTicket); ok {
				if s := c.selectSuite(ch, true); s != nil {
					return &resumable{how: ResumptionPAC, suite: s, masterSecret: cloneBytes(key)}
				}
			}
		case cfg.TicketKey != nil:
			if st, ok := cfg.TicketKey.open(ch.SessionTicket, cfg.Time(), cfg.ticketLifetime()); ok && st.ems == ems {
				if s := usable(st.cipherSuite); s != nil {
					return &resumable{how: ResumptionSessionTicket, suite: s, masterSecret: st.masterSecret, ems: st.ems}
				}
			}
		}
	}
	if len(ch.SessionID) > 0 && cfg.SessionCache != nil {
		if e, ok := cfg.SessionCache.get(ch.SessionID, cfg.Time()); ok && e.ems == ems {
			if s := usable(e.cipherSuite); s != nil {
				return &resumable{how: ResumptionSessionID, suite: s, masterSecret: cloneBytes(e.masterSecret), ems: e.ems}
			}
		}
	}
	return nil
}

// serverResume runs the abbreviated handshake: ServerHello echoing the
// client's session ID, ChangeCipherSpec, Finished.
func (c *Conn) serverResume(ch *tls.ClientHello, res *resumable) error {
	hs, r := c.hs, c.rec()
	hs.suite, hs.ka.suite, hs.ems, hs.resumed = res.suite, res.suite, res.ems, true
	hs.sessionID = cloneBytes(ch.SessionID)
	r.Resumption, r.CipherSuite, r.Anonymous, r.EMS = res.how, res.suite.id, res.suite.anonymous, res.ems
	r.ServerSessionID = cloneBytes(ch.SessionID)
	ms := res.masterSecret
	if res.how == ResumptionPAC {
		ms = eapfast.MasterSecretFromPACKey(res.masterSecret, hs.serverRandom, hs.clientRandom)
	}
	if err := c.sendHandshake(tls.HandshakeTypeServerHello, c.serverHello(hs.sessionID).Marshal()); err != nil {
		return err
	}
	if err := c.setMasterSecret(ms); err != nil {
		return err
	}
	if err := c.sendChangeCipherSpec(); err != nil {
		return err
	}
	if err := c.sendFinished(); err != nil {
		return err
	}
	hs.step = stWaitChangeCipherSpec
	return nil
}

// sendServerKeyExchange sends the ephemeral parameters, signed over both
// randoms unless the suite is anonymous.
func (c *Conn) sendServerKeyExchange(ch *tls.ClientHello) error {
	hs := c.hs
	p, err := hs.ka.serverParams(c.cfg.Rand)
	if err != nil {
		return err
	}
	if !hs.suite.anonymous {
		_, listed := tls.FindExtension(ch.Extensions, tls.ExtSignatureAlgorithms)
		scheme, ok := chooseScheme(ch.SignatureAlgorithms, listed)
		if !ok {
			return fail(tls.AlertHandshakeFailure, "no signature algorithm in common")
		}
		sig, err := sign(c.cfg.Certificate.Key, scheme, concat(hs.clientRandom[:], hs.serverRandom[:], p.Marshal()))
		if err != nil {
			return fail(alertInternalError, "ServerKeyExchange signature: %v", err)
		}
		p.HasSignature, p.HasSignatureAlgorithm, p.SignatureAlgorithm, p.Signature = true, true, scheme, sig
	}
	return c.sendHandshake(tls.HandshakeTypeServerKeyExchange, p.Marshal())
}

func (c *Conn) serverClientCertificate(body []byte) error {
	hs, r := c.hs, c.rec()
	var cm tls.Certificate
	if err := cm.Unmarshal(body, false); err != nil {
		return fail(alertDecodeError, "Certificate: %v", err)
	}
	hs.step = stWaitClientKeyExchange
	if len(cm.Certificates) == 0 {
		r.ClientCertificate = ClientCertEmpty
		return nil
	}
	r.ClientCertificate = ClientCertSent
	leaf, err := x509.ParseCertificate(cm.Certificates[0])
	if err != nil {
		return fail(tls.AlertBadCertificate, "client certificate: %v", err)
	}
	pub, ok := leaf.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fail(alertUnsupportedCert, "client key is %T, not RSA", leaf.PublicKey)
	}
	hs.clientKey = pub
	return nil
}

func (c *Conn) serverClientKeyExchange(body []byte) error {
	hs := c.hs
	var key *rsa.PrivateKey
	if c.cfg.Certificate != nil {
		key = c.cfg.Certificate.Key
	}
	pms, err := hs.ka.serverExchange(c.cfg.Rand, body, key)
	if err != nil {
		return err
	}
	if err := c.setMasterSecret(masterSecret(pms, hs.ems, hs.clientRandom, hs.serverRandom, hs.transcriptHash())); err != nil {
		return err
	}
	hs.step = stWaitChangeCipherSpec
	if hs.clientKey != nil {
		hs.step = stWaitCertificateVerify
	}
	return nil
}

func (c *Conn) serverCertificateVerify(body []byte) error {
	hs := c.hs
	var cv tls.CertificateVerify
	if err := cv.Unmarshal(body, versionTLS12); err != nil {
		return fail(alertDecodeError, "CertificateVerify: %v", err)
	}
	if !slices.Contains(advertisedSchemes, cv.SignatureAlgorithm) {
		return fail(alertIllegalParameter, "CertificateVerify signed with %s", tls.SignatureSchemeName(cv.SignatureAlgorithm))
	}
	if !verify(hs.clientKey, cv.SignatureAlgorithm, hs.transcript, cv.Signature) {
		return fail(alertDecryptError, "CertificateVerify does not verify")
	}
	return nil
}

// serverFinalFlight ends a full handshake: [NewSessionTicket],
// ChangeCipherSpec, Finished.
func (c *Conn) serverFinalFlight() error {
	cfg, hs := c.cfg, c.hs
	if hs.issueTicket {
		st := &ticketState{cipherSuite: hs.suite.id, ems: hs.ems, masterSecret: hs.masterSecret, created: cfg.Time()}
		ticket, err := cfg.TicketKey.seal(st, cfg.Rand)
		if err != nil {
			return fail(alertInternalError, "ticket: %v", err)
		}
		nst := &tls.NewSessionTicket{LifetimeHint: uint32(cfg.ticketLifetime().Seconds()), Ticket: ticket}
		if err := c.sendHandshake(tls.HandshakeTypeNewSessionTicket, nst.Marshal()); err != nil {
			return err
		}
		c.rec().TicketIssued = true
	}
	if err := c.sendChangeCipherSpec(); err != nil {
		return err
	}
	return c.sendFinished()
}
