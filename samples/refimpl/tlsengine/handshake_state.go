package tlsengine

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"io"

	"github.com/sessionscope/sscope/dissect/tls"
)

// step is what a handshake waits for next.
type step uint8

const (
	stWaitServerHello step = iota + 1
	stWaitCertificate
	stWaitServerKeyExchange
	stWaitCertificateRequestOrDone
	stWaitServerHelloDone
	stWaitNewSessionTicket
	stWaitClientCertificate
	stWaitClientKeyExchange
	stWaitCertificateVerify
	stWaitChangeCipherSpec
	stWaitFinished
)

// offer is what a client offered to resume.
type offer uint8

const (
	offerNothing offer = iota
	offerSessionID
	offerTicket
	offerPAC
)

// handshakeState is one handshake in progress.
type handshakeState struct {
	record int // index of its HandshakeRecord
	step   step
	reneg  bool

	transcript []byte // every handshake message so far, HelloRequest excepted

	suite        *suite
	clientRandom [32]byte
	serverRandom [32]byte
	ems          bool
	resumed      bool
	// resumeOnCCS: a ticket or PAC was offered and the ServerHello did
	// not echo the session ID; a ChangeCipherSpec instead of Certificate
	// means the server resumed anyway.
	resumeOnCCS  bool
	masterSecret []byte
	ka           keyAgreement
	pendingRead  *recordCipher
	pendingWrite *recordCipher

	// Client side.
	offered         offer
	offeredSuites   []uint16
	offeredID       []byte
	sentTicketExt   bool
	ticketExpected  bool
	serverKey       *rsa.PublicKey
	certRequested   bool
	certReqSchemes  []uint16
	serverSessionID []byte
	newTicket       []byte

	// Server side.
	clientKey   *rsa.PublicKey
	issueTicket bool
	sessionID   []byte

	clientFinished, serverFinished []byte
}

func (hs *handshakeState) add(msg []byte) { hs.transcript = append(hs.transcript, msg...) }

func (hs *handshakeState) transcriptHash() []byte {
	h := sha256.Sum256(hs.transcript)
	return h[:]
}

func (c *Conn) rec() *HandshakeRecord { return &c.records[c.hs.record] }

// sendHandshake builds a handshake message, adds it to the transcript and
// writes it.
func (c *Conn) sendHandshake(t tls.HandshakeType, body []byte) error {
	if body == nil {
		return fail(alertInternalError, "%s does not fit its length fields", t)
	}
	msg := tls.MarshalHandshake(t, body)
	if msg == nil {
		return fail(alertInternalError, "%s too long", t)
	}
	c.hs.add(msg)
	return c.writeRecord(tls.ContentHandshake, msg)
}

// sendChangeCipherSpec writes ChangeCipherSpec and switches to the
// pending write keys.
func (c *Conn) sendChangeCipherSpec() error {
	if err := c.writeRecord(tls.ContentChangeCipherSpec, tls.ChangeCipherSpecFragment()); err != nil {
		return err
	}
	c.writeCipher = c.hs.pendingWrite
	return nil
}

// sendFinished writes this endpoint's Finished over the transcript so far.
func (c *Conn) sendFinished() error {
	hs := c.hs
	vd := finishedVerifyData(hs.masterSecret, c.isClient, hs.transcriptHash())
	if c.isClient {
		hs.clientFinished = vd
	} else {
		hs.serverFinished = vd
	}
	return c.sendHandshake(tls.HandshakeTypeFinished, (&tls.Finished{VerifyData: vd}).Marshal())
}

// checkFinished verifies the peer's Finished and adds it to the
// transcript.
func (c *Conn) checkFinished(m tls.HandshakeMsg) error {
	hs := c.hs
	var f tls.Finished
	f.Unmarshal(m.Body)
	want := finishedVerifyData(hs.masterSecret, !c.isClient, hs.transcriptHash())
	if len(f.VerifyData) != verifyDataLen || subtle.ConstantTimeCompare(f.VerifyData, want) != 1 {
		return fail(alertDecryptError, "peer's Finished does not verify")
	}
	if c.isClient {
		hs.serverFinished = append([]byte(nil), f.VerifyData...)
	} else {
		hs.clientFinished = append([]byte(nil), f.VerifyData...)
	}
	hs.add(m.Raw)
	return nil
}

