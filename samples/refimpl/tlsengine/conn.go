package tlsengine

import (
	"errors"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/tls"
)

// versionTLS12 is the only protocol version the engine speaks.
const versionTLS12 = tls.VersionTLS12

// Caps on what a Conn holds for its peer.
const (
	// MaxHandshakeMessage caps one handshake message.
	MaxHandshakeMessage = 1 << 17
	// MaxPendingApplicationData caps decrypted application data not yet
	// taken with ReadApplicationData.
	MaxPendingApplicationData = 16 << 20
)

// ErrNotReady is returned by Renegotiate when no established connection
// can renegotiate (handshake in progress, none completed, or secure
// renegotiation not negotiated).
var ErrNotReady = errors.New("tlsengine: connection cannot renegotiate now")

// errMissingConfig is returned when Config lacks Rand or Time.
var errMissingConfig = errors.New("tlsengine: Config.Rand and Config.Time are required")

// Conn is one TLS 1.2 connection, client or server, without I/O: Feed it
// the peer's record bytes and send what it returns. A Conn is not safe for
// concurrent use.
type Conn struct {
	cfg      *Config
	isClient bool

	in  []byte // start of a record not yet whole
	out []byte // records produced by the current call

	reasm                      tls.HandshakeReassembler
	readCipher, writeCipher    *recordCipher
	recordVersion              tls.Version
	hs                         *handshakeState
	records                    []HandshakeRecord
	established                bool // a handshake has completed
	secureRenegotiation        bool // RFC 5746 negotiated in the first handshake
	clientVerify, serverVerify []byte
	active                     activeSession
	helloRequested             bool // server: HelloRequest sent, no ClientHello yet
	session                    *ClientSession

	appData    []byte
	err        error
	peerClosed bool
}

// activeSession is the last completed handshake: the keys in force.
type activeSession struct {
	suite        *suite
	masterSecret []byte
	clientRandom [32]byte
	serverRandom [32]byte
}

// Client returns a client Conn; Start sends its ClientHello.
func Client(cfg *Config) *Conn { return newConn(cfg, true) }

// Server returns a server Conn waiting for a ClientHello.
func Server(cfg *Config) *Conn { return newConn(cfg, false) }

func newConn(cfg *Config, client bool) *Conn {
	c := &Conn{cfg: cfg, isClient: client, recordVersion: versionTLS12}
	c.reasm.Max = MaxHandshakeMessage
	if client {
		c.recordVersion = tls.VersionTLS10 // until the ServerHello, as OpenSSL does
	}
	return c
}

func (c *Conn) configOK() bool { return c.cfg != nil && c.cfg.Rand != nil && c.cfg.Time != nil }

// takeOut returns and clears the records produced so far.
func (c *Conn) takeOut() []byte {
	out := c.out
	c.out = nil
	return out
}

// Start begins the handshake: for a client, the ClientHello record; for a
// server, nothing (it waits for the ClientHello).
func (c *Conn) Start() ([]byte, error) {
	if c.err != nil {
		return nil, c.err
	}
	if !c.configOK() {
		c.err = errMissingConfig
		return nil, c.err
	}
	if !c.isClient || c.hs != nil || c.established {
		return nil, nil
	}
	if err := c.sendClientHello(false); err != nil {
		c.abort(err)
		return c.takeOut(), c.err
	}
	return c.takeOut(), nil
}

// Feed consumes record bytes from the peer (any amount: partial records
// are kept until whole) and returns the records to send in reply. After a
// fatal problem it returns the alert record to send (if this endpoint
// sends one) and the error, which Failed then reports; later calls return
// nothing and the same error.
func (c *Conn) Feed(in []byte) ([]byte, error) {
	if c.err != nil {
		return nil, c.err
	}
	if !c.configOK() {
		c.err = errMissingConfig
		return nil, c.err
	}
	data := in
	if len(c.in) > 0 {
		data = append(c.in, in...)
	}
	for len(data) > 0 {
		if err := checkRecordHeader(data); err != nil {
			c.abort(err)
			return c.takeOut(), c.err
		}
		rec, n, err := tls.ParseRecord(data, false)
		if err != nil {
			if dissect.KindOf(err) == dissect.Truncated {
				break
			}
			c.abort(fail(alertDecodeError, "record: %v", err))
			return c.takeOut(), c.err
		}
		data = data[n:]
		if err := c.handleRecord(rec); err != nil {
			c.abort(err)
			return c.takeOut(), c.err
		}
		if c.err != nil {
			return c.takeOut(), c.err
		}
	}
	c.in = append([]byte(nil), data...)
	return c.takeOut(), nil
}

