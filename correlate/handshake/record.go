package handshake

import (
	"fmt"

	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// record handles one parsed record.
func (o *Observer) record(dir Dir, rec tlsd.Record, at Ref) {
	if o.opt.Registry != nil {
		o.opt.Registry.records++
	}
	o.content(dir, rec.Type, rec.Fragment, !o.dirs[dir].encrypted, at)
}

// content handles the content of one record; readable is false for the
// content of a protected record that was not decrypted.
func (o *Observer) content(dir Dir, typ tlsd.ContentType, frag []byte, readable bool, at Ref) {
	d := &o.dirs[dir]
	switch typ {
	case tlsd.ContentChangeCipherSpec:
		o.changeCipherSpec(dir, at)
	case tlsd.ContentHandshake:
		if !readable {
			o.encryptedHandshake(dir, at)
			return
		}
		if err := d.reasm.Write(frag); err != nil {
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
		o.alert(dir, frag, !readable, at)
	case tlsd.ContentApplicationData:
		if !o.appDataLen(dir, len(frag), at) {
			d.appRecs++
			d.appBytes += uint64(len(frag))
		}
	case tlsd.ContentHeartbeat:
		o.event(dir, at, "Heartbeat", fmt.Sprintf("%d bytes", len(frag)))
	default:
		o.event(dir, at, "record of type "+typ.String(), fmt.Sprintf("%d bytes", len(frag)))
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
