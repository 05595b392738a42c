package radiusconv

import (
	"encoding/hex"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/tlsdecrypt"
	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/eapfast"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// Decryption is the key material the conversations of an analysis share to
// decrypt their TLS tunnels.
type Decryption struct {
	// Keys holds key logs (and the captures' Decryption Secrets Blocks)
	// and RSA private keys.
	Keys *keys.Store
	// Sessions remembers the master secrets of sessions decrypted
	// earlier, for resumed tunnels.
	Sessions *tlsdecrypt.SessionCache
	// PACs identifies PAC-Opaques and gives the PAC-Keys of PAC-based
	// EAP-FAST tunnels.
	PACs *PACBook
}

// ready reports whether there is anything to decrypt with.
func (d *Decryption) ready() bool {
	if d == nil {
		return false
	}
	return d.Keys != nil && (d.Keys.Len() > 0 || d.Keys.RSAKeys() > 0) || d.PACs.Len() > 0 || d.Sessions != nil && d.Sessions.Len() > 0
}

// maxPendingRecord caps the bytes of a TLS record kept across EAP-TLS
// messages (a record never needs more).
const maxPendingRecord = 5 + tlsd.MaxRecordLength

// tunnel decrypts the TLS records of one conversation's EAP-TLS data.
type tunnel struct {
	dec     *tlsdecrypt.Decrypter
	pending [2][]byte
	// off: records of a direction can no longer be found; its bytes go to
	// the observer undecrypted.
	off [2]bool
	// owner is the client random (hex) of the handshake whose keys
	// protect a direction's records, from its ChangeCipherSpec on.
	owner  [2]string
	status map[string]*keyStatus
	// pacSource says where the master secret of a PAC-based handshake
	// came from, by client random.
	pacSource map[[32]byte]string
}

// keyStatus is what became of the records one handshake's keys protect.
type keyStatus struct {
	decrypted, failed uint64
	source            string
	err               *tlsdecrypt.Error
}

func (c *conversation) newTunnel() {
	c.tun = nil
	d := c.t.opt.Decrypt
	if !d.ready() {
		return
	}
	tun := &tunnel{status: make(map[string]*keyStatus), pacSource: make(map[[32]byte]string)}
	var ks tlsdecrypt.Keys
	if d.Keys != nil {
		ks = d.Keys
	}
	tun.dec = tlsdecrypt.New(tlsdecrypt.Options{Keys: ks, Sessions: d.Sessions, MasterSecret: func(h *tlsdecrypt.Hello) []byte {
		if !h.Resumed || len(h.SessionTicket) == 0 {
			return nil
		}
		e, ok := d.PACs.Lookup(h.SessionTicket)
		if !ok || e.Key == nil {
			return nil
		}
		tun.pacSource[h.ClientRandom] = e.Source
		return eapfast.MasterSecretFromPACKey(e.Key, h.ServerRandom, h.ClientRandom)
	}})
	c.tun = tun
}

// feedTLS hands the TLS data of one complete EAP-TLS message to the
// handshake observer, decrypting its records when keys allow, and the
// decrypted application data to phase 2. id is the EAP identifier of the
// message.
func (c *conversation) feedTLS(dir flow.Dir, data []byte, at flow.Ref, id uint8) {
	atf := func(int) flow.Ref { return at }
	tun := c.tun
	if tun == nil || tun.off[dir] {
		c.obs.Feed(dir, data, atf)
		return
	}
	buf := data
	if p := tun.pending[dir]; len(p) > 0 {
		buf = append(p, data...)
	}
	var app []byte
	for len(buf) > 0 {
		rec, n, err := tlsd.ParseRecord(buf, false)
		if err != nil {
			if dissect.KindOf(err) == dissect.Truncated && len(buf) <= maxPendingRecord {
				break
			}
			// Not records (SSL 2.0, garbage): the observer judges the rest.
			tun.off[dir] = true
			c.obs.Feed(dir, buf, atf)
			buf = nil
			break
		}
		raw := buf[:n]
		buf = buf[n:]
		res := tun.dec.Record(dir, rec)
		if !res.Protected {
			c.obs.Feed(dir, raw, atf)
			if rec.Type == tlsd.ContentChangeCipherSpec {
				tun.owner[dir] = c.currentRandom()
			}
			continue
		}
		st := tun.statusOf(c, dir, res.Err)
		if res.Err != nil {
			st.failed++
			if st.err == nil {
				st.err, _ = res.Err.(*tlsdecrypt.Error)
			}
			c.obs.Feed(dir, raw, atf)
			continue
		}
		st.decrypted++
		if st.source == "" {
			st.source = tun.source(c)
		}
		c.obs.Decrypted(dir, res.Type, res.Plaintext, at)
		switch res.Type {
		case tlsd.ContentApplicationData:
			app = append(app, res.Plaintext...)
		case tlsd.ContentChangeCipherSpec:
			tun.owner[dir] = c.currentRandom()
		}
	}
	tun.pending[dir] = append(tun.pending[dir][:0], buf...)
	if c.obsMethod == eap.TypeFAST {
		c.fastPhase1(dir) // the tunnel's steps before its phase 2
	}
	if len(app) > 0 {
		c.decrypted = true
		c.phase2(dir, app, at, id)
	}
}

// currentRandom is the client random (hex) of the observer's current
// handshake, "" when its ClientHello was not read.
func (c *conversation) currentRandom() string {
	h := c.obs.Current()
	if h == nil || h.ClientHello == nil {
		return ""
	}
	return hex.EncodeToString(h.ClientHello.Random[:])
}

// statusOf finds the status of the handshake a protected record belongs to:
// the one the error names, or the owner of the direction's keys.
func (t *tunnel) statusOf(c *conversation, dir flow.Dir, err error) *keyStatus {
	k := t.owner[dir]
	if e, ok := err.(*tlsdecrypt.Error); ok && e.ClientRandom != nil {
		k = hex.EncodeToString(e.ClientRandom)
	}
	if k == "" {
		k = c.currentRandom() // TLS 1.3: no ChangeCipherSpec marks the keys
	}
	st := t.status[k]
	if st == nil {
		st = &keyStatus{}
		if len(t.status) < 64 {
			t.status[k] = st
		}
	}
	return st
}

// source names where the keys of the latest handshake came from.
func (t *tunnel) source(c *conversation) string {
	s := t.dec.Status().KeySource
	if s != tlsdecrypt.SourceCaller {
		return s
	}
	if h := c.obs.Current(); h != nil && h.ClientHello != nil {
		if src, ok := t.pacSource[h.ClientHello.Random]; ok {
			return "PAC-Key (" + src + ")"
		}
	}
	return "PAC-Key"
}

// decryption is the report's decryption object of the handshake with the
// client random cr (hex).
func (t *tunnel) decryption(cr string) *report.Decryption {
	st := t.status[cr]
	if st == nil || cr == "" {
		return &report.Decryption{Status: report.DecryptNothing}
	}
	d := &report.Decryption{Decrypted: st.decrypted, Failed: st.failed, KeySource: report.Str(st.source)}
	switch {
	case st.err == nil && st.decrypted > 0:
		d.Status = report.DecryptOK
	case st.err == nil:
		d.Status = report.DecryptNothing
	default:
		d.Detail = st.err.Error()
		switch st.err.Reason {
		case tlsdecrypt.NoKey:
			d.Status = report.DecryptNoKey
		case tlsdecrypt.BadMAC:
			d.Status = report.DecryptBadMAC
			d.KeySource = report.Str(st.err.KeySource)
		case tlsdecrypt.Unsupported:
			d.Status = report.DecryptUnsupported
		case tlsdecrypt.NoHandshake:
			d.Status = report.DecryptNoHandshake
		default:
			d.Status = report.DecryptMalformed
		}
	}
	return d
}
