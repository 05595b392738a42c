package fastpac

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect/eapfast"
)

// opaqueVersion is the first octet of every PAC-Opaque this package seals.
const opaqueVersion = 1

const (
	nonceLen    = 12
	keyIDLen    = 4
	opaqueHead  = 1 + keyIDLen + nonceLen
	maxIdentity = 253 // an EAP identity in one RADIUS attribute
)

// MasterKey is one EAP-FAST server master key. A server keeps its old
// keys to open PACs issued under them (as the vendor's servers keep every
// key they generated) and seals new PACs with the newest.
type MasterKey struct {
	ID  uint32
	Key [32]byte // AES-256
}

// NewMasterKey draws a master key from r.
func NewMasterKey(id uint32, r io.Reader) (MasterKey, error) {
	k := MasterKey{ID: id}
	if _, err := io.ReadFull(r, k.Key[:]); err != nil {
		return MasterKey{}, err
	}
	return k, nil
}

// Contents is what a PAC-Opaque carries: enough for the server to rebuild
// the PAC's state without keeping any.
type Contents struct {
	Type     eapfast.PACType
	Key      []byte // the PAC-Key (32 octets)
	Identity string // the identity the PAC was issued to (the PAC's I-ID)
	Expiry   time.Time
}

// Expired reports whether the PAC has expired at now.
func (c Contents) Expired(now time.Time) bool { return !now.Before(c.Expiry) }

// Errors of Open.
var (
	ErrOpaqueMalformed  = errors.New("fastpac: PAC-Opaque malformed")
	ErrOpaqueUnknownKey = errors.New("fastpac: PAC-Opaque sealed under an unknown master key")
	ErrOpaqueForged     = errors.New("fastpac: PAC-Opaque does not authenticate")
)

// Sealer seals and opens PAC-Opaques of one authority.
type Sealer struct {
	AID  []byte      // the authority's A-ID, bound into every PAC-Opaque
	Keys []MasterKey // newest first; Seal uses Keys[0]
	Rand io.Reader   // nonces
}

// Seal encrypts c under the newest master key. The layout is: version
// (1), master key ID (4), nonce (12), then AES-256-GCM of PAC-Type (2),
// expiry in Unix seconds (8), PAC-Key (1-octet length), identity (1-octet
// length); the associated data is the first 5 octets and the A-ID.
func (s *Sealer) Seal(c Contents) ([]byte, error) {
	if len(s.Keys) == 0 {
		return nil, errors.New("fastpac: no master key")
	}
	if len(c.Identity) > maxIdentity || len(c.Key) > 255 {
		return nil, fmt.Errorf("fastpac: identity of %d or PAC-Key of %d bytes too long", len(c.Identity), len(c.Key))
	}
	mk := s.Keys[0]
	var pt cryptobyte.Builder
	pt.AddUint16(uint16(c.Type))
	pt.AddUint64(uint64(c.Expiry.Unix()))
	pt.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c.Key) })
	pt.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(c.Identity)) })
	plain, err := pt.Bytes()
	if err != nil {
		return nil, err
	}
	out := make([]byte, opaqueHead, opaqueHead+len(plain)+16)
	out[0] = opaqueVersion
	out[1], out[2], out[3], out[4] = byte(mk.ID>>24), byte(mk.ID>>16), byte(mk.ID>>8), byte(mk.ID)
	if _, err := io.ReadFull(s.Rand, out[1+keyIDLen:opaqueHead]); err != nil {
		return nil, err
	}
	aead, err := newGCM(mk.Key)
	if err != nil {
		return nil, err
	}
	return aead.Seal(out, out[1+keyIDLen:opaqueHead], plain, s.aad(out[:1+keyIDLen])), nil
}

// Open decrypts and authenticates a PAC-Opaque (bytes from a peer:
// untrusted). It does not check the expiry; see Contents.Expired.
func (s *Sealer) Open(opaque []byte) (Contents, error) {
	var c Contents
	in := cryptobyte.String(opaque)
	var version uint8
	var id uint32
	var nonce []byte
	if !in.ReadUint8(&version) || version != opaqueVersion || !in.ReadUint32(&id) || !in.ReadBytes(&nonce, nonceLen) {
		return c, ErrOpaqueMalformed
	}
	var mk *MasterKey
	for i := range s.Keys {
		if s.Keys[i].ID == id {
			mk = &s.Keys[i]
			break
		}
	}
	if mk == nil {
		return c, ErrOpaqueUnknownKey
	}
	aead, err := newGCM(mk.Key)
	if err != nil {
		return c, err
	}
	plain, err := aead.Open(nil, nonce, in, s.aad(opaque[:1+keyIDLen]))
	if err != nil {
		return c, ErrOpaqueForged
	}
	p := cryptobyte.String(plain)
	var typ uint16
	var expiry uint64
	var key, ident cryptobyte.String
	if !p.ReadUint16(&typ) || !p.ReadUint64(&expiry) || !p.ReadUint8LengthPrefixed(&key) ||
		!p.ReadUint8LengthPrefixed(&ident) || !p.Empty() || expiry > 1<<62 {
		return c, ErrOpaqueMalformed // authenticated, so only a bug of ours could get here
	}
	c.Type = eapfast.PACType(typ)
	c.Key = append([]byte(nil), key...)
	c.Identity = string(ident)
	c.Expiry = time.Unix(int64(expiry), 0).UTC()
	return c, nil
}

func (s *Sealer) aad(head []byte) []byte {
	return append(append([]byte(nil), head...), s.AID...)
}

func newGCM(key [32]byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
