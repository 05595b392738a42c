package tls

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rc4"
	"encoding/binary"
	"errors"
	"hash"
	"io"

	"github.com/sessionscope/sscope/dissect"
)

// ErrBadRecordMAC is every failure of a protected record to authenticate
// (MAC, padding or AEAD tag): with the right keys it does not happen, so
// it means the keys do not belong to the connection or the record was
// damaged (RFC 5246 section 7.2.2 tells no more, and neither does this).
var ErrBadRecordMAC = errors.New("tls: record authentication failed (bad_record_mac)")

// RecordCipher protects the records one side writes under one set of
// keys: TLS 1.0 to 1.2 suites (see CipherSpec) and TLS 1.3 (see
// NewTLS13RecordCipher). It keeps the sequence number and, for RC4 and
// TLS 1.0 CBC, the cipher state that runs on from record to record, so
// records must be given in order. A RecordCipher is not safe for
// concurrent use.
type RecordCipher struct {
	mode        RecordMode
	tls13       bool
	etm         bool
	recordIVLen int

	block  cipher.Block
	iv     []byte // TLS 1.0 CBC: the IV of the next record
	stream cipher.Stream
	mac    hash.Hash // HMAC under the MAC key
	aead   cipher.AEAD
	// fixedIV is the GCM salt, or the whole per-direction IV that ChaCha20
	// and TLS 1.3 XOR with the sequence number.
	fixedIV []byte
	xorIV   bool

	seq uint64
}

// NewRecordCipher returns the cipher of one direction from its keys.
func (s CipherSpec) NewRecordCipher(k DirectionKeys) (*RecordCipher, error) {
	if len(k.MACKey) != s.MACLen || len(k.Key) != s.KeyLen || len(k.IV) != s.FixedIVLen {
		return nil, dissect.Errorf(dissect.Malformed, "tls", -1, "key sizes %d/%d/%d do not fit %s", len(k.MACKey), len(k.Key), len(k.IV), CipherSuiteName(s.Suite))
	}
	rc := &RecordCipher{mode: s.Mode, recordIVLen: s.RecordIVLen}
	if s.macHash != nil {
		rc.mac = hmac.New(s.macHash, append([]byte(nil), k.MACKey...))
	}
	var err error
	switch s.Mode {
	case ModeStream:
		rc.stream, err = rc4.NewCipher(k.Key)
	case ModeCBC:
		rc.etm = s.EncryptThenMAC
		rc.block, err = s.newBlock(k.Key)
		if s.FixedIVLen > 0 {
			rc.iv = append([]byte(nil), k.IV...)
		}
	case ModeAEAD:
		rc.aead, err = s.newAEAD(k.Key)
		rc.fixedIV = append([]byte(nil), k.IV...)
		rc.xorIV = s.RecordIVLen == 0
	}
	if err != nil {
		return nil, dissect.Errorf(dissect.Malformed, "tls", -1, "%s keys: %v", CipherSuiteName(s.Suite), err)
	}
	return rc, nil
}

// Sequence is the sequence number of the next record.
func (rc *RecordCipher) Sequence() uint64 { return rc.seq }

// SetSequence sets the sequence number of the next record. DTLS callers
// set epoch<<48 | sequence_number from each record's header before Open.
func (rc *RecordCipher) SetSequence(seq uint64) { rc.seq = seq }

// additionalData is seq_num || type || version || length: the MAC input
// prefix of NULL, stream and CBC suites and the AEAD additional data of
// TLS 1.2 (RFC 5246 section 6.2.3).
func (rc *RecordCipher) additionalData(dst []byte, typ ContentType, ver Version, n int) []byte {
	dst = binary.BigEndian.AppendUint64(dst, rc.seq)
	dst = append(dst, byte(typ))
	dst = binary.BigEndian.AppendUint16(dst, uint16(ver))
	return binary.BigEndian.AppendUint16(dst, uint16(n))
}

func (rc *RecordCipher) hmac(ad []byte, data ...[]byte) []byte {
	rc.mac.Reset()
	rc.mac.Write(ad)
	for _, d := range data {
		rc.mac.Write(d)
	}
	return rc.mac.Sum(nil)
}

