package tlsengine

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"slices"

	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/tls"
)

// sendClientHello starts a handshake: the first one, or a renegotiation
// (which offers no resumption).
func (c *Conn) sendClientHello(reneg bool) error {
	cfg := c.cfg
	hs := c.newHandshake(reneg)
	r := c.rec()
	if err := c.readRandom(hs.clientRandom[:]); err != nil {
		return err
	}
	ch := &tls.ClientHello{
		Version:              versionTLS12,
		Random:               hs.clientRandom,
		CipherSuites:         slices.Clone(cfg.CipherSuites),
		CompressionMethods:   []uint8{0},
		ServerName:           cfg.ServerName,
		SignatureAlgorithms:  advertisedSchemes,
		ExtendedMasterSecret: cfg.ExtendedMasterSecret,
	}
	if !reneg {
		var ticket []byte
		switch s := cfg.Session; {
		case len(cfg.PACOpaque) > 0:
			hs.offered, ticket = offerPAC, cfg.PACOpaque
		case s != nil && len(s.Ticket) > 0:
			hs.offered, ticket = offerTicket, s.Ticket
		case s != nil && len(s.ID) > 0:
			hs.offered, ch.SessionID = offerSessionID, s.ID
		}
		if ticket != nil {
			// A fresh session ID lets the client see that the server
			// accepted the ticket (RFC 5077 section 3.4).
			ch.SessionID = make([]byte, 32)
			if err := c.readRandom(ch.SessionID); err != nil {
				return err
			}
		}
		if ticket != nil || cfg.OfferTicket {
			ch.TicketSupported, ch.SessionTicket = true, ticket
			hs.sentTicketExt = true
		}
		r.OfferedTicket = hs.offered == offerTicket
		r.OfferedPACOpaque = hs.offered == offerPAC
	}
	if cfg.SecureRenegotiation {
		ch.SecureRenegotiationSupported = true
		ch.SecureRenegotiation = []byte{}
		if reneg {
			ch.SecureRenegotiation = c.clientVerify
		}
	}
	for _, id := range ch.CipherSuites {
		if s := suiteByID(id); s != nil && s.kx == tls.KeyExchangeECDHE_RSA {
			ch.SupportedGroups, ch.ECPointFormats = []uint16{groupP256}, []uint8{pointFormatUncompressed}
			break
		}
	}
	hs.offeredSuites, hs.offeredID = ch.CipherSuites, ch.SessionID
	r.ClientRandom, r.OfferedSessionID, r.ClientSessionID = hs.clientRandom, cloneBytes(ch.SessionID), cloneBytes(ch.SessionID)
	hs.step = stWaitServerHello
	return c.sendHandshake(tls.HandshakeTypeClientHello, ch.Marshal(false))
}

