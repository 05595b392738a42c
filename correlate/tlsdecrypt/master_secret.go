package tlsdecrypt

import (
	"bytes"
	"fmt"

	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/dissect/tls"
)

// Master secret sources, as Error.KeySource and Status.KeySource name them.
const (
	SourceKeyLog          = "key log"
	SourceKeyLogPreMaster = "key log premaster"
	SourceRSAKey          = "RSA private key"
	SourceCaller          = "caller"
	SourceSessionID       = "session ID cache"
	SourceTicket          = "session ticket cache"
	SourceKeyLogTLS13     = "key log (TLS 1.3 traffic secrets)"
)

// prepareKeys finds the master secret of a TLS 1.0-1.2 handshake and
// derives its record ciphers, once; keyErr says why there are none.
func (d *Decrypter) prepareKeys(h *handshake) {
	if h.prepared {
		return
	}
	h.prepared = true
	h.hello.Resumed = h.cke == nil
	if h.sessionHash == nil {
		h.transcript, h.transcriptCapped = nil, true // no key exchange follows a ChangeCipherSpec
	}
	unsupported := func(detail string) {
		h.keyErr = &Error{Reason: Unsupported, ClientRandom: h.clientRandom(), Detail: detail}
	}
	if h.compr != 0 {
		unsupported(fmt.Sprintf("records are compressed (method %d)", h.compr))
		return
	}
	ks, err := tls.NewKeySchedule(h.hello.Version, h.hello.CipherSuite)
	if err != nil {
		unsupported(tls.CipherSuiteName(h.hello.CipherSuite) + " at " + h.hello.Version.String())
		return
	}
	spec, err := tls.NewCipherSpec(h.hello.CipherSuite, h.hello.Version)
	if err != nil {
		unsupported(tls.CipherSuiteName(h.hello.CipherSuite) + " at " + h.hello.Version.String())
		return
	}
	spec.EncryptThenMAC = h.etm && spec.Mode == tls.ModeCBC
	ms, src, kerr := d.masterSecret(h, ks)
	if kerr != nil {
		h.keyErr = kerr
		return
	}
	c, s, err := spec.NewCiphers(ks, ms, h.hello.ClientRandom, h.hello.ServerRandom)
	if err != nil {
		h.keyErr = &Error{Reason: Malformed, ClientRandom: h.clientRandom(), Detail: err.Error()}
		return
	}
	h.ms, h.keySource = ms, src
	h.ciphers = [2]*tls.RecordCipher{c, s}
	h.seekable = spec.Mode == tls.ModeAEAD || spec.Mode == tls.ModeNULL || (spec.Mode == tls.ModeCBC && spec.RecordIVLen > 0)
}

// masterSecret looks for the master secret of h: the key log by client
// random, a premaster secret (key log, RSA private key), the caller, and
// for abbreviated handshakes the sessions decrypted earlier.
func (d *Decrypter) masterSecret(h *handshake, ks tls.KeySchedule) ([]byte, string, *Error) {
	cr := h.hello.ClientRandom
	var sec keys.Secrets
	var have bool
	if d.opt.Keys != nil && h.ch {
		sec, have = d.opt.Keys.Secrets(cr)
	}
	if have && len(sec.MasterSecret) == tls.MasterSecretLen {
		return sec.MasterSecret, SourceKeyLog, nil
	}
	derive := func(pms []byte, src string) ([]byte, string, *Error) {
		if !h.ems {
			return ks.MasterSecret(pms, cr, h.hello.ServerRandom), src, nil
		}
		if h.sessionHash == nil {
			return nil, "", &Error{Reason: Unsupported, ClientRandom: h.clientRandom(),
				Detail: "the extended master secret needs the whole handshake, which was not seen or was longer than the cap"}
		}
		return ks.ExtendedMasterSecret(pms, h.sessionHash), src, nil
	}
	if h.cke != nil && h.ch {
		if have && len(sec.PreMasterSecret) > 0 {
			return derive(sec.PreMasterSecret, SourceKeyLogPreMaster)
		}
		if h.kx == tls.KeyExchangeRSA && d.opt.Keys != nil {
			if p, err := tls.ParseClientKeyExchange(h.cke, tls.KeyExchangeRSA, h.hello.Version); err == nil {
				if pms, ok := d.opt.Keys.PreMasterFromRSA(p.EncryptedPreMasterSecret); ok {
					return derive(pms, SourceRSAKey)
				}
			}
		}
	}
	if d.opt.MasterSecret != nil && h.ch {
		hello := h.hello
		if ms := d.opt.MasterSecret(&hello); len(ms) == tls.MasterSecretLen {
			return clone(ms), SourceCaller, nil
		}
	}
	if h.cke == nil && d.opt.Sessions != nil {
		if len(h.hello.ClientSessionID) > 0 && bytes.Equal(h.hello.ClientSessionID, h.hello.ServerSessionID) {
			if ms, ok := d.opt.Sessions.BySessionID(h.hello.ServerSessionID); ok {
				return ms, SourceSessionID, nil
			}
		}
		if ms, ok := d.opt.Sessions.ByTicket(h.hello.SessionTicket); ok {
			return ms, SourceTicket, nil
		}
	}
	e := &Error{Reason: NoKey, ClientRandom: h.clientRandom()}
	switch {
	case !h.ch:
		e.Reason, e.Detail = NoHandshake, "the ClientHello is not in the capture"
	case h.cke == nil:
		e.Detail = "abbreviated handshake: no key log line for it, and the session it resumes was not decrypted earlier in the capture"
	case h.kx == tls.KeyExchangeRSA:
		e.Detail = "no key log line, and no RSA private key opens the ClientKeyExchange"
	default:
		e.Detail = "no key log line (" + h.kx.String() + " key exchange needs the key log)"
	}
	return nil, "", e
}