// nonce is the AEAD nonce: the fixed IV XORed with the sequence number
// (ChaCha20-Poly1305, TLS 1.3), or salt || explicit nonce (GCM).
func (rc *RecordCipher) nonce(explicit []byte) []byte {
	if !rc.xorIV {
		return append(append(make([]byte, 0, len(rc.fixedIV)+len(explicit)), rc.fixedIV...), explicit...)
	}
	n := append([]byte(nil), rc.fixedIV...)
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], rc.seq)
	for i := range seq {
		n[len(n)-8+i] ^= seq[i]
	}
	return n
}

// Open authenticates and decrypts the fragment of one record with header
// type typ and version ver, and returns the plaintext and its content type
// (for TLS 1.3 the inner content type; otherwise typ). The sequence number
// advances, and the RC4 and TLS 1.0 CBC state runs on, whether or not the
// record authenticates, so one damaged record does not spoil the next. An
// authentication failure is ErrBadRecordMAC; a fragment too short for the
// cipher is a Malformed *dissect.Error. The fragment is not modified.
func (rc *RecordCipher) Open(typ ContentType, ver Version, fragment []byte) (ContentType, []byte, error) {
	defer func() { rc.seq++ }()
	switch {
	case rc.tls13:
		return rc.open13(typ, ver, fragment)
	case rc.mode == ModeAEAD:
		p, err := rc.openAEAD(typ, ver, fragment)
		return typ, p, err
	case rc.mode == ModeCBC && rc.etm:
		p, err := rc.openEncryptThenMAC(typ, ver, fragment)
		return typ, p, err
	case rc.mode == ModeCBC:
		p, err := rc.openCBC(typ, ver, fragment)
		return typ, p, err
	}
	// NULL and RC4: (encrypted) content || MAC.
	data := append([]byte(nil), fragment...)
	if rc.stream != nil {
		rc.stream.XORKeyStream(data, data)
	}
	macLen := rc.mac.Size()
	if len(data) < macLen {
		return typ, nil, shortRecord(len(fragment))
	}
	p, tag := data[:len(data)-macLen], data[len(data)-macLen:]
	if !hmac.Equal(rc.hmac(rc.additionalData(nil, typ, ver, len(p)), p), tag) {
		return typ, nil, ErrBadRecordMAC
	}
	return typ, p, nil
}

func shortRecord(n int) error {
	return dissect.Errorf(dissect.Malformed, "tls", -1, "protected record of %d bytes is too short for its cipher", n)
}

func (rc *RecordCipher) openAEAD(typ ContentType, ver Version, frag []byte) ([]byte, error) {
	if len(frag) < rc.recordIVLen+rc.aead.Overhead() {
		return nil, shortRecord(len(frag))
	}
	explicit, ct := frag[:rc.recordIVLen], frag[rc.recordIVLen:]
	ad := rc.additionalData(nil, typ, ver, len(ct)-rc.aead.Overhead())
	p, err := rc.aead.Open(nil, rc.nonce(explicit), ct, ad)
	if err != nil {
		return nil, ErrBadRecordMAC
	}
	return p, nil
}

// openCBC opens a MAC-then-encrypt CBC record: [IV] || E(content || MAC ||
// padding).
func (rc *RecordCipher) openCBC(typ ContentType, ver Version, frag []byte) ([]byte, error) {
	bs := rc.block.BlockSize()
	macLen := rc.mac.Size()
	iv, ct := rc.iv, frag
	if rc.recordIVLen > 0 {
		if len(frag) < rc.recordIVLen {
			return nil, shortRecord(len(frag))
		}
		iv, ct = frag[:rc.recordIVLen], frag[rc.recordIVLen:]
	}
	if len(ct) == 0 || len(ct)%bs != 0 || len(ct) < macLen+1 {
		return nil, shortRecord(len(frag))
	}
	data := make([]byte, len(ct))
	cipher.NewCBCDecrypter(rc.block, iv).CryptBlocks(data, ct)
	if rc.recordIVLen == 0 {
		rc.iv = append(rc.iv[:0], ct[len(ct)-bs:]...)
	}
	p, ok := removePadding(data, macLen)
	if !ok {
		return nil, ErrBadRecordMAC
	}
	p, tag := p[:len(p)-macLen], p[len(p)-macLen:]
	if !hmac.Equal(rc.hmac(rc.additionalData(nil, typ, ver, len(p)), p), tag) {
		return nil, ErrBadRecordMAC
	}
	return p, nil
}

// removePadding strips TLS CBC padding (each of the pad+1 last bytes holds
// pad) and checks room for a MAC of macLen bytes.
func removePadding(data []byte, macLen int) ([]byte, bool) {
	pad := int(data[len(data)-1])
	if pad+1+macLen > len(data) {
		return nil, false
	}
	for _, b := range data[len(data)-1-pad:] {
		if int(b) != pad {
			return nil, false
		}
	}
	return data[:len(data)-1-pad], true
}