// checkRecordHeader refuses what cannot start a TLS 1.x record, with the
// alert RFC 5246 asks for, as soon as the header is there.
func checkRecordHeader(b []byte) error {
	if len(b) >= 1 {
		switch tls.ContentType(b[0]) {
		case tls.ContentChangeCipherSpec, tls.ContentAlert, tls.ContentHandshake, tls.ContentApplicationData:
		default:
			return fail(alertUnexpectedMessage, "record content type %d", b[0])
		}
	}
	if len(b) >= 3 && b[1] != 3 {
		return fail(tls.AlertProtocolVersion, "record version 0x%02x%02x", b[1], b[2])
	}
	if len(b) >= 5 && int(b[3])<<8|int(b[4]) > tls.MaxRecordLength {
		return fail(alertRecordOverflow, "record of %d bytes", int(b[3])<<8|int(b[4]))
	}
	return nil
}

// handleRecord decrypts one record and acts on its content.
func (c *Conn) handleRecord(rec tls.Record) error {
	frag := rec.Fragment
	if c.readCipher != nil {
		_, p, err := c.readCipher.Open(rec.Type, rec.Version, frag)
		if err != nil {
			return fail(alertBadRecordMAC, "%s record does not authenticate", rec.Type)
		}
		frag = p
	} else {
		frag = append([]byte(nil), frag...)
	}
	if len(frag) > maxPlaintext {
		return fail(alertRecordOverflow, "plaintext of %d bytes", len(frag))
	}
	switch rec.Type {
	case tls.ContentHandshake:
		if len(frag) == 0 {
			return fail(alertUnexpectedMessage, "empty handshake record")
		}
		if err := c.reasm.Write(frag); err != nil {
			return fail(alertDecodeError, "handshake message: %v", err)
		}
		for {
			m, ok := c.reasm.Next()
			if !ok {
				return nil
			}
			if err := c.handleHandshake(m); err != nil {
				return err
			}
			if c.err != nil {
				return nil
			}
		}
	case tls.ContentChangeCipherSpec:
		return c.handleChangeCipherSpec(frag)
	case tls.ContentAlert:
		return c.handleAlert(frag)
	case tls.ContentApplicationData:
		if !c.established || c.readCipher == nil {
			return fail(alertUnexpectedMessage, "application data before the handshake completed")
		}
		if len(c.appData)+len(frag) > MaxPendingApplicationData {
			return fail(alertInternalError, "more than %d bytes of application data unread", MaxPendingApplicationData)
		}
		c.appData = append(c.appData, frag...)
		return nil
	}
	return fail(alertUnexpectedMessage, "%s record", rec.Type)
}

func (c *Conn) handleChangeCipherSpec(frag []byte) error {
	if !tls.IsChangeCipherSpec(frag) {
		return fail(alertDecodeError, "ChangeCipherSpec %x", frag)
	}
	hs := c.hs
	if hs != nil && hs.resumeOnCCS && (hs.step == stWaitCertificate || hs.step == stWaitServerKeyExchange) {
		if err := c.clientResume(); err != nil {
			return err
		}
		hs.step = stWaitChangeCipherSpec
	}
	if hs == nil || hs.step != stWaitChangeCipherSpec {
		return fail(alertUnexpectedMessage, "ChangeCipherSpec out of order")
	}
	if c.reasm.Pending() != 0 {
		return fail(alertUnexpectedMessage, "ChangeCipherSpec inside a handshake message")
	}
	c.readCipher = hs.pendingRead
	hs.step = stWaitFinished
	return nil
}

