package handshake

import (
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// Decrypted hands over one protected record of a direction that a
// decrypter opened: typ is its content type (for TLS 1.3 the inner type)
// and plaintext its content. Handshake messages of a renegotiation inside
// the connection are then read like those of a handshake in clear, so the
// renegotiation is judged in full (kind, client certificate) instead of
// from record types alone. Records that were not decrypted go to Feed as
// usual; the caller hands over each record whole, in order, through one or
// the other.
func (o *Observer) Decrypted(dir Dir, typ tlsd.ContentType, plaintext []byte, at Ref) {
	d := &o.dirs[dir]
	if d.dead || o.notTLS || dir > ServerToClient {
		return
	}
	d.records++
	if o.opt.Registry != nil {
		o.opt.Registry.records++
	}
	o.content(dir, typ, plaintext, true, at)
}

// Current returns the handshake in progress, or else the last one that
// ended; nil before any.
func (o *Observer) Current() *Handshake {
	if o.cur != nil {
		return o.cur
	}
	if n := len(o.done); n > 0 {
		return o.done[n-1]
	}
	return nil
}

// helloRequest notes a HelloRequest: the server asks the client to start a
// new handshake. It belongs to no handshake (RFC 5246 section 7.4.1.1).
func (o *Observer) helloRequest(dir Dir, at Ref) {
	if h := o.cur; h != nil {
		h.addMessage(dir, "HelloRequest", at)
	}
	o.event(dir, at, "HelloRequest", "the server asks for a new handshake (renegotiation)")
}