// clientHandshake handles a handshake message from the server.
func (c *Conn) clientHandshake(m tls.HandshakeMsg) error {
	hs := c.hs
	if hs == nil {
		return c.unexpected(m)
	}
	switch {
	case m.Type == tls.HandshakeTypeServerHello && hs.step == stWaitServerHello:
		hs.add(m.Raw)
		return c.clientServerHello(m.Body)
	case m.Type == tls.HandshakeTypeCertificate && hs.step == stWaitCertificate:
		hs.add(m.Raw)
		return c.clientCertificate(m.Body)
	case m.Type == tls.HandshakeTypeServerKeyExchange && hs.step == stWaitServerKeyExchange:
		hs.add(m.Raw)
		return c.clientServerKeyExchange(m.Body)
	case m.Type == tls.HandshakeTypeCertificateRequest && hs.step == stWaitCertificateRequestOrDone:
		hs.add(m.Raw)
		return c.clientCertificateRequest(m.Body)
	case m.Type == tls.HandshakeTypeServerHelloDone && (hs.step == stWaitCertificateRequestOrDone || hs.step == stWaitServerHelloDone):
		hs.add(m.Raw)
		if err := (tls.ServerHelloDone{}).Unmarshal(m.Body); err != nil {
			return fail(alertDecodeError, "%v", err)
		}
		return c.clientFlight()
	case m.Type == tls.HandshakeTypeNewSessionTicket && hs.step == stWaitNewSessionTicket:
		hs.add(m.Raw)
		var t tls.NewSessionTicket
		if err := t.Unmarshal(m.Body, false); err != nil {
			return fail(alertDecodeError, "%v", err)
		}
		if len(t.Ticket) > 0 { // an empty ticket means none (RFC 5077 section 3.3)
			hs.newTicket = append([]byte(nil), t.Ticket...)
			c.rec().TicketIssued = true
		}
		hs.step = stWaitChangeCipherSpec
		return nil
	case m.Type == tls.HandshakeTypeFinished && hs.step == stWaitFinished:
		if err := c.checkFinished(m); err != nil {
			return err
		}
		if hs.resumed {
			if err := c.sendChangeCipherSpec(); err != nil {
				return err
			}
			if err := c.sendFinished(); err != nil {
				return err
			}
		}
		c.complete()
		return nil
	}
	return c.unexpected(m)
}

func (c *Conn) clientServerHello(body []byte) error {
	cfg, hs, r := c.cfg, c.hs, c.rec()
	var sh tls.ServerHello
	if err := sh.Unmarshal(body); err != nil {
		return fail(alertDecodeError, "ServerHello: %v", err)
	}
	if sh.Version != versionTLS12 || sh.SupportedVersion != 0 {
		return fail(tls.AlertProtocolVersion, "server chose %s", sh.NegotiatedVersion())
	}
	c.recordVersion = versionTLS12
	s := suiteByID(sh.CipherSuite)
	if s == nil || !slices.Contains(hs.offeredSuites, sh.CipherSuite) {
		return fail(alertIllegalParameter, "server chose %s", tls.CipherSuiteName(sh.CipherSuite))
	}
	if sh.CompressionMethod != 0 {
		return fail(alertIllegalParameter, "compression method %d", sh.CompressionMethod)
	}
	if (sh.ExtendedMasterSecret && !cfg.ExtendedMasterSecret) || (sh.TicketSupported && !hs.sentTicketExt) ||
		(sh.SecureRenegotiationSupported && !cfg.SecureRenegotiation) {
		return fail(alertUnsupportedExtension, "ServerHello extension the client did not offer")
	}
	if err := c.checkServerRenegotiationInfo(&sh); err != nil {
		return err
	}
	hs.suite, hs.serverRandom, hs.ems, hs.ticketExpected = s, sh.Random, sh.ExtendedMasterSecret, sh.TicketSupported
	hs.ka.suite = s
	hs.serverSessionID = append([]byte(nil), sh.SessionID...)
	r.ServerRandom, r.ServerSessionID = sh.Random, cloneBytes(sh.SessionID)
	r.CipherSuite, r.Anonymous, r.EMS = s.id, s.anonymous, sh.ExtendedMasterSecret

	if len(hs.offeredID) == 0 || !bytes.Equal(sh.SessionID, hs.offeredID) {
		r.ResumptionRefused = hs.offered != offerNothing
		hs.step = stWaitCertificate
		if s.anonymous {
			hs.step = stWaitServerKeyExchange
		}
		// A server that accepts a ticket or PAC-Opaque need not echo the
		// session ID: OpenSSL (hostapd's EAP-FAST) sends a new one and
		// goes straight to ChangeCipherSpec, which is how the client
		// learns it resumed (RFC 5077 section 3.4, RFC 4851 section 3.2.2).
		hs.resumeOnCCS = hs.offered == offerPAC || hs.offered == offerTicket
		return nil
	}
	return c.clientResume()
}

