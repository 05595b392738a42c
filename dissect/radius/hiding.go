package radius

import (
	"crypto/md5"
	"encoding/binary"

	"github.com/sessionscope/sscope/dissect"
)

// Attribute value hiding with the shared secret: the User-Password method
// of RFC 2865 §5.2 and the salted method that Tunnel-Password (RFC 2868
// §3.5) and MS-MPPE-Send-Key / MS-MPPE-Recv-Key (RFC 2548 §2.4.2, §2.4.3)
// share. Both XOR 16-octet blocks with a chain of MD5 digests:
//
//	b(1) = MD5(secret | seed)        c(1) = p(1) xor b(1)
//	b(i) = MD5(secret | c(i-1))      c(i) = p(i) xor b(i)
//
// where seed is the Request Authenticator (User-Password) or the Request
// Authenticator followed by the two salt octets (salted method). In an
// Access-Accept the Request Authenticator is that of the Access-Request.

const (
	// maxUserPasswordLen is the longest hidden User-Password (RFC 2865
	// §5.2: at most 128 octets).
	maxUserPasswordLen = 128
	blockLen           = md5.Size
)

// hide XORs data (whole blocks) with the MD5 chain; the chain continues
// with each output block (ciphertext).
func hide(data, secret []byte, seed ...[]byte) {
	chain(data, secret, true, seed...)
}

// reveal XORs data (whole blocks) with the MD5 chain; the chain continues
// with each input block (ciphertext).
func reveal(data, secret []byte, seed ...[]byte) {
	chain(data, secret, false, seed...)
}

// chain runs the RFC 2865 §5.2 block chain over data in place. When
// hiding, each block's output feeds the next digest; when revealing, each
// block's input does. Both are the ciphertext.
func chain(data, secret []byte, hiding bool, seed ...[]byte) {
	h := md5.New()
	var b, c [blockLen]byte
	h.Write(secret)
	for _, s := range seed {
		h.Write(s)
	}
	h.Sum(b[:0])
	for i := 0; i+blockLen <= len(data); i += blockLen {
		block := data[i : i+blockLen]
		if !hiding {
			copy(c[:], block)
		}
		for j := range block {
			block[j] ^= b[j]
		}
		if hiding {
			copy(c[:], block)
		}
		h.Reset()
		h.Write(secret)
		h.Write(c[:])
		h.Sum(b[:0])
	}
}

// padded returns a copy of p zero-padded to a whole, non-zero number of
// 16-octet blocks, with room for prefix octets before it.
func padded(prefix int, p []byte) []byte {
	n := prefix + len(p)
	if n == 0 || n%blockLen != 0 {
		n += blockLen - n%blockLen
	}
	out := make([]byte, n)
	copy(out[prefix:], p)
	return out
}

// EncryptUserPassword hides a password for the User-Password attribute
// (RFC 2865 §5.2) with the Request Authenticator of the Access-Request.
// The result is the password zero-padded to a multiple of 16 octets,
// hidden; passwords longer than 128 octets do not fit the attribute.
func EncryptUserPassword(pw, secret []byte, reqAuth [16]byte) []byte {
	out := padded(0, pw)
	hide(out, secret, reqAuth[:])
	return out
}

// DecryptUserPassword reveals a User-Password value (RFC 2865 §5.2) and
// strips the zero padding. The value must be 16 to 128 octets, a multiple
// of 16. A wrong secret yields wrong bytes, not an error.
func DecryptUserPassword(value, secret []byte, reqAuth [16]byte) ([]byte, error) {
	if len(value) == 0 || len(value)%blockLen != 0 || len(value) > maxUserPasswordLen {
		return nil, dissect.Errorf(dissect.Malformed, layer, -1, "User-Password of %d bytes, want 16 to 128 in steps of 16", len(value))
	}
	out := append([]byte(nil), value...)
	reveal(out, secret, reqAuth[:])
	for len(out) > 0 && out[len(out)-1] == 0 {
		out = out[:len(out)-1]
	}
	return out, nil
}