// setMasterSecret installs the master secret, derives the pending keys
// and reports the secret to the key log.
func (c *Conn) setMasterSecret(ms []byte) error {
	hs := c.hs
	hs.masterSecret = ms
	r := c.rec()
	r.MasterSecret = append([]byte(nil), ms...)
	kb := keyBlock(ms, hs.clientRandom, hs.serverRandom, hs.suite.keyMaterialLen())
	cw, sw, err := newRecordCiphers(hs.suite, kb)
	if err != nil {
		return fail(alertInternalError, "record keys: %v", err)
	}
	if c.isClient {
		hs.pendingWrite, hs.pendingRead = cw, sw
	} else {
		hs.pendingWrite, hs.pendingRead = sw, cw
	}
	if c.cfg.KeyLog != nil {
		c.cfg.KeyLog(append([]byte(nil), hs.clientRandom[:]...), append([]byte(nil), ms...))
	}
	return nil
}

// complete ends the handshake in progress successfully.
func (c *Conn) complete() {
	hs := c.hs
	r := c.rec()
	r.Kind = KindFull
	if hs.resumed {
		r.Kind = KindAbbreviated
	}
	c.clientVerify, c.serverVerify = hs.clientFinished, hs.serverFinished
	c.active = activeSession{suite: hs.suite, masterSecret: hs.masterSecret, clientRandom: hs.clientRandom, serverRandom: hs.serverRandom}
	c.established = true
	if c.isClient {
		s := &ClientSession{ID: cloneBytes(hs.serverSessionID), MasterSecret: cloneBytes(hs.masterSecret), CipherSuite: hs.suite.id, EMS: hs.ems}
		switch {
		case hs.newTicket != nil:
			s.Ticket = hs.newTicket
		case hs.resumed && hs.offered == offerTicket:
			s.Ticket = cloneBytes(c.cfg.Session.Ticket)
		}
		c.session = s
	} else if !hs.resumed && c.cfg.SessionCache != nil && len(hs.sessionID) > 0 {
		c.cfg.SessionCache.put(hs.sessionID, cachedSession{masterSecret: hs.masterSecret, cipherSuite: hs.suite.id, ems: hs.ems, created: c.cfg.Time()})
	}
	c.hs = nil
}

// handleHandshake dispatches one whole handshake message.
func (c *Conn) handleHandshake(m tls.HandshakeMsg) error {
	if m.Type == tls.HandshakeTypeHelloRequest {
		return c.handleHelloRequest(m)
	}
	if c.isClient {
		return c.clientHandshake(m)
	}
	return c.serverHandshake(m)
}

// handleHelloRequest: a client renegotiates when it can, declines with a
// no_renegotiation warning when it cannot, and ignores the request in the
// middle of a handshake (RFC 5246 section 7.4.1.1).
func (c *Conn) handleHelloRequest(m tls.HandshakeMsg) error {
	if !c.isClient {
		return fail(alertUnexpectedMessage, "HelloRequest sent to a server")
	}
	if err := (tls.HelloRequest{}).Unmarshal(m.Body); err != nil {
		return fail(alertDecodeError, "%v", err)
	}
	if c.hs != nil || !c.established {
		return nil
	}
	if !c.secureRenegotiation {
		return c.writeRecord(tls.ContentAlert, tls.Alert{Level: tls.AlertLevelWarning, Description: tls.AlertNoRenegotiation}.Marshal())
	}
	return c.sendClientHello(true)
}

func (c *Conn) unexpected(m tls.HandshakeMsg) error {
	return fail(alertUnexpectedMessage, "%s out of order", m.Type)
}

// newHandshake starts the record and state of a handshake.
func (c *Conn) newHandshake(reneg bool) *handshakeState {
	c.records = append(c.records, HandshakeRecord{Kind: KindIncomplete, Renegotiation: reneg, ClientCertificate: ClientCertNotRequested})
	c.hs = &handshakeState{record: len(c.records) - 1, reneg: reneg}
	return c.hs
}

func (c *Conn) readRandom(b []byte) error {
	_, err := io.ReadFull(c.cfg.Rand, b)
	return err
}