// openEncryptThenMAC opens an RFC 7366 record: IV || E(content || padding)
// || MAC over the header and IV || ciphertext.
func (rc *RecordCipher) openEncryptThenMAC(typ ContentType, ver Version, frag []byte) ([]byte, error) {
	bs := rc.block.BlockSize()
	macLen := rc.mac.Size()
	if len(frag) < rc.recordIVLen+macLen {
		return nil, shortRecord(len(frag))
	}
	body, tag := frag[:len(frag)-macLen], frag[len(frag)-macLen:]
	iv, ct := rc.iv, body
	if rc.recordIVLen > 0 {
		iv, ct = body[:rc.recordIVLen], body[rc.recordIVLen:]
	}
	if len(ct) == 0 || len(ct)%bs != 0 {
		return nil, shortRecord(len(frag))
	}
	if rc.recordIVLen == 0 {
		defer func() { rc.iv = append(rc.iv[:0], ct[len(ct)-bs:]...) }()
	}
	if !hmac.Equal(rc.hmac(rc.additionalData(nil, typ, ver, len(body)), body), tag) {
		return nil, ErrBadRecordMAC
	}
	data := make([]byte, len(ct))
	cipher.NewCBCDecrypter(rc.block, iv).CryptBlocks(data, ct)
	p, ok := removePadding(data, 0)
	if !ok {
		return nil, ErrBadRecordMAC
	}
	return p, nil
}

// Seal protects the plaintext of one record and advances the sequence
// number; it returns the record's fragment. For TLS 1.0 to 1.2, typ and
// ver are the record header's. For TLS 1.3, typ is the inner content type
// and the record header, which the caller writes, is application_data
// with version 0x0303; ver is ignored. CBC IVs come from r (TLS 1.1 and
// later); GCM explicit nonces are the sequence number.
func (rc *RecordCipher) Seal(typ ContentType, ver Version, plain []byte, r io.Reader) ([]byte, error) {
	if rc.tls13 {
		out := rc.seal13(typ, plain)
		rc.seq++
		return out, nil
	}
	var out []byte
	switch rc.mode {
	case ModeAEAD:
		var explicit []byte
		if rc.recordIVLen > 0 {
			explicit = binary.BigEndian.AppendUint64(nil, rc.seq)
		}
		out = rc.aead.Seal(append([]byte(nil), explicit...), rc.nonce(explicit), plain, rc.additionalData(nil, typ, ver, len(plain)))
	case ModeCBC:
		var err error
		if out, err = rc.sealCBC(typ, ver, plain, r); err != nil {
			return nil, err
		}
	default:
		out = append(append([]byte(nil), plain...), rc.hmac(rc.additionalData(nil, typ, ver, len(plain)), plain)...)
		if rc.stream != nil {
			rc.stream.XORKeyStream(out, out)
		}
	}
	rc.seq++
	return out, nil
}

func (rc *RecordCipher) sealCBC(typ ContentType, ver Version, plain []byte, r io.Reader) ([]byte, error) {
	bs := rc.block.BlockSize()
	iv := rc.iv
	if rc.recordIVLen > 0 {
		iv = make([]byte, rc.recordIVLen)
		if _, err := io.ReadFull(r, iv); err != nil {
			return nil, err
		}
	}
	data := append([]byte(nil), plain...)
	if !rc.etm {
		data = append(data, rc.hmac(rc.additionalData(nil, typ, ver, len(plain)), plain)...)
	}
	pad := bs - len(data)%bs // 1..bs bytes, each pad-1
	for range pad {
		data = append(data, byte(pad-1))
	}
	cipher.NewCBCEncrypter(rc.block, iv).CryptBlocks(data, data)
	if rc.recordIVLen == 0 {
		rc.iv = append(rc.iv[:0], data[len(data)-bs:]...)
		if rc.etm {
			return append(data, rc.hmac(rc.additionalData(nil, typ, ver, len(data)), data)...), nil
		}
		return data, nil
	}
	out := append(append(make([]byte, 0, len(iv)+len(data)+rc.mac.Size()), iv...), data...)
	if rc.etm {
		out = append(out, rc.hmac(rc.additionalData(nil, typ, ver, len(out)), out)...)
	}
	return out, nil
}
