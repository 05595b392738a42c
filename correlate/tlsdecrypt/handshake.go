package tlsdecrypt

import (
	"github.com/sessionscope/sscope/dissect/tls"
)

// handshake is one handshake of the connection, as far as keys go.
type handshake struct {
	hello   Hello
	ch, sh  bool // ClientHello and ServerHello seen
	hrr     bool // TLS 1.3 HelloRetryRequest: another ServerHello follows
	ems     bool
	etm     bool
	compr   uint8
	kx      tls.KeyExchange
	cke     []byte // ClientKeyExchange body
	ticket  []byte // NewSessionTicket ticket (TLS 1.2)
	offered struct{ ems, etm bool }

	earlyData    bool // TLS 1.3 client offered early data
	earlyRecords uint64
	offers13     bool     // the client offered TLS 1.3
	suites13     []uint16 // the TLS 1.3 suites it offered
	early        struct {
		cipher     *tls.RecordCipher // the early data keys, once a record opened
		suite      uint16
		candidates []earlyCandidate
	}

	transcript       []byte // ClientHello..ClientKeyExchange, for the session hash
	transcriptCapped bool
	sessionHash      []byte

	prepared   bool
	ms         []byte
	keySource  string
	keyErr     *Error
	ciphers    [2]*tls.RecordCipher
	installed  [2]bool
	seekable   bool // the ciphers allow looking past lost records
	finished   [2]bool
	remembered struct{ id, ticket bool }
}

func (h *handshake) clientRandom() []byte {
	if h == nil || !h.ch {
		return nil
	}
	return append([]byte(nil), h.hello.ClientRandom[:]...)
}

func (h *handshake) addTranscript(raw []byte) {
	if h.sessionHash != nil || h.transcriptCapped {
		return
	}
	if len(h.transcript)+len(raw) > MaxTranscript {
		h.transcript, h.transcriptCapped = nil, true
		return
	}
	h.transcript = append(h.transcript, raw...)
}

// SSLv2ClientHello tells the Decrypter about a ClientHello in the SSL 2.0
// format (tls.ParseSSLv2ClientHello), which no TLS record carries: its
// challenge is the client random of the handshake that follows.
func (d *Decrypter) SSLv2ClientHello(ch *tls.ClientHello) {
	if ch == nil {
		return
	}
	h := &handshake{ch: true, hello: Hello{ClientRandom: ch.Random, ClientSessionID: clone(ch.SessionID), Renegotiation: d.established}}
	h.addTranscript(ch.Raw)
	d.hs = h
}

// message reads one handshake message of a direction.
func (d *Decrypter) message(dir Dir, m tls.HandshakeMsg) {
	h := d.hs
	switch m.Type {
	case tls.HandshakeTypeClientHello:
		if dir == ClientToServer {
			d.clientHello(m)
		}
		return
	case tls.HandshakeTypeServerHello:
		if dir == ServerToClient {
			d.serverHello(m)
		}
		return
	case tls.HandshakeTypeHelloRequest, tls.HandshakeTypeHelloVerifyRequest:
		return // never in the transcript
	}
	if h == nil {
		return
	}
	switch m.Type {
	case tls.HandshakeTypeClientKeyExchange:
		if dir == ClientToServer && h.cke == nil {
			h.cke = clone(m.Body)
			h.addTranscript(m.Raw)
			if !h.transcriptCapped {
				if ks, err := tls.NewKeySchedule(h.hello.Version, h.hello.CipherSuite); err == nil {
					h.sessionHash = ks.TranscriptHash(h.transcript)
				}
			}
			h.transcript = nil
		}
	case tls.HandshakeTypeNewSessionTicket:
		if dir == ServerToClient && d.tls13 == nil {
			var nst tls.NewSessionTicket
			if nst.Unmarshal(m.Body, false) == nil {
				h.ticket = clone(nst.Ticket)
			}
		}
	case tls.HandshakeTypeFinished:
		d.finished(dir)
	case tls.HandshakeTypeKeyUpdate:
		if d.tls13 != nil {
			d.tls13.keyUpdate(dir)
		}
	case tls.HandshakeTypeEndOfEarlyData:
		if d.tls13 != nil && dir == ClientToServer {
			d.tls13.after[dir] = stageHandshake
		}
	default:
		h.addTranscript(m.Raw)
	}
}

