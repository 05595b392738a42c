package tlsengine

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"io"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// TicketKey protects session tickets in the format RFC 5077 section 4
// recommends: key_name (16 bytes), IV (16), encrypted_state (AES-128-CBC,
// 16-bit length) and an HMAC-SHA-256 over the three. Servers that share a
// TicketKey resume each other's sessions.
type TicketKey struct {
	Name    [16]byte
	AESKey  [16]byte
	HMACKey [32]byte
}

// NewTicketKey draws a ticket key from r.
func NewTicketKey(r io.Reader) (*TicketKey, error) {
	k := new(TicketKey)
	for _, b := range [][]byte{k.Name[:], k.AESKey[:], k.HMACKey[:]} {
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// ticketState is the session a ticket carries.
type ticketState struct {
	cipherSuite  uint16
	ems          bool
	masterSecret []byte
	created      time.Time
}

// maxTicketLen bounds a ticket: RFC 5077 limits it to 2^16-1 bytes.
const maxTicketLen = 0xffff

func (s *ticketState) marshal() []byte {
	var b cryptobyte.Builder
	b.AddUint16(uint16(versionTLS12))
	b.AddUint16(s.cipherSuite)
	ems := uint8(0)
	if s.ems {
		ems = 1
	}
	b.AddUint8(ems)
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(s.masterSecret) })
	b.AddUint64(uint64(s.created.Unix()))
	return b.BytesOrPanic() // fixed-size fields only: cannot fail
}

func (s *ticketState) unmarshal(p []byte) bool {
	in := cryptobyte.String(p)
	var ver uint16
	var ems uint8
	var ms cryptobyte.String
	var created uint64
	if !in.ReadUint16(&ver) || !in.ReadUint16(&s.cipherSuite) || !in.ReadUint8(&ems) ||
		!in.ReadUint8LengthPrefixed(&ms) || !in.ReadUint64(&created) || !in.Empty() {
		return false
	}
	if ver != uint16(versionTLS12) || ems > 1 || len(ms) != masterSecretLen || created > 1<<62 {
		return false
	}
	s.ems, s.masterSecret, s.created = ems == 1, append([]byte(nil), ms...), time.Unix(int64(created), 0)
	return true
}

// seal encrypts state into a ticket with an IV from r.
func (k *TicketKey) seal(state *ticketState, r io.Reader) ([]byte, error) {
	iv := make([]byte, aes.BlockSize)
	if _, err := io.ReadFull(r, iv); err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k.AESKey[:])
	if err != nil {
		return nil, err
	}
	plain := pkcs7Pad(state.marshal(), aes.BlockSize)
	enc := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(enc, plain)
	var b cryptobyte.Builder
	b.AddBytes(k.Name[:])
	b.AddBytes(iv)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(enc) })
	body, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, k.HMACKey[:])
	mac.Write(body)
	return mac.Sum(body), nil
}

// open authenticates and decrypts a ticket. It reports false for a ticket
// of another key, a forged or damaged one, or one older than lifetime.
func (k *TicketKey) open(ticket []byte, now time.Time, lifetime time.Duration) (*ticketState, bool) {
	if len(ticket) > maxTicketLen || len(ticket) < 16+aes.BlockSize+2+sha256.Size {
		return nil, false
	}
	body, tag := ticket[:len(ticket)-sha256.Size], ticket[len(ticket)-sha256.Size:]
	in := cryptobyte.String(body)
	var name, iv []byte
	var enc cryptobyte.String
	if !in.ReadBytes(&name, 16) || !in.ReadBytes(&iv, aes.BlockSize) || !in.ReadUint16LengthPrefixed(&enc) || !in.Empty() {
		return nil, false
	}
	if subtle.ConstantTimeCompare(name, k.Name[:]) != 1 {
		return nil, false
	}
	mac := hmac.New(sha256.New, k.HMACKey[:])
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), tag) {
		return nil, false
	}
	if len(enc) == 0 || len(enc)%aes.BlockSize != 0 {
		return nil, false
	}
	block, err := aes.NewCipher(k.AESKey[:])
	if err != nil {
		return nil, false
	}
	plain := make([]byte, len(enc))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, enc)
	plain, ok := pkcs7Unpad(plain, aes.BlockSize)
	if !ok {
		return nil, false
	}
	s := new(ticketState)
	if !s.unmarshal(plain) {
		return nil, false
	}
	if now.Before(s.created) || !now.Before(s.created.Add(lifetime)) {
		return nil, false
	}
	return s, true
}

func pkcs7Pad(p []byte, size int) []byte {
	n := size - len(p)%size
	out := make([]byte, len(p), len(p)+n)
	copy(out, p)
	for range n {
		out = append(out, byte(n))
	}
	return out
}

func pkcs7Unpad(p []byte, size int) ([]byte, bool) {
	if len(p) == 0 || len(p)%size != 0 {
		return nil, false
	}
	n := int(p[len(p)-1])
	if n == 0 || n > size {
		return nil, false
	}
	for _, b := range p[len(p)-n:] {
		if int(b) != n {
			return nil, false
		}
	}
	return p[:len(p)-n], true
}
