package handshake

import (
	"github.com/sessionscope/sscope/dissect"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

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
