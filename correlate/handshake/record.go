package handshake

import (
	"fmt"
	"strings"

	"github.com/sessionscope/sscope/dissect"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// record handles one parsed record.
func (o *Observer) record(dir Dir, rec tlsd.Record, at Ref) {
	d := &o.dirs[dir]
	switch rec.Type {
	case tlsd.ContentChangeCipherSpec:
		o.changeCipherSpec(dir, at)
	case tlsd.ContentHandshake:
		if d.encrypted {
			o.encryptedHandshake(dir, at)
			return
		}
		if err := d.reasm.Write(rec.Fragment); err != nil {
			o.problem(err)
			o.event(dir, at, "malformed handshake data", err.Error())
		}
		for {
			msg, ok := d.reasm.Next()
			if !ok {
				break
			}
			o.message(dir, msg, at)
		}
	case tlsd.ContentAlert:
		o.alert(dir, rec.Fragment, at)
	case tlsd.ContentApplicationData:
		if !o.appDataLen(dir, len(rec.Fragment), at) {
			d.appRecs++
			d.appBytes += uint64(len(rec.Fragment))
		}
	case tlsd.ContentHeartbeat:
		o.event(dir, at, "Heartbeat", fmt.Sprintf("%d bytes", len(rec.Fragment)))
	default:
		o.event(dir, at, "record of type "+rec.Type.String(), fmt.Sprintf("%d bytes", len(rec.Fragment)))
	}
}

// hs returns the handshake in progress, starting one if needed.
func (o *Observer) hs(at Ref) *Handshake {
	if o.cur == nil {
		o.cur = &Handshake{First: at, pacInTicket: o.opt.PACInTicket, registryServer: o.opt.Server, reg: o.opt.Registry}
	}
	return o.cur
}

func (o *Observer) changeCipherSpec(dir Dir, at Ref) {
	d := &o.dirs[dir]
	h := o.cur
	if h == nil && o.established {
		h = o.startRenegotiation(at)
	}
	if h == nil {
		h = o.hs(at)
	}
	if h.isTLS13() || (dir == ClientToServer && o.tls13Pending()) {
		// TLS 1.3 middlebox-compatibility CCS: no state change.
		h.addMessage(dir, "ChangeCipherSpec", at)
		o.event(dir, at, "ChangeCipherSpec", "TLS 1.3 middlebox compatibility, no cipher change")
		return
	}
	h.ccs[dir] = true
	h.ccsOrder = append(h.ccsOrder, dir)
	h.addMessage(dir, "ChangeCipherSpec", at)
	d.encrypted = true
	o.event(dir, at, "ChangeCipherSpec", "")
}

// tls13Pending: the client offered TLS 1.3 and no ServerHello decided yet.
func (o *Observer) tls13Pending() bool {
	h := o.cur
	return h != nil && h.ServerHello == nil && h.ClientHello != nil && h.ClientHello.MaxVersion().IsTLS13()
}

func (o *Observer) encryptedHandshake(dir Dir, at Ref) {
	h := o.cur
	if h != nil && h.ccs[dir] && !h.finished[dir] {
		h.finished[dir] = true
		h.addMessage(dir, "Finished", at)
		o.event(dir, at, "Finished", "encrypted")
		o.maybeComplete(dir, at)
		return
	}
	if h == nil && o.established {
		h = o.startRenegotiation(at)
		if dir == ServerToClient {
			h.addMessage(dir, "encrypted handshake (HelloRequest?)", at)
			o.event(dir, at, "encrypted handshake message", "server asks for renegotiation (HelloRequest)")
		} else {
			h.addMessage(dir, "encrypted handshake (ClientHello)", at)
			o.event(dir, at, "encrypted handshake message", "renegotiation: ClientHello under the established keys")
		}
		return
	}
	if h == nil {
		// Encrypted handshake without a visible start (capture began late).
		h = o.hs(at)
	}
	h.addMessage(dir, "encrypted handshake", at)
	o.event(dir, at, "encrypted handshake message", "")
}

func (o *Observer) startRenegotiation(at Ref) *Handshake {
	h := o.hs(at)
	// Under the old keys only record types and their order show: a CCS
	// switches that side to the new keys, and its next handshake record is
	// its Finished.
	h.Renegotiation = true
	h.Encrypted = true
	o.event(ClientToServer, at, "renegotiation", "a new handshake inside the established connection")
	return h
}

func (o *Observer) maybeComplete(dir Dir, at Ref) {
	h := o.cur
	if h == nil || !h.Complete() {
		return
	}
	o.established = true
	kind := "full"
	if h.abbreviated() {
		kind = "abbreviated"
	}
	o.event(dir, at, "handshake complete", kind)
	o.done = append(o.done, h)
	o.cur = nil
}

// message handles one plaintext handshake message.
func (o *Observer) message(dir Dir, msg tlsd.HandshakeMsg, at Ref) {
	name := msg.Type.String()
	// The message aliases the reassembler's buffer, which is reused; what
	// is kept must own its bytes.
	msg.Body = append([]byte(nil), msg.Body...)
	switch msg.Type {
	case tlsd.HandshakeTypeClientHello:
		o.clientHello(msg, at)
		return
	case tlsd.HandshakeTypeServerHello:
		o.serverHello(msg, at)
		return
	}
	h := o.hs(at)
	h.addMessage(dir, name, at)
	detail := ""
	switch msg.Type {
	case tlsd.HandshakeTypeHelloVerifyRequest:
		h.HelloVerify = true
		detail = "DTLS cookie exchange; the client repeats its ClientHello with the cookie"
	case tlsd.HandshakeTypeCertificate:
		var c tlsd.Certificate
		if err := c.Unmarshal(msg.Body, h.isTLS13()); err != nil {
			o.problem(err)
			detail = "malformed: " + err.Error()
			break
		}
		if dir == ServerToClient {
			h.ServerCerts = c.Certificates
		} else {
			h.ClientCerts = c.Certificates
			h.clientCertMsg = true
		}
		detail = describeChain(o.opt.Registry, c.Certificates)
	case tlsd.HandshakeTypeCertificateRequest:
		h.CertRequested = true
		detail = "the server asks for a client certificate"
	case tlsd.HandshakeTypeServerKeyExchange:
		h.ServerKeyExchange = true
	case tlsd.HandshakeTypeServerHelloDone:
		h.ServerHelloDone = true
	case tlsd.HandshakeTypeClientKeyExchange:
		h.ClientKeyExchange = true
	case tlsd.HandshakeTypeNewSessionTicket:
		h.TicketIssued = true
		var t tlsd.NewSessionTicket
		if err := t.Unmarshal(msg.Body, false); err == nil {
			detail = fmt.Sprintf("ticket of %d bytes, lifetime hint %d s", len(t.Ticket), t.LifetimeHint)
		}
	case tlsd.HandshakeTypeFinished:
		// A Finished in clear (NULL cipher): count it.
		h.finished[dir] = true
		o.event(dir, at, name, "")
		o.maybeComplete(dir, at)
		return
	}
	o.event(dir, at, name, detail)
}

func (o *Observer) clientHello(msg tlsd.HandshakeMsg, at Ref) {
	var ch tlsd.ClientHello
	err := ch.Unmarshal(msg.Body, o.opt.DTLS)
	if err != nil {
		o.problem(err)
		o.event(ClientToServer, at, "ClientHello", "malformed: "+err.Error())
		return
	}
	h := o.cur
	switch {
	case h == nil:
	case h.ServerHello == nil && h.ClientHello != nil && o.opt.DTLS:
		// DTLS: the ClientHello repeated (with the cookie).
	case h.HelloRetry:
		// TLS 1.3: the second ClientHello after a HelloRetryRequest.
	case h.ClientHello == nil:
		// Messages before the first ClientHello belong to a handshake whose
		// start was not captured; close it and start anew.
		o.finish(h, false)
		h = nil
	default:
		o.finish(h, false)
		h = nil
	}
	if h == nil {
		o.cur = nil
		if o.established {
			h = o.startRenegotiation(at)
			h.Encrypted = false
		} else {
			h = o.hs(at)
		}
		h.chRef = at
		h.First = at
		h.FirstClientHello = &ch
		if reg := o.opt.Registry; reg != nil && len(ch.SessionID) > 0 {
			if a, ok := reg.Lookup(ch.SessionID); ok {
				h.offerAssigned = &a
			}
		}
	}
	h.ClientHello = &ch
	h.addMessage(ClientToServer, "ClientHello", at)
	o.event(ClientToServer, at, "ClientHello", describeClientHello(&ch, o.opt.PACInTicket))
}

func (o *Observer) serverHello(msg tlsd.HandshakeMsg, at Ref) {
	var sh tlsd.ServerHello
	if err := sh.Unmarshal(msg.Body); err != nil {
		o.problem(err)
		o.event(ServerToClient, at, "ServerHello", "malformed: "+err.Error())
		return
	}
	h := o.hs(at)
	if sh.HelloRetryRequest {
		h.HelloRetry = true
		h.addMessage(ServerToClient, "HelloRetryRequest", at)
		o.event(ServerToClient, at, "HelloRetryRequest", "the server asks the client to retry with another key share")
		return
	}
	h.ServerHello = &sh
	h.shRef = at
	h.addMessage(ServerToClient, "ServerHello", at)
	v := sh.NegotiatedVersion()
	if v.IsTLS13() {
		o.tls13 = true
	}
	status := o.sessionIDStatus(h, &sh)
	if status == "new" && !v.IsTLS13() {
		o.opt.Registry.Assign(sh.SessionID, o.opt.Server, at)
	}
	o.event(ServerToClient, at, "ServerHello", describeServerHello(&sh, status))
}

// sessionIDStatus compares the ServerHello's session ID with the offer.
func (o *Observer) sessionIDStatus(h *Handshake, sh *tlsd.ServerHello) string {
	switch {
	case len(sh.SessionID) == 0:
		return "empty"
	case h.ClientHello != nil && string(h.ClientHello.SessionID) == string(sh.SessionID):
		return "same"
	}
	return "new"
}

func (o *Observer) alert(dir Dir, frag []byte, at Ref) {
	d := &o.dirs[dir]
	a, ok := tlsd.ParseAlert(frag)
	al := &Alert{Dir: dir, At: at}
	if !ok || d.encrypted {
		al.Encrypted = true
		o.event(dir, at, "Alert", "encrypted")
	} else {
		al.Level, al.Description = a.Level, a.Description
		o.event(dir, at, "Alert", tlsd.LevelName(a.Level)+": "+tlsd.DescriptionName(a.Description))
	}
	if h := o.cur; h != nil {
		if h.Alert == nil {
			h.Alert = al
		}
		h.addMessage(dir, "Alert", at)
		if !al.Encrypted && a.Level == 2 {
			o.finish(h, true)
		}
		return
	}
	if o.closeAlert == nil {
		o.closeAlert = al
	}
}

// appDataLen notes an application-data record of length bytes. It reports
// whether the record belongs to a TLS 1.3 handshake (encrypted handshake
// messages travel in application-data records) rather than to the
// application.
func (o *Observer) appDataLen(dir Dir, length int, at Ref) bool {
	h := o.cur
	if h == nil || !o.tls13 || !h.isTLS13() {
		return false
	}
	// TLS 1.3: the handshake after the ServerHello travels in
	// application-data records.
	h.enc13[dir]++
	if dir == ServerToClient {
		if h.enc13[ClientToServer] > 0 {
			h.clientAfterServer = true
		}
		if !h.finished[ServerToClient] {
			h.finished[ServerToClient] = true
			h.addMessage(dir, "encrypted handshake", at)
		}
		if h.clientAfterServer {
			h.finished[ClientToServer] = true
			o.maybeComplete(dir, at)
		}
		return true
	}
	if !h.finished[ServerToClient] {
		// Before the server's flight: 0-RTT early data.
		h.addMessage(dir, "early data", at)
		return false
	}
	if h.enc13[ClientToServer] == 1 {
		h.enc13Len[ClientToServer] = length
		h.addMessage(dir, "encrypted handshake", at)
		if length == 19 {
			// 2 bytes of alert + content type + 16-byte AEAD tag: an
			// encrypted alert, not a Finished.
			h.Alert = &Alert{Dir: dir, At: at, Encrypted: true}
			o.event(dir, at, "Alert", "encrypted (record size of an alert)")
		}
		return true
	}
	if h.Alert == nil {
		h.finished[ClientToServer] = true
		o.maybeComplete(dir, at)
	}
	return false
}

// finish ends the handshake in progress; failed marks a fatal alert.
func (o *Observer) finish(h *Handshake, fatal bool) {
	if h == nil {
		return
	}
	if fatal {
		h.ended = true
	}
	o.done = append(o.done, h)
	if o.cur == h {
		o.cur = nil
	}
}

// Close ends the connection (or EAP conversation): a handshake still in
// progress failed unless captureEnded, in which case it is incomplete.
func (o *Observer) Close(captureEnded bool, at Ref) {
	if h := o.cur; h != nil {
		if !captureEnded {
			h.ended = true
			h.endedAt = at
		}
		if h.isTLS13() && h.finished[ServerToClient] && h.enc13[ClientToServer] == 1 && h.Alert == nil && !captureEnded {
			// One client record after the server's flight, then the end:
			// the client's Finished with nothing after it, or a padded
			// alert. Count it as finished.
			h.finished[ClientToServer] = true
		}
		o.done = append(o.done, h)
		o.cur = nil
	}
}

// Handshakes returns the handshakes seen, in order.
func (o *Observer) Handshakes() []*Handshake { return o.done }

// CloseAlert is the first alert seen outside a handshake (close_notify and
// the like, usually encrypted), or nil.
func (o *Observer) CloseAlert() *Alert { return o.closeAlert }

func (o *Observer) sslv2Hello(b []byte, at Ref) (int, bool) {
	if len(b) < 3 {
		return 0, false
	}
	n := (int(b[0]&0x7f)<<8 | int(b[1])) + 2
	if n > len(b) || b[2] != 1 {
		return 0, false
	}
	ch, err := tlsd.ParseSSLv2ClientHello(b[2:n])
	if err != nil {
		return 0, false
	}
	h := o.hs(at)
	h.chRef = at
	h.ClientHello = ch
	h.FirstClientHello = ch
	o.sslv2Client = true
	h.addMessage(ClientToServer, "ClientHello (SSLv2 format)", at)
	o.event(ClientToServer, at, "ClientHello", "SSLv2-compatible format; "+describeClientHello(ch, false))
	return n, true
}

func describeChain(reg *Registry, certs [][]byte) string {
	if len(certs) == 0 {
		return "empty (no certificate)"
	}
	parts := make([]string, 0, len(certs))
	for i, der := range certs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("… %d more", len(certs)-3))
			break
		}
		s := reg.certSummary(der)
		parts = append(parts, "subject "+s.Subject+" (issuer "+s.Issuer+")")
	}
	return fmt.Sprintf("%d certificate(s): %s", len(certs), strings.Join(parts, "; "))
}

