package handshake

import (
	"fmt"
	"strings"

	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

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
	case tlsd.HandshakeTypeHelloRequest:
		if dir == ServerToClient {
			o.helloRequest(dir, at)
			return
		}
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
