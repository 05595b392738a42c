package radiusconv

import (
	"net/netip"
	"sort"
	"time"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/handshake"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect/radius"
)

// Options configure a Tracker.
type Options struct {
	// Emit receives every session as it closes.
	Emit func(*report.Session)
	// NewID returns a fresh session ID for a kind.
	NewID func(kind string) string
	// Registry is shared with every TLS observer of the analysis.
	Registry *handshake.Registry
	// ShowSecrets writes secrets instead of "<redacted>".
	ShowSecrets bool
	// Decrypt is the key material for the TLS tunnels of EAP methods;
	// nil (or empty) leaves them encrypted.
	Decrypt *Decryption
	// ResponseTimeout: a request without response after this long is
	// unanswered (capture time). Default 30 s.
	ResponseTimeout time.Duration
	// Idle: a conversation without packets for this long is closed as
	// abandoned. Default 2 minutes.
	Idle time.Duration
	// Linger: how long a session stays after its final answer to collect
	// late retransmissions and repeated answers. Default 10 s.
	Linger time.Duration
	// Problem reports something that could not be decoded.
	Problem func(at flow.Ref, layer, kind, detail string)
}

// Stats count RADIUS and EAP packets.
type Stats struct {
	RADIUS uint64
	EAP    uint64
}

// Tracker follows RADIUS traffic.
type Tracker struct {
	opt Options
	txs map[txKey]*transaction
	// byState finds the conversation a State value was handed out by.
	byState map[string]*conversation
	// byStation finds the open conversation of a station (NAS address and
	// Calling-Station-Id or User-Name) for requests without State.
	byStation map[string]*conversation
	open      map[*conversation]struct{}
	exchanges map[string]*exchange // accounting sessions and open exchanges
	openEx    map[*exchange]struct{}
	// lingering holds sessions closed by their final answer, oldest
	// first, until Linger passes (or MaxLingering is exceeded).
	lingering []lingerer
	pkt       radius.Packet
	eapBuf    []byte
	det       detail
	names     eapNames
	stats     Stats
	now       time.Time
	lastSweep time.Time
}

// New returns a Tracker.
func New(o Options) *Tracker {
	if o.ResponseTimeout == 0 {
		o.ResponseTimeout = 30 * time.Second
	}
	if o.Idle == 0 {
		o.Idle = 2 * time.Minute
	}
	if o.Linger == 0 {
		o.Linger = 10 * time.Second
	}
	return &Tracker{
		opt:       o,
		txs:       make(map[txKey]*transaction),
		byState:   make(map[string]*conversation),
		byStation: make(map[string]*conversation),
		open:      make(map[*conversation]struct{}),
		exchanges: make(map[string]*exchange),
		openEx:    make(map[*exchange]struct{}),
		names:     make(eapNames),
	}
}

// Stats returns counters.
func (t *Tracker) Stats() Stats { return t.stats }

// Open is the number of sessions in progress (or lingering).
func (t *Tracker) Open() int { return len(t.open) + len(t.openEx) + len(t.lingering) }

// Packet handles one RADIUS packet (a UDP payload) from src to dst. It
// reports false when the payload is not RADIUS.
func (t *Tracker) Packet(src, dst netip.AddrPort, payload []byte, at flow.Ref) bool {
	t.sweep(at.Time)
	p := &t.pkt
	if err := p.DecodeFromBytes(payload); err != nil {
		if len(p.Raw) == 0 && p.Length == 0 {
			t.problem(at, "radius", err)
			return false
		}
		// Attributes before the problem are usable.
		t.problem(at, "radius", err)
	}
	t.stats.RADIUS++
	switch {
	case p.Code.IsRequest():
		t.request(src, dst, p, at)
	case p.Code.IsResponse():
		t.response(src, dst, p, at)
	default:
		t.orphan(src, dst, p, at)
	}
	return true
}

func (t *Tracker) problem(at flow.Ref, layer string, err error) {
	if t.opt.Problem != nil {
		t.opt.Problem(at, layer, kindOf(err), err.Error())
	}
}

func (t *Tracker) request(client, server netip.AddrPort, p *radius.Packet, at flow.Ref) {
	k := txKey{client: client, server: server, id: p.Identifier}
	if tx, ok := t.txs[k]; ok && tx.auth == p.Authenticator && tx.code == p.Code && !tx.expired {
		tx.requests++
		tx.last = at
		tx.owner.retransmission(tx, p, at)
		return
	}
	tx := &transaction{key: k, code: p.Code, auth: p.Authenticator, first: at, last: at, requests: 1}
	t.txs[k] = tx
	if p.Has(radius.AttrEAPMessage) && p.Code == radius.CodeAccessRequest {
		c := t.conversationFor(client, server, p, at)
		tx.owner = c
		c.request(tx, p, at)
		return
	}
	ex := t.exchangeFor(client, server, p, at)
	tx.owner = ex
	ex.request(tx, p, at)
}