// sslv2Record handles one SSL 2.0 record of a connection whose server
// answers in SSL 2.0. Only the SERVER-HELLO is read; later messages are
// encrypted or of no interest, and mark each side as done.
func (o *Observer) sslv2Record(dir Dir, b []byte, at Ref) (int, bool) {
	rec, n, err := tlsd.ParseSSLv2Record(b)
	if err != nil {
		if dissect.KindOf(err) != dissect.Truncated {
			o.desync(dir, at, err.Error())
		}
		return 0, false
	}
	h := o.cur
	if !o.sslv2 {
		var sh tlsd.SSLv2ServerHelloMsg
		if err := sh.Unmarshal(append([]byte(nil), rec.Message...)); err != nil || h == nil {
			o.desync(dir, at, "not an SSL 2.0 SERVER-HELLO")
			return n, true
		}
		o.sslv2 = true
		h.ServerHello = &tlsd.ServerHello{Version: tlsd.VersionSSL20}
		if sh.SessionIDHit && h.ClientHello != nil {
			h.ServerHello.SessionID = h.ClientHello.SessionID
		}
		h.sslv2Hit = sh.SessionIDHit
		if len(sh.Certificate) > 0 {
			h.ServerCerts = [][]byte{sh.Certificate}
		}
		h.shRef = at
		h.addMessage(dir, "SERVER-HELLO (SSL 2.0)", at)
		detail := "SSL 2.0, new session"
		if sh.SessionIDHit {
			detail = "SSL 2.0, session ID hit (resumed)"
		}
		o.event(dir, at, "ServerHello", detail)
		return n, true
	}
	if h == nil {
		return n, true
	}
	if dir == ClientToServer && !h.finished[dir] {
		h.finished[dir] = true
		h.addMessage(dir, "SSL 2.0 key exchange", at)
	} else if dir == ServerToClient && h.finished[ClientToServer] && !h.finished[dir] {
		h.finished[dir] = true
		h.addMessage(dir, "SSL 2.0 verify (encrypted)", at)
		o.maybeComplete(dir, at)
	}
	return n, true
}
