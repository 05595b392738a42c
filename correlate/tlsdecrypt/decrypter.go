package tlsdecrypt

import (
	"errors"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/tls"
)

// Dir is the direction of a record; the vocabulary of package flow.
type Dir = flow.Dir

// Directions.
const (
	ClientToServer = flow.ClientToServer
	ServerToClient = flow.ServerToClient
)

// Caps on what a Decrypter keeps.
const (
	// MaxTranscript caps the handshake messages kept for the extended
	// master secret's session hash (ClientHello to ClientKeyExchange,
	// certificate chains included).
	MaxTranscript = 1 << 20
	// MaxSequenceSkip is how many lost records a Decrypter looks past
	// after a Gap, for ciphers that allow it (AEAD, CBC with explicit
	// IVs, NULL, TLS 1.3).
	MaxSequenceSkip = 64
	// maxEpochs caps the DTLS epochs whose keys are kept per direction
	// (late retransmissions of an older epoch still decrypt).
	maxEpochs = 4
)

// Keys is where a Decrypter looks for secrets; *keys.Store is one.
type Keys interface {
	// Secrets returns the secrets logged for the handshake whose
	// ClientHello carried clientRandom.
	Secrets(clientRandom [32]byte) (keys.Secrets, bool)
	// PreMasterFromRSA returns the premaster secret of an RSA
	// ClientKeyExchange from its encrypted form.
	PreMasterFromRSA(encrypted []byte) ([]byte, bool)
}

var _ Keys = (*keys.Store)(nil)

// Hello is what is known of a TLS 1.0-1.2 handshake when its master
// secret is looked for: the hellos and whether a key exchange was seen.
type Hello struct {
	Version                          tls.Version
	CipherSuite                      uint16
	ClientRandom, ServerRandom       [32]byte
	ClientSessionID, ServerSessionID []byte
	// SessionTicket is the ClientHello's session_ticket extension data
	// as sent: an RFC 5077 ticket, or for EAP-FAST the PAC-Opaque
	// attribute (type 2 and length, then the PAC-Opaque a PAC file holds).
	SessionTicket []byte
	// Resumed: no ClientKeyExchange before the first ChangeCipherSpec, an
	// abbreviated handshake.
	Resumed bool
	// Renegotiation: the handshake ran inside an established connection.
	Renegotiation bool
}

// MasterSecretFunc gives the master secret of a handshake the caller can
// derive itself: EAP-FAST (eapfast.MasterSecretFromPACKey of the PAC-Key
// whose PAC-Opaque is the SessionTicket), AnyConnect DTLS (the
// X-DTLS-Master-Secret of the CSTP CONNECT). It returns nil when it
// cannot. The Hello must not be kept.
type MasterSecretFunc func(h *Hello) []byte

// Options shape a Decrypter.
type Options struct {
	// DTLS: records are DTLS records (epoch and sequence number in each).
	DTLS bool
	// Keys is where secrets are looked for (nil: only the other sources).
	Keys Keys
	// Sessions remembers master secrets across the connections of an
	// analysis, for abbreviated handshakes (nil: none).
	Sessions *SessionCache
	// MasterSecret is asked after the key log and the RSA keys (nil:
	// not asked).
	MasterSecret MasterSecretFunc
}

// Result is what became of one record.
type Result struct {
	// Type is the content type of Plaintext: the record's type, or for
	// TLS 1.3 protected records the inner content type.
	Type tls.ContentType
	// Plaintext is the record's content: the fragment itself for records
	// that were not protected (it then aliases the record given), the
	// decryption otherwise, nil when Err is set.
	Plaintext []byte
	// Protected: the record was encrypted.
	Protected bool
	// Err is an *Error when a protected record was not decrypted.
	Err error
}

// Status sums up a Decrypter.
type Status struct {
	Version     tls.Version
	CipherSuite uint16
	// KeySource says where the keys of the latest handshake came from
	// ("" when none were found).
	KeySource string
	// Decrypted and Failed count protected records.
	Decrypted, Failed uint64
}