func (c *Conn) handleAlert(frag []byte) error {
	a, ok := tls.ParseAlert(frag)
	if !ok {
		return fail(alertDecodeError, "alert record %x", frag)
	}
	if a.Level == tls.AlertLevelFatal {
		e := &AlertError{Alert: a}
		c.err = e
		c.noteAlert(a, false)
		return nil
	}
	switch a.Description {
	case tls.AlertCloseNotify:
		c.peerClosed = true
	case tls.AlertNoRenegotiation:
		c.helloRequested = false
	}
	return nil
}

// abort ends the connection for err: a fatal alert of ours is queued for
// sending; any other error becomes internal_error.
func (c *Conn) abort(err error) {
	var ae *AlertError
	if !errors.As(err, &ae) {
		ae = fail(alertInternalError, "%v", err)
	}
	if c.err != nil {
		return
	}
	c.err = ae
	if ae.Sent {
		c.writeRecordOrDrop(tls.ContentAlert, ae.Alert.Marshal())
	}
	c.noteAlert(ae.Alert, ae.Sent)
}

// noteAlert records the first fatal alert in the handshake it belongs to:
// the one in progress (which thereby failed), else the last one, else a
// new record of a handshake that never started.
func (c *Conn) noteAlert(a tls.Alert, sent bool) {
	var r *HandshakeRecord
	switch {
	case c.hs != nil:
		r = &c.records[c.hs.record]
	case len(c.records) > 0:
		r = &c.records[len(c.records)-1]
	default:
		c.records = append(c.records, HandshakeRecord{Kind: KindFailed, ClientCertificate: ClientCertNotRequested})
		r = &c.records[0]
	}
	if r.Alert == nil {
		r.Alert, r.AlertSentByUs = &a, sent
	}
	if !r.Complete() {
		r.Kind = KindFailed
	}
}

// writeRecord protects payload (split into records of at most 2^14 bytes)
// and appends the records to the output.
func (c *Conn) writeRecord(typ tls.ContentType, payload []byte) error {
	for first := true; first || len(payload) > 0; first = false {
		n := min(len(payload), maxPlaintext)
		frag := payload[:n]
		payload = payload[n:]
		if c.writeCipher != nil {
			var err error
			if frag, err = c.writeCipher.Seal(typ, c.recordVersion, frag, c.cfg.Rand); err != nil {
				return err
			}
		}
		c.out = append(c.out, tls.Record{Type: typ, Version: c.recordVersion, Fragment: frag}.Marshal(false)...)
	}
	return nil
}

// writeRecordOrDrop writes a record when the random source allows.
func (c *Conn) writeRecordOrDrop(typ tls.ContentType, payload []byte) {
	if err := c.writeRecord(typ, payload); err != nil && c.err == nil {
		c.err = err
	}
}

// HandshakeComplete reports whether the latest handshake finished (both
// Finished messages verified).
func (c *Conn) HandshakeComplete() bool {
	return c.hs == nil && len(c.records) > 0 && c.records[len(c.records)-1].Complete()
}

// Failed returns the fatal alert (an *AlertError) or configuration error
// that ended the connection, or nil.
func (c *Conn) Failed() error { return c.err }

// PeerClosed reports whether the peer sent close_notify.
func (c *Conn) PeerClosed() bool { return c.peerClosed }

// ReadApplicationData returns and clears the application data decrypted so
// far.
func (c *Conn) ReadApplicationData() []byte {
	d := c.appData
	c.appData = nil
	return d
}

// WriteApplicationData encrypts p into application data records (at most
// 2^14 bytes each). It returns nil before the first handshake completes or
// after a fatal error.
func (c *Conn) WriteApplicationData(p []byte) []byte {
	if c.err != nil || !c.established || c.writeCipher == nil || len(p) == 0 {
		return nil
	}
	if err := c.writeRecord(tls.ContentApplicationData, p); err != nil {
		c.abort(err)
	}
	return c.takeOut()
}