// clientResume takes the abbreviated path: the master secret of the
// offered session (or derived from the PAC-Key), then the server's
// ChangeCipherSpec and Finished.
func (c *Conn) clientResume() error {
	cfg, hs, r := c.cfg, c.hs, c.rec()
	s := hs.suite
	r.ResumptionRefused = false
	hs.resumeOnCCS = false
	hs.resumed = true
	var ms []byte
	switch hs.offered {
	case offerPAC:
		r.Resumption = ResumptionPAC
		ms = eapfast.MasterSecretFromPACKey(cfg.PACKey, hs.serverRandom, hs.clientRandom)
	case offerTicket, offerSessionID:
		r.Resumption = ResumptionSessionID
		if hs.offered == offerTicket {
			r.Resumption = ResumptionSessionTicket
		}
		if cfg.Session.CipherSuite != s.id {
			return fail(alertIllegalParameter, "resumed session with %s, not its %s", tls.CipherSuiteName(s.id), tls.CipherSuiteName(cfg.Session.CipherSuite))
		}
		if cfg.Session.EMS != hs.ems {
			return fail(tls.AlertHandshakeFailure, "resumption changes extended_master_secret (RFC 7627 section 5.3)")
		}
		ms = cloneBytes(cfg.Session.MasterSecret)
	default:
		return fail(alertIllegalParameter, "server echoed a session ID nothing was offered with")
	}
	if len(ms) != masterSecretLen {
		return fail(alertInternalError, "offered session has no master secret")
	}
	if err := c.setMasterSecret(ms); err != nil {
		return err
	}
	hs.step = stWaitChangeCipherSpec
	if hs.ticketExpected {
		hs.step = stWaitNewSessionTicket
	}
	return nil
}

// checkServerRenegotiationInfo applies RFC 5746 section 3.4 and 3.5.
func (c *Conn) checkServerRenegotiationInfo(sh *tls.ServerHello) error {
	if !c.cfg.SecureRenegotiation {
		return nil
	}
	if !c.hs.reneg {
		if sh.SecureRenegotiationSupported {
			if len(sh.SecureRenegotiation) != 0 {
				return fail(tls.AlertHandshakeFailure, "renegotiation_info not empty in the initial handshake")
			}
			c.secureRenegotiation = true
		}
		return nil
	}
	want := concat(c.clientVerify, c.serverVerify)
	if !sh.SecureRenegotiationSupported || !bytes.Equal(sh.SecureRenegotiation, want) {
		return fail(tls.AlertHandshakeFailure, "renegotiation_info does not match the previous Finished messages")
	}
	return nil
}