// saltBytes returns the salt as sent: big-endian, most significant bit set
// as RFC 2548 §2.4.2 and RFC 2868 §3.5 require.
func saltBytes(salt uint16) [2]byte {
	var s [2]byte
	binary.BigEndian.PutUint16(s[:], salt|0x8000)
	return s
}

// hideSalted returns salt | hidden(length octet | data | zero padding).
func hideSalted(data, secret []byte, reqAuth [16]byte, salt uint16) []byte {
	s := saltBytes(salt)
	p := padded(1, data)
	p[0] = byte(len(data))
	hide(p, secret, reqAuth[:], s[:])
	return append(s[:], p...)
}

// revealSalted undoes hideSalted on salt | ciphertext.
func revealSalted(name string, value, secret []byte, reqAuth [16]byte) ([]byte, error) {
	if len(value) < 2+blockLen || (len(value)-2)%blockLen != 0 {
		return nil, dissect.Errorf(dissect.Malformed, layer, -1, "%s of %d bytes, want 2 bytes of salt and a multiple of 16", name, len(value))
	}
	p := append([]byte(nil), value[2:]...)
	reveal(p, secret, reqAuth[:], value[:2])
	n := int(p[0])
	if n > len(p)-1 {
		return nil, dissect.Errorf(dissect.Malformed, layer, -1, "%s length octet %d exceeds the %d bytes hidden (wrong secret or request authenticator?)", name, n, len(p)-1)
	}
	return p[1 : 1+n], nil
}

// EncryptMPPEKey hides key material for MS-MPPE-Send-Key or
// MS-MPPE-Recv-Key (RFC 2548 §2.4.2, §2.4.3) with the Request Authenticator
// of the Access-Request the Access-Accept answers. The result is the
// attribute value: two octets of salt (its most significant bit set), then
// the hidden key-length octet, key and zero padding. Key material of more
// than 239 octets does not fit one vendor sub-attribute.
func EncryptMPPEKey(key, secret []byte, reqAuth [16]byte, salt uint16) []byte {
	return hideSalted(key, secret, reqAuth, salt)
}

// DecryptMPPEKey reveals the key material of an MS-MPPE-Send-Key or
// MS-MPPE-Recv-Key value.
func DecryptMPPEKey(value, secret []byte, reqAuth [16]byte) ([]byte, error) {
	return revealSalted("MS-MPPE key", value, secret, reqAuth)
}

// EncryptTunnelPassword returns a Tunnel-Password value (RFC 2868 §3.5):
// the tag, two octets of salt (most significant bit set), then the hidden
// length octet, password and zero padding. Passwords of more than 239
// octets do not fit one attribute.
func EncryptTunnelPassword(pw, secret []byte, reqAuth [16]byte, tag uint8, salt uint16) []byte {
	return append([]byte{tag}, hideSalted(pw, secret, reqAuth, salt)...)
}

// DecryptTunnelPassword reveals a Tunnel-Password value, returning its tag
// and the password.
func DecryptTunnelPassword(value, secret []byte, reqAuth [16]byte) (tag uint8, pw []byte, err error) {
	if len(value) == 0 {
		return 0, nil, dissect.Errorf(dissect.Malformed, layer, -1, "empty Tunnel-Password")
	}
	pw, err = revealSalted("Tunnel-Password", value[1:], secret, reqAuth)
	return value[0], pw, err
}

// CHAPPassword returns a CHAP-Password value (RFC 2865 §5.3): the CHAP
// identifier, then MD5(identifier | password | challenge), where the
// challenge is the CHAP-Challenge attribute or, without one, the Request
// Authenticator.
func CHAPPassword(ident byte, password, challenge []byte) []byte {
	h := md5.New()
	h.Write([]byte{ident})
	h.Write(password)
	h.Write(challenge)
	return h.Sum([]byte{ident})
}
