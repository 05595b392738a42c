package tls

import (
	"crypto/rsa"
	"errors"
	"io"
	"math/big"
)

// RSA key transport (RFC 5246 section 7.4.7.1): the client encrypts the
// premaster secret to the server's RSA key with PKCS#1 v1.5 type 2
// padding. Both directions are done here with math/big so that the
// padding bytes come from the caller's reader (crypto/rsa ignores the
// reader it is given, which would make captures irreproducible) and so
// that keys of any size decrypt.

// PreMasterSecretLen is the size of an RSA premaster secret.
const PreMasterSecretLen = 48

// errMessageTooLong: the message does not fit the modulus with padding.
var errMessageTooLong = errors.New("tls: message too long for RSA key size")

// RSAEncryptPreMaster encrypts msg to pub: 0x00 0x02 PS 0x00 msg with PS
// at least 8 nonzero bytes read from r, then m^e mod n.
func RSAEncryptPreMaster(r io.Reader, pub *rsa.PublicKey, msg []byte) ([]byte, error) {
	k := pub.Size()
	if len(msg) > k-11 {
		return nil, errMessageTooLong
	}
	em := make([]byte, k)
	em[1] = 2
	ps := em[2 : k-len(msg)-1]
	if err := nonzeroBytes(r, ps); err != nil {
		return nil, err
	}
	copy(em[k-len(msg):], msg)
	m := new(big.Int).SetBytes(em)
	c := m.Exp(m, big.NewInt(int64(pub.E)), pub.N)
	return c.FillBytes(make([]byte, k)), nil
}

// nonzeroBytes fills b from r, redrawing zero bytes.
func nonzeroBytes(r io.Reader, b []byte) error {
	if _, err := io.ReadFull(r, b); err != nil {
		return err
	}
	one := []byte{0}
	for i := range b {
		for b[i] == 0 {
			if _, err := io.ReadFull(r, one); err != nil {
				return err
			}
			b[i] = one[0]
		}
	}
	return nil
}

// RSADecryptPreMaster decrypts a PKCS#1 v1.5 type 2 ciphertext with key
// and returns the message, or false when the ciphertext does not fit the
// key or its padding is wrong (the key is not the one the client
// encrypted to). It does not check the message length or the version in
// it: servers and analyzers decide what to do with an odd premaster.
func RSADecryptPreMaster(key *rsa.PrivateKey, ct []byte) ([]byte, bool) {
	if key == nil || key.N == nil || key.D == nil || key.N.Sign() <= 0 {
		return nil, false
	}
	k := key.Size()
	if len(ct) != k || k < 11 {
		return nil, false
	}
	c := new(big.Int).SetBytes(ct)
	if c.Cmp(key.N) >= 0 {
		return nil, false
	}
	em := new(big.Int).Exp(c, key.D, key.N).FillBytes(make([]byte, k))
	if em[0] != 0 || em[1] != 2 {
		return nil, false
	}
	for i := 2; i < k; i++ {
		if em[i] == 0 {
			if i < 10 { // fewer than 8 padding bytes
				return nil, false
			}
			return em[i+1:], true
		}
	}
	return nil, false
}
