package handshake

import (
	"encoding/hex"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/dissect"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// Dir and Ref are the shared vocabulary of package flow.
type (
	Dir = flow.Dir
	Ref = flow.Ref
)

// Directions.
const (
	ClientToServer = flow.ClientToServer
	ServerToClient = flow.ServerToClient
)

// EventSink receives timeline events as the observer decodes them.
type EventSink interface {
	Event(dir Dir, at Ref, layer, event, detail string)
}

// Options shape an Observer.
type Options struct {
	DTLS bool
	// PACInTicket: the SessionTicket extension carries an EAP-FAST
	// PAC-Opaque rather than an RFC 5077 ticket.
	PACInTicket bool
	// Layer names the timeline layer of events ("tls" or "dtls").
	Layer string
	Sink  EventSink
	// Registry records session IDs servers assigned, shared by every
	// observer of an analysis so that a later offer can be recognised.
	Registry *Registry
	// Server names the server endpoint in the registry ("ip:port").
	Server string
}

// maxPending caps the bytes kept for one incomplete record.
const maxPending = 1<<14 + 2048 + 13

// direction is the state of one direction of a connection.
type direction struct {
	pending   []byte
	pendRef   Ref
	encrypted bool // a ChangeCipherSpec was sent: later handshake records are encrypted
	reasm     tlsd.HandshakeReassembler
	dead      bool // records can no longer be found (gap, garbage)
	records   uint64
	appBytes  uint64
	appRecs   uint64
	encHS     int // encrypted handshake records since the last CCS
	skip      int // bytes of an application-data record still to skip
}

// Observer follows one TLS/DTLS connection.
type Observer struct {
	opt         Options
	dirs        [2]direction
	cur         *Handshake
	done        []*Handshake
	notTLS      bool
	tls13       bool
	established bool
	problems    []error
	closeAlert  *Alert
	// sslv2Client: the client sent an SSLv2-format ClientHello; sslv2: the
	// server answered in SSL 2.0 too, and the connection stays SSL 2.0.
	sslv2Client, sslv2 bool
}

// New returns an Observer.
func New(o Options) *Observer {
	if o.Layer == "" {
		o.Layer = "tls"
		if o.DTLS {
			o.Layer = "dtls"
		}
	}
	ob := &Observer{opt: o}
	for i := range ob.dirs {
		ob.dirs[i].reasm.DTLS = o.DTLS
		ob.dirs[i].reasm.Max = dissect.MaxTLSHandshakeMessage
	}
	return ob
}

// NotTLS reports whether the bytes seen so far are not TLS at all.
func (o *Observer) NotTLS() bool { return o.notTLS }

// Established reports whether a handshake completed.
func (o *Observer) Established() bool { return o.established }

// Problems lists decoding problems met (malformed records and messages).
func (o *Observer) Problems() []error { return o.problems }

// AppData returns application data bytes and records per direction.
func (o *Observer) AppData(d Dir) (bytes, records uint64) {
	return o.dirs[d].appBytes, o.dirs[d].appRecs
}

// Records returns how many records were parsed in a direction.
func (o *Observer) Records(d Dir) uint64 { return o.dirs[d].records }

func (o *Observer) event(dir Dir, at Ref, ev, detail string) {
	if o.opt.Sink != nil {
		o.opt.Sink.Event(dir, at, o.opt.Layer, ev, detail)
	}
}

func (o *Observer) problem(err error) {
	if len(o.problems) < 64 {
		o.problems = append(o.problems, err)
	}
}

// Feed hands over bytes of one direction in order. at(end) gives where the
// byte at offset end-1 of data arrived; records are attributed to the frame
// that completed them. A trailing partial record is kept for the next call;
// the body of an application-data record is skipped without being kept.
func (o *Observer) Feed(dir Dir, data []byte, at func(end int) Ref) {
	d := &o.dirs[dir]
	if d.dead || o.notTLS || len(data) == 0 {
		return
	}
	if o.opt.DTLS {
		o.feedDatagram(dir, data, at(len(data)))
		return
	}
	if d.skip > 0 {
		if d.skip >= len(data) {
			d.skip -= len(data)
			return
		}
		data = data[d.skip:]
		shift := d.skip
		d.skip = 0
		inner := at
		at = func(end int) Ref { return inner(end + shift) }
	}
	// Join with a pending partial record if there is one.
	base := 0 // how many bytes of buf come from pending
	buf := data
	if len(d.pending) > 0 {
		base = len(d.pending)
		buf = append(d.pending, data...)
	}
	off := 0
	for off < len(buf) {
		if o.sslv2 || (dir == ServerToClient && d.records == 0 && o.sslv2Client && buf[off]&0x80 != 0) {
			n, ok := o.sslv2Record(dir, buf[off:], at(clampEnd(off-base+2, len(data))))
			if !ok {
				break
			}
			off += n
			d.records++
			continue
		}
		if d.records == 0 && dir == ClientToServer && buf[off]&0x80 != 0 && o.cur == nil {
			// SSLv2-compatible ClientHello: two-byte header with the high bit set.
			if n, ok := o.sslv2Hello(buf[off:], at(clampEnd(off+2-base, len(data)))); ok {
				off += n
				d.records++
				continue
			}
		}
		if len(buf)-off >= 5 && d.records > 0 && buf[off] == 23 && buf[off+1] == 3 {
			// Application data: count it and skip its body.
			n := 5 + int(buf[off+3])<<8 + int(buf[off+4])
			d.records++
			if o.opt.Registry != nil {
				o.opt.Registry.records++
			}
			if !o.appDataLen(dir, n-5, at(clampEnd(off+5-base, len(data)))) {
				d.appRecs++
				d.appBytes += uint64(n - 5)
			}
			if n > len(buf)-off {
				d.skip = n - (len(buf) - off)
				off = len(buf)
				break
			}
			off += n
			continue
		}
		rec, n, err := tlsd.ParseRecord(buf[off:], false)
		if err != nil {
			if dissect.KindOf(err) == dissect.Truncated && n == 0 {
				if d.records == 0 && len(buf)-off >= 3 && !plausibleRecordStart(buf[off:]) {
					o.markNotTLS()
					return
				}
				break
			}
			if d.records == 0 {
				o.markNotTLS()
				return
			}
			o.problem(err)
			o.desync(dir, at(len(data)), err.Error())
			return
		}
		if d.records == 0 && !plausibleRecordStart(buf[off:]) {
			o.markNotTLS()
			return
		}
		o.record(dir, rec, at(clampEnd(off+n-base, len(data))))
		d.records++
		off += n
		if o.notTLS || d.dead {
			return
		}
	}
	d.pending = append(d.pending[:0], buf[off:]...)
	if len(d.pending) > maxPending {
		o.desync(dir, at(len(data)), "incomplete record longer than TLS allows")
	}
}

func clampEnd(end, n int) int {
	if end < 1 {
		return 1
	}
	if end > n {
		return n
	}
	return end
}

func plausibleRecordStart(b []byte) bool {
	if len(b) < 3 {
		return true
	}
	if b[0] < 20 || b[0] > 25 {
		return false
	}
	return b[1] == 3 && b[2] <= 4
}

func (o *Observer) markNotTLS() {
	if o.cur == nil && len(o.done) == 0 {
		o.notTLS = true
		return
	}
	// Garbage after a real handshake: stop reading, say so.
	for i := range o.dirs {
		o.dirs[i].dead = true
	}
}

func (o *Observer) desync(dir Dir, at Ref, why string) {
	d := &o.dirs[dir]
	d.dead = true
	d.pending = nil
	o.event(dir, at, "record boundaries lost", why+"; the rest of this direction is not decoded")
	if o.cur != nil {
		o.cur.lostSync = true
	}
}

// Gap tells the observer that n bytes of a direction are missing (capture
// loss). Bytes lost inside the body of an application-data record being
// skipped cost nothing; otherwise record boundaries cannot be found after
// a gap, and that direction stops.
func (o *Observer) Gap(dir Dir, n int, at Ref) {
	d := &o.dirs[dir]
	if d.dead || o.notTLS {
		return
	}
	if len(d.pending) == 0 && d.skip >= n {
		d.skip -= n
		return
	}
	o.desync(dir, at, "capture lost "+itoa(n)+" bytes")
}

func (o *Observer) feedDatagram(dir Dir, data []byte, at Ref) {
	d := &o.dirs[dir]
	off := 0
	for off < len(data) {
		rec, n, err := tlsd.ParseRecord(data[off:], true)
		if err != nil {
			if d.records == 0 && o.cur == nil {
				o.markNotTLS()
				return
			}
			o.problem(err)
			o.event(dir, at, "malformed DTLS record", err.Error())
			return
		}
		o.record(dir, rec, at)
		d.records++
		off += n
	}
}

func hexs(b []byte) string { return hex.EncodeToString(b) }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