func (c *Conn) clientCertificate(body []byte) error {
	hs := c.hs
	var cm tls.Certificate
	if err := cm.Unmarshal(body, false); err != nil {
		return fail(alertDecodeError, "Certificate: %v", err)
	}
	if len(cm.Certificates) == 0 {
		return fail(tls.AlertBadCertificate, "server sent no certificate")
	}
	leaf, err := x509.ParseCertificate(cm.Certificates[0])
	if err != nil {
		return fail(tls.AlertBadCertificate, "server certificate: %v", err)
	}
	pub, ok := leaf.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fail(alertUnsupportedCert, "server key is %T, not RSA", leaf.PublicKey)
	}
	if c.cfg.RootCAs != nil {
		inter := x509.NewCertPool()
		for _, der := range cm.Certificates[1:] {
			if ic, err := x509.ParseCertificate(der); err == nil {
				inter.AddCert(ic)
			}
		}
		_, err := leaf.Verify(x509.VerifyOptions{Roots: c.cfg.RootCAs, Intermediates: inter, DNSName: c.cfg.ServerName,
			CurrentTime: c.cfg.Time(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		if err != nil {
			var ua x509.UnknownAuthorityError
			if errors.As(err, &ua) {
				return fail(tls.AlertUnknownCA, "server certificate: %v", err)
			}
			return fail(tls.AlertBadCertificate, "server certificate: %v", err)
		}
	}
	hs.serverKey = pub
	hs.step = stWaitCertificateRequestOrDone
	if hs.suite.sendsServerKeyExchange() {
		hs.step = stWaitServerKeyExchange
	}
	return nil
}

func (c *Conn) clientServerKeyExchange(body []byte) error {
	hs := c.hs
	p, err := tls.ParseServerKeyExchange(body, hs.suite.kx, versionTLS12)
	if err != nil {
		return fail(alertDecodeError, "ServerKeyExchange: %v", err)
	}
	if !hs.suite.anonymous {
		if !p.HasSignatureAlgorithm || !slices.Contains(advertisedSchemes, p.SignatureAlgorithm) {
			return fail(alertIllegalParameter, "ServerKeyExchange signed with %s", tls.SignatureSchemeName(p.SignatureAlgorithm))
		}
		signed := concat(hs.clientRandom[:], hs.serverRandom[:], p.Signed)
		if !verify(hs.serverKey, p.SignatureAlgorithm, signed, p.Signature) {
			return fail(alertDecryptError, "ServerKeyExchange signature does not verify")
		}
	}
	if err := hs.ka.clientReadParams(p); err != nil {
		return err
	}
	hs.step = stWaitCertificateRequestOrDone
	return nil
}

func (c *Conn) clientCertificateRequest(body []byte) error {
	hs := c.hs
	if hs.suite.anonymous {
		return fail(tls.AlertHandshakeFailure, "anonymous server asked for a client certificate")
	}
	var cr tls.CertificateRequest
	if err := cr.Unmarshal(body, versionTLS12); err != nil {
		return fail(alertDecodeError, "CertificateRequest: %v", err)
	}
	hs.certRequested = true
	hs.certReqSchemes = slices.Clone(cr.SignatureAlgorithms)
	hs.step = stWaitServerHelloDone
	return nil
}

// clientFlight answers ServerHelloDone: [Certificate], ClientKeyExchange,
// [CertificateVerify], ChangeCipherSpec, Finished.
func (c *Conn) clientFlight() error {
	cfg, hs, r := c.cfg, c.hs, c.rec()
	var scheme uint16
	signing := false
	if hs.certRequested {
		cm := &tls.Certificate{}
		if cert := cfg.Certificate; cert != nil && len(cert.Chain) > 0 && cert.Key != nil {
			if s, ok := chooseScheme(hs.certReqSchemes, true); ok {
				cm.Certificates, scheme, signing = cert.Chain, s, true
			}
		}
		r.ClientCertificate = ClientCertEmpty
		if signing {
			r.ClientCertificate = ClientCertSent
		}
		if err := c.sendHandshake(tls.HandshakeTypeCertificate, cm.Marshal()); err != nil {
			return err
		}
	}
	cke, pms, err := hs.ka.clientExchange(cfg.Rand, hs.serverKey)
	if err != nil {
		return err
	}
	if err := c.sendHandshake(tls.HandshakeTypeClientKeyExchange, cke); err != nil {
		return err
	}
	if err := c.setMasterSecret(masterSecret(pms, hs.ems, hs.clientRandom, hs.serverRandom, hs.transcriptHash())); err != nil {
		return err
	}
	if signing {
		sig, err := sign(cfg.Certificate.Key, scheme, hs.transcript)
		if err != nil {
			return fail(alertInternalError, "CertificateVerify: %v", err)
		}
		cv := &tls.CertificateVerify{HasSignatureAlgorithm: true, SignatureAlgorithm: scheme, Signature: sig}
		if err := c.sendHandshake(tls.HandshakeTypeCertificateVerify, cv.Marshal()); err != nil {
			return err
		}
	}
	if err := c.sendChangeCipherSpec(); err != nil {
		return err
	}
	if err := c.sendFinished(); err != nil {
		return err
	}
	hs.step = stWaitChangeCipherSpec
	if hs.ticketExpected {
		hs.step = stWaitNewSessionTicket
	}
	return nil
}
