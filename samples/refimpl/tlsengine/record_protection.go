package tlsengine

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"io"

	"github.com/sessionscope/sscope/dissect/tls"
)

// maxPlaintext is the largest record plaintext (RFC 5246 section 6.2.1).
const maxPlaintext = 1 << 14

// errBadRecordMAC is every failure to authenticate or decrypt a record;
// which check failed is not told (RFC 5246 section 7.2.2).
var errBadRecordMAC = errors.New("tlsengine: record authentication failed")

// recordCipher protects one direction of records under one set of keys:
// AES-CBC with HMAC-SHA1 and an explicit IV (RFC 5246 section 6.2.3.2), or
// AES-GCM with an explicit nonce (RFC 5288).
type recordCipher struct {
	block   cipher.Block // CBC
	macKey  []byte       // CBC
	aead    cipher.AEAD  // GCM
	fixedIV []byte       // GCM salt
	seq     uint64
}

// newRecordCiphers splits the key block of s into the client's and the
// server's write ciphers.
func newRecordCiphers(s *suite, kb []byte) (client, server *recordCipher, err error) {
	take := func(n int) []byte {
		v := kb[:n:n]
		kb = kb[n:]
		return v
	}
	cMAC, sMAC := take(s.macLen), take(s.macLen)
	cKey, sKey := take(s.keyLen), take(s.keyLen)
	cIV, sIV := take(s.ivLen), take(s.ivLen)
	if client, err = newRecordCipher(s, cKey, cMAC, cIV); err != nil {
		return nil, nil, err
	}
	if server, err = newRecordCipher(s, sKey, sMAC, sIV); err != nil {
		return nil, nil, err
	}
	return client, server, nil
}

func newRecordCipher(s *suite, key, macKey, iv []byte) (*recordCipher, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if !s.aead {
		return &recordCipher{block: block, macKey: macKey}, nil
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &recordCipher{aead: aead, fixedIV: iv}, nil
}

// additionalData is seq_num || type || version || length: the MAC input
// prefix of CBC suites and the AEAD additional data (RFC 5246 section
// 6.2.3).
func (rc *recordCipher) additionalData(typ tls.ContentType, ver tls.Version, n int) []byte {
	ad := make([]byte, 13)
	binary.BigEndian.PutUint64(ad, rc.seq)
	ad[8] = byte(typ)
	binary.BigEndian.PutUint16(ad[9:], uint16(ver))
	binary.BigEndian.PutUint16(ad[11:], uint16(n))
	return ad
}

func (rc *recordCipher) mac(ad, plain []byte) []byte {
	m := hmac.New(sha1.New, rc.macKey)
	m.Write(ad)
	m.Write(plain)
	return m.Sum(nil)
}

// seal protects one record's plaintext and advances the sequence number.
// CBC IVs come from r; the GCM explicit nonce is the sequence number.
func (rc *recordCipher) seal(typ tls.ContentType, ver tls.Version, plain []byte, r io.Reader) ([]byte, error) {
	ad := rc.additionalData(typ, ver, len(plain))
	var out []byte
	if rc.aead != nil {
		explicit := ad[:8]
		nonce := concat(rc.fixedIV, explicit)
		out = rc.aead.Seal(append([]byte(nil), explicit...), nonce, plain, ad)
	} else {
		bs := rc.block.BlockSize()
		iv := make([]byte, bs)
		if _, err := io.ReadFull(r, iv); err != nil {
			return nil, err
		}
		data := concat(plain, rc.mac(ad, plain))
		pad := bs - len(data)%bs // 1..bs bytes, each pad-1
		for range pad {
			data = append(data, byte(pad-1))
		}
		cipher.NewCBCEncrypter(rc.block, iv).CryptBlocks(data, data)
		out = concat(iv, data)
	}
	rc.seq++
	return out, nil
}

// open authenticates and decrypts one record fragment and advances the
// sequence number. Any failure is errBadRecordMAC.
func (rc *recordCipher) open(typ tls.ContentType, ver tls.Version, frag []byte) ([]byte, error) {
	var plain []byte
	if rc.aead != nil {
		if len(frag) < 8+rc.aead.Overhead() {
			return nil, errBadRecordMAC
		}
		explicit, ct := frag[:8], frag[8:]
		ad := rc.additionalData(typ, ver, len(ct)-rc.aead.Overhead())
		p, err := rc.aead.Open(nil, concat(rc.fixedIV, explicit), ct, ad)
		if err != nil {
			return nil, errBadRecordMAC
		}
		plain = p
	} else {
		bs := rc.block.BlockSize()
		macLen := len(rc.macKey)
		if len(frag) < bs+((macLen+1+bs-1)/bs)*bs || len(frag)%bs != 0 {
			return nil, errBadRecordMAC
		}
		iv, ct := frag[:bs], frag[bs:]
		data := make([]byte, len(ct))
		cipher.NewCBCDecrypter(rc.block, iv).CryptBlocks(data, ct)
		pad := int(data[len(data)-1])
		if pad+1+macLen > len(data) {
			return nil, errBadRecordMAC
		}
		for _, b := range data[len(data)-1-pad:] {
			if int(b) != pad {
				return nil, errBadRecordMAC
			}
		}
		data = data[:len(data)-1-pad]
		p, tag := data[:len(data)-macLen], data[len(data)-macLen:]
		if !hmac.Equal(rc.mac(rc.additionalData(typ, ver, len(p)), p), tag) {
			return nil, errBadRecordMAC
		}
		plain = p
	}
	rc.seq++
	return plain, nil
}
