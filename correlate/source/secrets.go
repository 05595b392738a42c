package source

import (
	"encoding/binary"
	"io"
)

// Secret is the content of one pcapng Decryption Secrets Block (the pcapng
// specification, section 4.7): a secrets type and its data, e.g. an NSS
// key log for SecretsTLSKeyLog.
type Secret struct {
	Type uint32
	Data []byte
}

// Secrets types of the pcapng registry.
const (
	SecretsTLSKeyLog   uint32 = 0x544c534b // "TLSK": NSS key log
	SecretsWireGuard   uint32 = 0x57474b4c // "WGKL"
	SecretsZigBeeNWK   uint32 = 0x5a4e574b // "ZNWK"
	SecretsZigBeeAPS   uint32 = 0x5a415053 // "ZAPS"
	SecretsOPCUAKeyLog uint32 = 0x55414b4c // "UAKL"
)

// Caps on the secrets kept from one input.
const (
	// MaxSecretsBlock caps one Decryption Secrets Block; larger ones are
	// skipped and counted.
	MaxSecretsBlock = 16 << 20
	// MaxSecretsTotal caps the secrets kept from one input.
	MaxSecretsTotal = 64 << 20
)

// pcapng block types the scanner needs.
const (
	ngSectionHeader    = 0x0a0d0d0a
	ngDecryptionSecret = 0x0000000a
	ngByteOrderMagic   = 0x1a2b3c4d
	// ngMinSectionHeader: type, length, byte-order magic, version,
	// section length, length.
	ngMinSectionHeader = 28
)

// secretsScanner passes a pcapng byte stream through unchanged and keeps
// the Decryption Secrets Blocks it sees go by. It follows the block
// structure (type and total length, in the byte order of each section's
// header) without interpreting other blocks, so it costs a few operations
// per block. Anything that is not pcapng, or a block length that cannot
// be right, makes it stop looking (pcapgo reports the damage itself).
type secretsScanner struct {
	r io.Reader

	dead    bool
	started bool
	order   binary.ByteOrder
	hdr     [12]byte
	nhdr    int
	remain  int64 // bytes of the current block still to pass
	keep    bool  // the current block is a Decryption Secrets Block being kept
	body    []byte

	secrets []Secret
	total   int
	dropped int
	notify  func(Secret)
}

func newSecretsScanner(r io.Reader) *secretsScanner { return &secretsScanner{r: r} }

func (s *secretsScanner) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 && !s.dead {
		s.scan(p[:n])
	}
	return n, err
}

func (s *secretsScanner) scan(p []byte) {
	for len(p) > 0 && !s.dead {
		if s.remain > 0 {
			n := int(min(s.remain, int64(len(p))))
			if s.keep {
				s.body = append(s.body, p[:n]...)
			}
			s.remain -= int64(n)
			p = p[n:]
			if s.remain == 0 && s.keep {
				s.finishSecretsBlock()
			}
			continue
		}
		need := s.headerLen()
		n := copy(s.hdr[s.nhdr:need], p)
		s.nhdr += n
		p = p[n:]
		if s.nhdr >= 4 && !s.started && !s.sectionHeader() {
			s.dead = true // not pcapng
			return
		}
		if s.nhdr < s.headerLen() {
			continue
		}
		s.startBlock()
	}
}

// sectionHeader reports whether the block header being read is a section
// header's (its type reads the same in both byte orders).
func (s *secretsScanner) sectionHeader() bool {
	return s.nhdr >= 4 && binary.BigEndian.Uint32(s.hdr[:4]) == ngSectionHeader
}

// headerLen is how many header bytes the block needs before its length can
// be read: a section header's byte-order magic tells how to read its
// length.
func (s *secretsScanner) headerLen() int {
	if s.sectionHeader() {
		return 12
	}
	return 8
}

// startBlock reads the header collected in s.hdr.
func (s *secretsScanner) startBlock() {
	shb := s.sectionHeader()
	s.nhdr = 0
	if shb {
		switch {
		case binary.LittleEndian.Uint32(s.hdr[8:]) == ngByteOrderMagic:
			s.order = binary.LittleEndian
		case binary.BigEndian.Uint32(s.hdr[8:]) == ngByteOrderMagic:
			s.order = binary.BigEndian
		default:
			s.dead = true
			return
		}
		length := s.order.Uint32(s.hdr[4:8])
		if length < ngMinSectionHeader || length%4 != 0 {
			s.dead = true
			return
		}
		s.started = true
		s.remain = int64(length) - 12
		return
	}
	typ, length := s.order.Uint32(s.hdr[:4]), s.order.Uint32(s.hdr[4:8])
	if length < 12 || length%4 != 0 {
		s.dead = true
		return
	}
	s.remain = int64(length) - 8
	s.keep = false
	if typ == ngDecryptionSecret {
		if s.remain > MaxSecretsBlock+12 || s.total+int(s.remain) > MaxSecretsTotal {
			s.dropped++
			return
		}
		s.keep, s.body = true, s.body[:0]
	}
}

// finishSecretsBlock parses a whole block body: secrets type, secrets
// length, the secrets padded to 32 bits, options, and the trailing total
// length.
func (s *secretsScanner) finishSecretsBlock() {
	s.keep = false
	b := s.body
	if len(b) < 12 {
		s.dropped++
		return
	}
	typ, n := s.order.Uint32(b[0:4]), s.order.Uint32(b[4:8])
	if uint64(n) > uint64(len(b)-12) {
		s.dropped++
		return
	}
	sec := Secret{Type: typ, Data: append([]byte(nil), b[8:8+n]...)}
	s.total += len(sec.Data)
	s.secrets = append(s.secrets, sec)
	if s.notify != nil {
		s.notify(sec)
	}
}

// Secrets returns the Decryption Secrets Blocks read so far, in file
// order. The reader reads ahead of the packets it delivers, so every block
// that precedes the next packet Next returns is already here (and perhaps
// some that follow it). The caller must not modify the data.
func (r *Reader) Secrets() []Secret { return r.secrets.secrets }

// OnSecret asks for fn to be called with every Decryption Secrets Block:
// at once for those already read, then as each is read (before any packet
// that follows it is delivered).
func (r *Reader) OnSecret(fn func(Secret)) {
	r.secrets.notify = fn
	if fn == nil {
		return
	}
	for _, sec := range r.secrets.secrets {
		fn(sec)
	}
}

// SecretsDropped counts Decryption Secrets Blocks not kept: malformed, or
// beyond MaxSecretsBlock or MaxSecretsTotal.
func (r *Reader) SecretsDropped() int { return r.secrets.dropped }