func (d *Decrypter) clientHello(m tls.HandshakeMsg) {
	var ch tls.ClientHello
	ch.Unmarshal(m.Body, d.opt.DTLS) // what could be read is used
	h := &handshake{ch: true}
	h.hello = Hello{
		ClientRandom:    ch.Random,
		ClientSessionID: clone(ch.SessionID),
		SessionTicket:   clone(ch.SessionTicket),
		Renegotiation:   d.established,
	}
	h.offered.ems, h.offered.etm = ch.ExtendedMasterSecret, ch.EncryptThenMAC
	h.earlyData = ch.EarlyData
	for _, v := range ch.SupportedVersions {
		h.offers13 = h.offers13 || v == tls.VersionTLS13
	}
	for _, id := range ch.CipherSuites {
		if info, ok := tls.CipherSuiteInfo(id); ok && info.TLS13 {
			h.suites13 = append(h.suites13, id)
		}
	}
	if prev := d.hs; prev != nil && !prev.sh && prev.hello.ClientRandom == ch.Random {
		// The second ClientHello after a HelloRetryRequest.
		h.earlyRecords, h.early = prev.earlyRecords, prev.early
	}
	h.addTranscript(m.Raw)
	d.hs = h
}

func (d *Decrypter) serverHello(m tls.HandshakeMsg) {
	h := d.hs
	if h == nil || h.sh {
		// No ClientHello seen (or a second ServerHello): the client
		// random is unknown.
		h = &handshake{hello: Hello{Renegotiation: d.established}}
		d.hs = h
	}
	var sh tls.ServerHello
	if err := sh.Unmarshal(m.Body); err != nil && sh.CipherSuite == 0 {
		return
	}
	if sh.HelloRetryRequest {
		h.hrr = true
		return
	}
	h.sh, h.hrr = true, false
	v := sh.NegotiatedVersion()
	h.hello.Version, h.hello.CipherSuite = v, sh.CipherSuite
	h.hello.ServerRandom, h.hello.ServerSessionID = sh.Random, clone(sh.SessionID)
	h.ems, h.etm, h.compr = sh.ExtendedMasterSecret, sh.EncryptThenMAC, sh.CompressionMethod
	if info, ok := tls.CipherSuiteInfo(sh.CipherSuite); ok {
		h.kx = info.KeyExchange
	}
	h.addTranscript(m.Raw)
	switch {
	case v == tls.VersionTLS13 && !d.opt.DTLS:
		d.startTLS13(h)
	case v == tls.VersionDTLS13 || v.IsGREASE() || (v.TLSEquivalent() == tls.VersionTLS13 && v != tls.VersionTLS13):
		d.unsupported = &Error{Reason: Unsupported, ClientRandom: h.clientRandom(), Detail: v.String() + " records are not decrypted"}
	}
}

// finished notes a Finished message: the TLS 1.3 keys change after it;
// in TLS 1.2 the session it completes is remembered for resumption.
func (d *Decrypter) finished(dir Dir) {
	if t := d.tls13; t != nil {
		t.after[dir] = stageApplication
		if dir == ClientToServer {
			d.established = true
		}
		return
	}
	h := d.dirs[dir].owner
	if d.opt.DTLS {
		h = d.hs
	}
	if h == nil {
		return
	}
	h.finished[dir] = true
	d.remember(h)
	if h.finished[ClientToServer] && h.finished[ServerToClient] {
		d.established = true
	}
}

// remember puts the master secret of a handshake whose Finished
// decrypted (so the secret is right) into the session cache, by the
// session ID the server assigned and by the ticket it issued.
func (d *Decrypter) remember(h *handshake) {
	c := d.opt.Sessions
	if c == nil || h.ms == nil {
		return
	}
	if !h.remembered.id && len(h.hello.ServerSessionID) > 0 {
		c.PutSessionID(h.hello.ServerSessionID, h.ms)
		h.remembered.id = true
	}
	if !h.remembered.ticket && len(h.ticket) > 0 {
		c.PutTicket(h.ticket, h.ms)
		h.remembered.ticket = true
	}
}

// earlyCandidate is a TLS 1.3 suite early data may be protected with.
type earlyCandidate struct {
	suite  uint16
	cipher *tls.RecordCipher
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}
