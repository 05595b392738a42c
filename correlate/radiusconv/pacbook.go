package radiusconv

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/sessionscope/sscope/dissect/eapfast"
)

// Where a PAC of the book came from (Decryption.key_source names them).
const (
	PACFromFile    = "PAC file"
	PACFromCapture = "PAC provisioned earlier in the capture"
)

// MaxPACs caps the PACs a PACBook keeps (PAC files and provisionings seen
// in the capture); past it, new ones are not added.
const MaxPACs = 1 << 16

// PACEntry is what the book knows of one PAC.
type PACEntry struct {
	Type eapfast.PACType
	// Key is the PAC-Key (32 octets); nil when unknown.
	Key []byte
	// Source says where the PAC came from: PACFromFile or PACFromCapture.
	Source string
}

// PACBook identifies PAC-Opaques: those of the user's PAC files, and those
// a server provisioned in a tunnel decrypted earlier in the capture. It
// gives the type of the PAC a ClientHello or a PAC TLV presents, and the
// PAC-Key from which the master secret of a PAC-based tunnel derives. An
// analysis shares one book between its conversations; it is not safe for
// concurrent use.
type PACBook struct {
	m map[[32]byte]PACEntry
}

// NewPACBook returns a book holding the entries of PAC files.
func NewPACBook(files []eapfast.PACFileEntry) *PACBook {
	b := &PACBook{m: make(map[[32]byte]PACEntry)}
	for _, e := range files {
		t := e.Type
		if t == 0 {
			t = eapfast.PACTypeTunnel
		}
		var key []byte
		if len(e.Key) == eapfast.PACKeyLen {
			key = e.Key
		}
		b.Add(e.Opaque, PACEntry{Type: t, Key: key, Source: PACFromFile})
	}
	return b
}

// Len is the number of PACs in the book.
func (b *PACBook) Len() int {
	if b == nil {
		return 0
	}
	return len(b.m)
}

// Add records a PAC by its PAC-Opaque. A PAC already known keeps what was
// learnt first, except that a missing key is filled in.
func (b *PACBook) Add(opaque []byte, e PACEntry) {
	if b == nil || len(opaque) == 0 {
		return
	}
	k := sha256.Sum256(opaque)
	if old, ok := b.m[k]; ok {
		if old.Key == nil && e.Key != nil {
			old.Key = append([]byte(nil), e.Key...)
			b.m[k] = old
		}
		return
	}
	if len(b.m) >= MaxPACs {
		return
	}
	if e.Key != nil {
		e.Key = append([]byte(nil), e.Key...)
	}
	b.m[k] = e
}

// Lookup finds the PAC of a PAC-Opaque, given bare or as the ClientHello's
// SessionTicket extension carries it (with its attribute header).
func (b *PACBook) Lookup(opaque []byte) (PACEntry, bool) {
	if b == nil || len(opaque) == 0 {
		return PACEntry{}, false
	}
	if e, ok := b.m[sha256.Sum256(opaque)]; ok {
		return e, true
	}
	if bare, ok := eapfast.PACOpaqueFromSessionTicket(opaque); ok {
		e, found := b.m[sha256.Sum256(bare)]
		return e, found
	}
	return PACEntry{}, false
}

// opaqueDigest names a PAC-Opaque in reports: the first 8 bytes of its
// SHA-256, in hex.
func opaqueDigest(opaque []byte) string {
	d := sha256.Sum256(opaque)
	return hex.EncodeToString(d[:8])
}
