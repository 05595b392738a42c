package tlsdecrypt

import (
	"errors"

	"github.com/sessionscope/sscope/dissect/tls"
)

// stage is a TLS 1.3 key stage of one direction.
type stage int

// Stages, in the order a direction goes through them. stageEarly is never
// switched to, so as a pending switch it means none.
const (
	stageEarly stage = iota
	stageHandshake
	stageApplication
)

// tls13State holds the traffic keys of a TLS 1.3 connection, from the key
// log's traffic secrets. Each direction moves from the early data keys
// (client only) to the handshake keys and, after its Finished, to the
// application keys, which a KeyUpdate replaces. Should a message that
// switches keys be missed, a record that fails under the current stage is
// tried under the later ones.
type tls13State struct {
	suite uint16
	cr    []byte
	err   *Error // no record can be decrypted
	dirs  [2]struct {
		stages    [3]*tls.RecordCipher
		stage     stage
		appSecret []byte
	}
	after  [2]stage // switch after the current record
	update [2]bool  // KeyUpdate after the current record
}

// startTLS13 sets up the keys of a TLS 1.3 handshake from the key log.
func (d *Decrypter) startTLS13(h *handshake) {
	t := &tls13State{suite: h.hello.CipherSuite, cr: h.clientRandom()}
	d.tls13 = t
	h.transcript, h.transcriptCapped = nil, true // TLS 1.3 keys come from the key log only
	if !h.ch {
		t.err = &Error{Reason: NoHandshake, Detail: "the ClientHello is not in the capture"}
		return
	}
	if _, err := tls.TLS13Hash(t.suite); err != nil {
		t.err = &Error{Reason: Unsupported, ClientRandom: t.cr, Detail: err.Error()}
		return
	}
	var have bool
	var sec struct{ ce, ch, sh, c0, s0 []byte }
	if d.opt.Keys != nil {
		if s, ok := d.opt.Keys.Secrets(h.hello.ClientRandom); ok && s.TLS13() {
			have = true
			sec.ce, sec.ch, sec.sh, sec.c0, sec.s0 = s.ClientEarlyTrafficSecret, s.ClientHandshakeTrafficSecret,
				s.ServerHandshakeTrafficSecret, s.ClientTrafficSecret0, s.ServerTrafficSecret0
		}
	}
	if !have {
		t.err = &Error{Reason: NoKey, ClientRandom: t.cr, Detail: "no TLS 1.3 traffic secrets (CLIENT_HANDSHAKE_TRAFFIC_SECRET ...) in the key log"}
		return
	}
	var badLen bool
	mk := func(secret []byte) *tls.RecordCipher {
		if secret == nil {
			return nil
		}
		c, err := tls.NewTLS13RecordCipher(t.suite, secret)
		if err != nil {
			badLen = true
			return nil
		}
		return c
	}
	c, s := &t.dirs[ClientToServer], &t.dirs[ServerToClient]
	if h.earlyData {
		if h.early.cipher != nil && h.early.suite == t.suite {
			c.stages[stageEarly] = h.early.cipher
		} else if e := mk(sec.ce); e != nil {
			e.SetSequence(h.earlyRecords)
			c.stages[stageEarly] = e
		}
	}
	c.stages[stageHandshake], c.stages[stageApplication], c.appSecret = mk(sec.ch), mk(sec.c0), clone(sec.c0)
	s.stages[stageHandshake], s.stages[stageApplication], s.appSecret = mk(sec.sh), mk(sec.s0), clone(sec.s0)
	c.stage, s.stage = stageHandshake, stageHandshake
	if c.stages[stageEarly] != nil {
		c.stage = stageEarly
	}
	h.keySource = SourceKeyLogTLS13
	if badLen {
		t.err = &Error{Reason: Unsupported, ClientRandom: t.cr, Detail: "a logged traffic secret does not have the length of the hash of " + tls.CipherSuiteName(t.suite)}
	}
}

// record13 handles a record of a TLS 1.3 connection after the
// ServerHello. Only application_data records are protected; the others
// are middlebox-compatibility ChangeCipherSpecs and plaintext alerts.
func (d *Decrypter) record13(dir Dir, rec tls.Record) Result {
	t := d.tls13
	if rec.Type != tls.ContentApplicationData {
		d.content(dir, rec.Type, rec.Fragment, 0)
		return Result{Type: rec.Type, Plaintext: rec.Fragment}
	}
	if t.err != nil {
		return Result{Type: rec.Type, Protected: true, Err: t.err}
	}
	ds := &d.dirs[dir]
	typ, p, err := t.open(dir, rec, ds.gap)
	ds.gap = false
	if err != nil {
		return Result{Type: rec.Type, Protected: true, Err: err}
	}
	if typ == tls.ContentHandshake {
		d.handshakeData(dir, p)
	}
	t.apply(dir)
	return Result{Type: typ, Plaintext: p, Protected: true}
}