func (t *Tracker) response(server, client netip.AddrPort, p *radius.Packet, at flow.Ref) {
	k := txKey{client: client, server: server, id: p.Identifier}
	tx, ok := t.txs[k]
	if !ok || !p.Code.ResponseTo(tx.code) {
		t.orphan(server, client, p, at)
		return
	}
	dup := tx.answered
	if !dup {
		tx.answered = true
		tx.respCode = p.Code
		tx.respAt = at
	} else {
		tx.dupResp++
	}
	tx.owner.response(tx, p, at, dup)
}

// orphan handles a response whose request was not captured (or a packet of
// an unknown code): it still belongs somewhere.
func (t *Tracker) orphan(server, client netip.AddrPort, p *radius.Packet, at flow.Ref) {
	k := txKey{client: client, server: server, id: p.Identifier}
	tx := &transaction{key: k, code: 0, first: at, last: at, answered: true, respCode: p.Code, respAt: at}
	if p.Has(radius.AttrEAPMessage) || p.Code == radius.CodeAccessChallenge {
		var c *conversation
		if st, ok := p.State(); ok {
			c = t.byState[string(st)]
		}
		if c == nil {
			c = t.newConversation(client, server, p, at)
			c.startedEarly = true
		}
		tx.owner = c
		c.orphanResponse(tx, p, at)
		return
	}
	ex := t.newExchange(client, server, p, at, "")
	tx.owner = ex
	ex.orphanResponse(tx, p, at)
}

// sweep expires unanswered requests and idle sessions, at most once per
// second of capture time.
func (t *Tracker) sweep(now time.Time) {
	if now.After(t.now) {
		t.now = now
	}
	if t.now.Sub(t.lastSweep) < time.Second {
		return
	}
	t.lastSweep = t.now
	for k, tx := range t.txs {
		age := t.now.Sub(tx.last.Time)
		if !tx.answered && !tx.expired && age > t.opt.ResponseTimeout {
			tx.expired = true
			tx.owner.unanswered(tx)
		}
		// Kept long enough to recognise a late retransmission of the
		// request (or a duplicate answer), then forgotten.
		if tx.answered && t.now.Sub(tx.respAt.Time) > t.opt.Linger || tx.expired && age > 2*t.opt.ResponseTimeout {
			delete(t.txs, k)
		}
	}
	for c := range t.open {
		if t.now.Sub(c.lastAt.Time) > t.opt.Idle {
			c.close(closeIdle)
		}
	}
	for ex := range t.openEx {
		if t.now.Sub(ex.lastAt.Time) > ex.idle(t.opt.Idle) {
			ex.close(closeIdle)
		}
	}
	t.emitExpiredLingering()
}

// Tick tells the tracker the time when no packet does (a live capture on
// a quiet link): requests time out and idle conversations close as if a
// packet had arrived at now.
func (t *Tracker) Tick(now time.Time) { t.sweep(now) }

// Flush closes everything still open: the capture ended.
func (t *Tracker) Flush() {
	for _, tx := range t.txs {
		if !tx.answered && !tx.expired {
			tx.expired = true
			tx.owner.unanswered(tx)
		}
	}
	for c := range t.open {
		c.close(closeCaptureEnd)
	}
	for ex := range t.openEx {
		ex.close(closeCaptureEnd)
	}
	t.emitLingering()
	t.txs = make(map[txKey]*transaction)
}

// Close reasons of a session.
const (
	closeFinal      = "final"
	closeIdle       = "idle"
	closeCaptureEnd = "capture-end"
)

// MaxLingering bounds the sessions kept after their final answer; at very
// high authentication rates the oldest are emitted before Linger passes.
const MaxLingering = 4096

// linger keeps a closed session for late retransmissions.
func (t *Tracker) linger(x lingerer) {
	t.lingering = append(t.lingering, x)
	if len(t.lingering) > MaxLingering {
		t.lingering[0].emit()
		t.lingering[0] = nil
		t.lingering = t.lingering[1:]
	}
}

// emitExpiredLingering emits the lingering sessions whose time is up.
func (t *Tracker) emitExpiredLingering() {
	n := 0
	for _, x := range t.lingering {
		if t.now.Sub(x.last().Time) <= t.opt.Linger {
			break
		}
		x.emit()
		n++
	}
	if n > 0 {
		clear(t.lingering[:n])
		t.lingering = t.lingering[n:]
	}
}

// emitLingering emits every lingering session, in the order they started.
func (t *Tracker) emitLingering() {
	xs := t.lingering
	t.lingering = nil
	sort.SliceStable(xs, func(i, j int) bool { return xs[i].first().Before(xs[j].first()) })
	for _, x := range xs {
		x.emit()
	}
}

// eapOf joins the EAP-Message attributes of p into a reused buffer, valid
// until the next packet.
func (t *Tracker) eapOf(p *radius.Packet) ([]byte, bool) {
	if !p.Has(radius.AttrEAPMessage) {
		return nil, false
	}
	var err error
	t.eapBuf, err = p.AppendEAPMessage(t.eapBuf[:0])
	if err != nil {
		return nil, false
	}
	return t.eapBuf, true
}