// CloseNotify returns a close_notify alert record.
func (c *Conn) CloseNotify() []byte {
	if c.err != nil || !c.configOK() {
		return nil
	}
	c.writeRecordOrDrop(tls.ContentAlert, tls.Alert{Level: tls.AlertLevelWarning, Description: tls.AlertCloseNotify}.Marshal())
	return c.takeOut()
}

// SendAlert ends the connection with a fatal alert of description desc
// (for an endpoint that refuses its peer, e.g. unknown_ca) and returns the
// alert record.
func (c *Conn) SendAlert(desc uint8) []byte {
	if c.err != nil || !c.configOK() {
		return nil
	}
	c.abort(fail(desc, "alert requested"))
	return c.takeOut()
}

// Renegotiate starts a renegotiation inside the established connection:
// a server sends HelloRequest, a client a new ClientHello, both encrypted
// under the current keys. It needs secure renegotiation (RFC 5746).
func (c *Conn) Renegotiate() ([]byte, error) {
	if c.err != nil {
		return nil, c.err
	}
	if !c.established || c.hs != nil || !c.secureRenegotiation || c.helloRequested {
		return nil, ErrNotReady
	}
	var err error
	if c.isClient {
		err = c.sendClientHello(true)
	} else {
		c.helloRequested = true
		err = c.writeRecord(tls.ContentHandshake, tls.MarshalHandshake(tls.HandshakeTypeHelloRequest, tls.HelloRequest{}.Marshal()))
	}
	if err != nil {
		c.abort(err)
		return c.takeOut(), c.err
	}
	return c.takeOut(), nil
}

// Handshakes returns a copy of the record of every handshake so far, in
// order.
func (c *Conn) Handshakes() []HandshakeRecord {
	out := make([]HandshakeRecord, len(c.records))
	for i := range c.records {
		out[i] = c.records[i].clone()
	}
	return out
}

// Current returns a copy of the latest handshake's record, or nil before
// any.
func (c *Conn) Current() *HandshakeRecord {
	if len(c.records) == 0 {
		return nil
	}
	r := c.records[len(c.records)-1].clone()
	return &r
}

// Session returns what a client keeps to resume the session of its latest
// completed handshake, or nil.
func (c *Conn) Session() *ClientSession {
	if c.session == nil {
		return nil
	}
	s := *c.session
	s.ID, s.Ticket, s.MasterSecret = cloneBytes(s.ID), cloneBytes(s.Ticket), cloneBytes(s.MasterSecret)
	return &s
}

// ExportKeyingMaterial returns PRF(master_secret, label, seed, n) for the
// last completed handshake (RFC 5705 without a context; the EAP-TLS and
// PEAP MSK use label "client EAP encryption" and seed client_random ||
// server_random), or nil before one completes.
func (c *Conn) ExportKeyingMaterial(label string, seed []byte, n int) []byte {
	if c.active.masterSecret == nil || n < 0 {
		return nil
	}
	return prf(c.active.masterSecret, label, seed, n)
}

// KeyBlockExtra returns the n key block bytes that follow the keys the
// suite uses in TLS 1.2 (MAC keys, encryption keys, and for GCM the
// 4-byte implicit IVs), of the last completed handshake: EAP-FAST's
// session_key_seed (RFC 4851 section 5.1). OpenSSL-based peers (hostapd,
// wpa_supplicant, FreeRADIUS) still count two 16-byte CBC IVs as TLS 1.0
// did; to agree with them a caller skips 32 more bytes for CBC suites. It
// returns nil before a handshake completes.
func (c *Conn) KeyBlockExtra(n int) []byte {
	if c.active.masterSecret == nil || n < 0 {
		return nil
	}
	used := c.active.suite.keyMaterialLen()
	kb := keyBlock(c.active.masterSecret, c.active.clientRandom, c.active.serverRandom, used+n)
	return kb[used:]
}

// Randoms returns the client and server randoms of the last completed
// handshake.
func (c *Conn) Randoms() (client, server [32]byte) {
	return c.active.clientRandom, c.active.serverRandom
}
