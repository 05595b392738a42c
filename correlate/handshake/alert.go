package handshake

import (
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// alert notes an alert record: readable while the sender is in clear (or
// once decrypted), encrypted otherwise. A fatal alert ends the handshake
// in progress; alerts outside a handshake (usually close_notify) are kept
// as the connection's close alert.
func (o *Observer) alert(dir Dir, frag []byte, encrypted bool, at Ref) {
	a, ok := tlsd.ParseAlert(frag)
	al := &Alert{Dir: dir, At: at}
	if !ok || encrypted {
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