// Decrypter decrypts the records of one connection. It is not safe for
// concurrent use.
type Decrypter struct {
	opt  Options
	dirs [2]direction
	hs   *handshake // the latest handshake
	// established: a handshake completed; a ClientHello now is a
	// renegotiation.
	established bool
	tls13       *tls13State // set by a TLS 1.3 ServerHello
	unsupported *Error      // the connection cannot be decrypted at all
	decrypted   uint64
	failed      uint64
}

// direction is the record state of one direction.
type direction struct {
	reasm tls.HandshakeReassembler

	// TLS 1.0-1.2: protected after a ChangeCipherSpec; cipher (nil when
	// no key was found, keyErr says why) belongs to handshake owner.
	protected bool
	cipher    *tls.RecordCipher
	owner     *handshake
	keyErr    *Error

	// DTLS: keys by epoch.
	epochs []epochKeys

	// gap: records may have been lost; the next one that fails is
	// looked for at later sequence numbers.
	gap bool
}

// epochKeys are the keys of one DTLS epoch of one direction.
type epochKeys struct {
	epoch  uint16
	cipher *tls.RecordCipher
	owner  *handshake
	err    *Error
}

// New returns a Decrypter for one connection.
func New(o Options) *Decrypter {
	d := &Decrypter{opt: o}
	for i := range d.dirs {
		d.dirs[i].reasm.DTLS = o.DTLS
		d.dirs[i].reasm.Max = dissect.MaxTLSHandshakeMessage
	}
	return d
}

// Status returns the negotiated version and suite, where the keys came
// from and the record counts.
func (d *Decrypter) Status() Status {
	s := Status{Decrypted: d.decrypted, Failed: d.failed}
	if h := d.hs; h != nil {
		s.Version, s.CipherSuite, s.KeySource = h.hello.Version, h.hello.CipherSuite, h.keySource
	}
	return s
}

// MasterSecret returns the hello of the latest TLS 1.0-1.2 handshake and
// its master secret, once the Decrypter found it (key log, premaster
// secret, RSA key, the caller's MasterSecretFunc or a resumed session):
// for keys derived from the handshake beyond its records, such as
// EAP-FAST's session_key_seed.
func (d *Decrypter) MasterSecret() (Hello, []byte, bool) {
	h := d.hs
	if h == nil || len(h.ms) == 0 {
		return Hello{}, nil, false
	}
	return h.hello, h.ms, true
}

// Gap tells the Decrypter that bytes of a direction were lost: a
// handshake message in reassembly is dropped, and if the next record does
// not decrypt it is tried at up to MaxSequenceSkip later sequence numbers.
// (RC4 and TLS 1.0 CBC carry state from record to record: past a loss
// they cannot decrypt.)
func (d *Decrypter) Gap(dir Dir) {
	if dir > ServerToClient {
		return
	}
	d.dirs[dir].gap = true
	d.dirs[dir].reasm.Reset()
}

// Record takes the next record of a direction and returns its plaintext,
// or why it was not decrypted.
func (d *Decrypter) Record(dir Dir, rec tls.Record) Result {
	if dir > ServerToClient {
		return Result{Type: rec.Type, Err: &Error{Reason: Malformed, Detail: "no such direction"}}
	}
	var res Result
	switch {
	case d.opt.DTLS:
		res = d.dtlsRecord(dir, rec)
	case d.tls13 != nil:
		res = d.record13(dir, rec)
	default:
		res = d.record12(dir, rec)
	}
	if res.Protected {
		if res.Err == nil {
			d.decrypted++
		} else {
			d.failed++
		}
	}
	return res
}

// record12 handles a TLS 1.0-1.2 record.
func (d *Decrypter) record12(dir Dir, rec tls.Record) Result {
	ds := &d.dirs[dir]
	if d.unsupported != nil && (ds.protected || rec.Type == tls.ContentApplicationData) {
		return Result{Type: rec.Type, Protected: true, Err: d.unsupported}
	}
	if !ds.protected {
		if rec.Type == tls.ContentApplicationData {
			if h := d.hs; h != nil && dir == ClientToServer && h.earlyData && !h.sh {
				h.earlyRecords++
				return d.earlyData(h, rec)
			}
			return Result{Type: rec.Type, Protected: true, Err: errNoHandshake}
		}
		d.content(dir, rec.Type, rec.Fragment, 0)
		return Result{Type: rec.Type, Plaintext: rec.Fragment}
	}
	if ds.cipher == nil {
		return Result{Type: rec.Type, Protected: true, Err: ds.keyErr}
	}
	typ, p, err := d.open(ds, ds.cipher, ds.owner, rec)
	if err != nil {
		return Result{Type: rec.Type, Protected: true, Err: err}
	}
	d.content(dir, typ, p, 0)
	return Result{Type: typ, Plaintext: p, Protected: true}
}