// open tries the current stage's keys, then the later stages'.
func (t *tls13State) open(dir Dir, rec tls.Record, gap bool) (tls.ContentType, []byte, *Error) {
	dd := &t.dirs[dir]
	var last error
	for i := dd.stage; i <= stageApplication; i++ {
		c := dd.stages[i]
		if c == nil {
			continue
		}
		seq := c.Sequence()
		typ, p, err := c.Open(rec.Type, rec.Version, rec.Fragment)
		for k := uint64(1); err != nil && gap && k <= MaxSequenceSkip; k++ {
			c.SetSequence(seq + k)
			typ, p, err = c.Open(rec.Type, rec.Version, rec.Fragment)
		}
		if err == nil {
			dd.stage = i
			return typ, p, nil
		}
		c.SetSequence(seq)
		last = err
	}
	if c := dd.stages[dd.stage]; c != nil {
		c.SetSequence(c.Sequence() + 1) // the record is gone either way
	}
	e := &Error{Reason: BadMAC, ClientRandom: t.cr, KeySource: SourceKeyLogTLS13}
	switch {
	case last == nil || dd.stages[dd.stage] == nil:
		e.Reason, e.KeySource = NoKey, ""
		e.Detail = "the key log lacks the " + stageSecretName(dir, dd.stage) + " and the later secrets of this direction"
	case !errors.Is(last, tls.ErrBadRecordMAC):
		e.Reason, e.Detail = Malformed, last.Error()
	}
	return rec.Type, nil, e
}

func stageSecretName(dir Dir, s stage) string {
	side := "CLIENT"
	if dir == ServerToClient {
		side = "SERVER"
	}
	switch s {
	case stageEarly:
		return "CLIENT_EARLY_TRAFFIC_SECRET"
	case stageHandshake:
		return side + "_HANDSHAKE_TRAFFIC_SECRET"
	}
	return side + "_TRAFFIC_SECRET_0"
}

// keyUpdate notes a KeyUpdate: the direction's application keys change
// after the record that carries it.
func (t *tls13State) keyUpdate(dir Dir) { t.update[dir] = true }

// apply makes the key changes the record's messages announced.
func (t *tls13State) apply(dir Dir) {
	dd := &t.dirs[dir]
	if a := t.after[dir]; a != stageEarly {
		dd.stage = max(dd.stage, a)
		t.after[dir] = stageEarly
	}
	if t.update[dir] {
		t.update[dir] = false
		if dd.stage != stageApplication || dd.appSecret == nil {
			return
		}
		next, err := tls.TLS13NextTrafficSecret(t.suite, dd.appSecret)
		if err != nil {
			return
		}
		c, err := tls.NewTLS13RecordCipher(t.suite, next)
		if err != nil {
			return
		}
		dd.stages[stageApplication], dd.appSecret = c, next
	}
}

// earlyData decrypts 0-RTT data sent before the ServerHello. The suite is
// not known yet: the early traffic secret is tried with every TLS 1.3
// suite the client offered, and the AEAD tag tells which is right.
func (d *Decrypter) earlyData(h *handshake, rec tls.Record) Result {
	res := Result{Type: rec.Type, Protected: true}
	if h.early.cipher == nil && h.early.candidates == nil {
		var secret []byte
		if d.opt.Keys != nil {
			if s, ok := d.opt.Keys.Secrets(h.hello.ClientRandom); ok {
				secret = s.ClientEarlyTrafficSecret
			}
		}
		if secret == nil {
			res.Err = &Error{Reason: NoKey, ClientRandom: h.clientRandom(), Detail: "TLS 1.3 early data: no CLIENT_EARLY_TRAFFIC_SECRET in the key log"}
			return res
		}
		for _, id := range h.suites13 {
			if c, err := tls.NewTLS13RecordCipher(id, secret); err == nil {
				h.early.candidates = append(h.early.candidates, earlyCandidate{id, c})
			}
		}
	}
	if h.early.cipher != nil {
		typ, p, err := h.early.cipher.Open(rec.Type, rec.Version, rec.Fragment)
		if err != nil {
			res.Err = h.openError13(err)
			return res
		}
		res.Type, res.Plaintext = typ, p
		return res
	}
	for _, cand := range h.early.candidates {
		typ, p, err := cand.cipher.Open(rec.Type, rec.Version, rec.Fragment)
		if err == nil {
			h.early.cipher, h.early.suite, h.early.candidates = cand.cipher, cand.suite, nil
			res.Type, res.Plaintext = typ, p
			return res
		}
	}
	res.Err = &Error{Reason: BadMAC, ClientRandom: h.clientRandom(), KeySource: SourceKeyLogTLS13, Detail: "early data"}
	return res
}

// openError13 is the *Error of a TLS 1.3 record that did not open.
func (h *handshake) openError13(err error) *Error {
	e := h.openError(err)
	if e.Reason == BadMAC {
		e.KeySource = SourceKeyLogTLS13
	}
	return e
}
