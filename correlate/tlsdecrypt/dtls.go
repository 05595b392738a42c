package tlsdecrypt

import (
	"fmt"

	"github.com/sessionscope/sscope/dissect/tls"
)

// dtlsRecord handles a DTLS record: epoch 0 is plaintext, every later
// epoch has the keys of the ChangeCipherSpec that opened it, and the
// sequence number is the record's own, so records may come in any order
// or twice.
func (d *Decrypter) dtlsRecord(dir Dir, rec tls.Record) Result {
	if rec.Type.IsDTLS13Ciphertext() || rec.Type == tls.ContentTLS12CID {
		return Result{Type: rec.Type, Protected: true, Err: &Error{Reason: Unsupported, Detail: "DTLS 1.3 and connection-ID records are not decrypted"}}
	}
	if rec.Epoch == 0 {
		if rec.Type == tls.ContentApplicationData {
			return Result{Type: rec.Type, Protected: true, Err: errNoHandshake}
		}
		d.content(dir, rec.Type, rec.Fragment, 0)
		return Result{Type: rec.Type, Plaintext: rec.Fragment}
	}
	if d.unsupported != nil {
		return Result{Type: rec.Type, Protected: true, Err: d.unsupported}
	}
	ds := &d.dirs[dir]
	ek := ds.epoch(rec.Epoch)
	if ek == nil {
		return Result{Type: rec.Type, Protected: true, Err: &Error{Reason: NoHandshake, Detail: fmt.Sprintf("no ChangeCipherSpec seen for epoch %d", rec.Epoch)}}
	}
	if ek.cipher == nil {
		return Result{Type: rec.Type, Protected: true, Err: ek.err}
	}
	ek.cipher.SetSequence(uint64(rec.Epoch)<<48 | rec.Seq&(1<<48-1))
	typ, p, err := ek.cipher.Open(rec.Type, rec.Version, rec.Fragment)
	if err != nil {
		return Result{Type: rec.Type, Protected: true, Err: ek.owner.openError(err)}
	}
	d.content(dir, typ, p, rec.Epoch)
	return Result{Type: typ, Plaintext: p, Protected: true}
}

// epoch returns the keys of an epoch, or nil.
func (ds *direction) epoch(e uint16) *epochKeys {
	for i := range ds.epochs {
		if ds.epochs[i].epoch == e {
			return &ds.epochs[i]
		}
	}
	return nil
}

// addEpoch installs the keys of a new epoch; a retransmitted
// ChangeCipherSpec of a known epoch changes nothing. The oldest epoch is
// forgotten beyond maxEpochs.
func (ds *direction) addEpoch(k epochKeys) {
	if ds.epoch(k.epoch) != nil {
		return
	}
	if len(ds.epochs) >= maxEpochs {
		ds.epochs = append(ds.epochs[:0], ds.epochs[1:]...)
	}
	ds.epochs = append(ds.epochs, k)
}