var errNoHandshake = &Error{Reason: NoHandshake, Detail: "no ChangeCipherSpec or TLS 1.3 ServerHello seen before it"}

// open decrypts a record with c, the keys of handshake h, looking past
// lost records after a Gap.
func (d *Decrypter) open(ds *direction, c *tls.RecordCipher, h *handshake, rec tls.Record) (tls.ContentType, []byte, *Error) {
	seq := c.Sequence()
	typ, p, err := c.Open(rec.Type, rec.Version, rec.Fragment)
	if err != nil && ds.gap && h != nil && h.seekable {
		for k := uint64(1); k <= MaxSequenceSkip; k++ {
			c.SetSequence(seq + k)
			if typ, p, err = c.Open(rec.Type, rec.Version, rec.Fragment); err == nil {
				break
			}
		}
		if err != nil {
			c.SetSequence(seq + 1)
		}
	}
	ds.gap = false // looked past the loss once; a key that does not fit is not retried
	if err != nil {
		return rec.Type, nil, h.openError(err)
	}
	return typ, p, nil
}

// openError turns an Open error into an *Error for handshake h.
func (h *handshake) openError(err error) *Error {
	e := &Error{Reason: BadMAC}
	if h != nil {
		e.ClientRandom, e.KeySource = h.clientRandom(), h.keySource
	}
	if !errors.Is(err, tls.ErrBadRecordMAC) {
		e.Reason, e.KeySource, e.Detail = Malformed, "", err.Error()
	}
	return e
}

// content acts on a record's plaintext: ChangeCipherSpec switches keys,
// handshake messages are read.
func (d *Decrypter) content(dir Dir, typ tls.ContentType, p []byte, epoch uint16) {
	switch typ {
	case tls.ContentChangeCipherSpec:
		d.changeCipherSpec(dir, epoch)
	case tls.ContentHandshake:
		d.handshakeData(dir, p)
	}
}

// handshakeData reassembles handshake messages and reads each.
func (d *Decrypter) handshakeData(dir Dir, p []byte) {
	ds := &d.dirs[dir]
	if err := ds.reasm.Write(p); err != nil && dissect.KindOf(err) != dissect.CapExceeded {
		// Out of step: start over with the next record.
		ds.reasm.Reset()
		return
	}
	for {
		m, ok := ds.reasm.Next()
		if !ok {
			return
		}
		d.message(dir, m)
	}
}

// changeCipherSpec switches a direction to the keys of the latest
// handshake, deriving them if this is the first switch.
func (d *Decrypter) changeCipherSpec(dir Dir, epoch uint16) {
	ds := &d.dirs[dir]
	h := d.hs
	var c *tls.RecordCipher
	var kerr *Error
	switch {
	case d.tls13 != nil, h != nil && !h.sh && h.offers13:
		return // TLS 1.3 middlebox compatibility: no change
	case h == nil || !h.sh:
		kerr = errNoHandshake
	default:
		d.prepareKeys(h)
		if h.installed[dir] {
			if d.opt.DTLS {
				return // a retransmitted ChangeCipherSpec
			}
			kerr = &Error{Reason: Malformed, ClientRandom: h.clientRandom(), Detail: "second ChangeCipherSpec for one handshake"}
		} else {
			h.installed[dir] = true
			c, kerr = h.ciphers[dir], h.keyErr
		}
	}
	if d.opt.DTLS {
		ds.addEpoch(epochKeys{epoch: epoch + 1, cipher: c, owner: h, err: kerr})
		return
	}
	ds.protected, ds.cipher, ds.owner, ds.keyErr = true, c, h, kerr
}
