package eapauth

import (
	"crypto/des"
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"unicode/utf16"

	"golang.org/x/crypto/md4"
)

// The MS-CHAPv2 arithmetic of RFC 2759 section 8 and the MPPE key
// derivation of RFC 3079 section 3, with the names those RFCs use.

// NTPasswordHash is MD4 over the password in UTF-16LE (RFC 2759 section
// 8.3).
func NTPasswordHash(password string) [16]byte {
	h := md4.New()
	for _, u := range utf16.Encode([]rune(password)) {
		h.Write([]byte{byte(u), byte(u >> 8)})
	}
	var out [16]byte
	h.Sum(out[:0])
	return out
}

// HashNTPasswordHash is MD4 over the password hash (RFC 2759 section 8.4).
func HashNTPasswordHash(passwordHash [16]byte) [16]byte {
	h := md4.New()
	h.Write(passwordHash[:])
	var out [16]byte
	h.Sum(out[:0])
	return out
}

// ChallengeHash is the first 8 octets of SHA-1(PeerChallenge |
// AuthenticatorChallenge | UserName) (RFC 2759 section 8.2). UserName is
// the name without a Windows domain prefix ("DOMAIN\user" hashes "user").
func ChallengeHash(peerChallenge, authenticatorChallenge []byte, userName string) [8]byte {
	h := sha1.New()
	h.Write(peerChallenge)
	h.Write(authenticatorChallenge)
	h.Write([]byte(stripDomain(userName)))
	var sum [sha1.Size]byte
	h.Sum(sum[:0])
	return [8]byte(sum[:8])
}

// stripDomain removes a "DOMAIN\" prefix from a user name.
func stripDomain(userName string) string {
	if i := strings.LastIndexByte(userName, '\\'); i >= 0 {
		return userName[i+1:]
	}
	return userName
}

// ChallengeResponse encrypts the 8-octet challenge with DES under each
// 7-octet third of the password hash zero-padded to 21 octets (RFC 2759
// section 8.5).
func ChallengeResponse(challenge [8]byte, passwordHash [16]byte) [24]byte {
	var z [21]byte
	copy(z[:], passwordHash[:])
	var out [24]byte
	for i := 0; i < 3; i++ {
		block, err := des.NewCipher(desKey(z[7*i : 7*i+7]))
		if err != nil {
			panic("eapauth: DES key of 8 octets refused: " + err.Error())
		}
		block.Encrypt(out[8*i:8*i+8], challenge[:])
	}
	return out
}

// desKey spreads 56 key bits over 8 octets, leaving the parity bits (the
// low bit of each octet, which DES ignores) zero.
func desKey(k []byte) []byte {
	return []byte{
		k[0] & 0xfe,
		(k[0]<<7 | k[1]>>1) & 0xfe,
		(k[1]<<6 | k[2]>>2) & 0xfe,
		(k[2]<<5 | k[3]>>3) & 0xfe,
		(k[3]<<4 | k[4]>>4) & 0xfe,
		(k[4]<<3 | k[5]>>5) & 0xfe,
		(k[5]<<2 | k[6]>>6) & 0xfe,
		k[6] << 1,
	}
}

// GenerateNTResponse is the NT-Response a peer sends (RFC 2759 section
// 8.1).
func GenerateNTResponse(authenticatorChallenge, peerChallenge []byte, userName, password string) [24]byte {
	return ChallengeResponse(ChallengeHash(peerChallenge, authenticatorChallenge, userName), NTPasswordHash(password))
}

var (
	authMagic1 = []byte("Magic server to client signing constant")
	authMagic2 = []byte("Pad to make it do more than one iteration")
)

// GenerateAuthenticatorResponse returns the "S=<40 hex digits>" string an
// authenticator sends in its Success message (RFC 2759 section 8.7).
func GenerateAuthenticatorResponse(password string, ntResponse [24]byte, peerChallenge, authenticatorChallenge []byte, userName string) string {
	hh := HashNTPasswordHash(NTPasswordHash(password))
	h := sha1.New()
	h.Write(hh[:])
	h.Write(ntResponse[:])
	h.Write(authMagic1)
	digest := h.Sum(nil)
	ch := ChallengeHash(peerChallenge, authenticatorChallenge, userName)
	h.Reset()
	h.Write(digest)
	h.Write(ch[:])
	h.Write(authMagic2)
	return "S=" + strings.ToUpper(hex.EncodeToString(h.Sum(nil)))
}

var (
	mppeMagic1 = []byte("This is the MPPE Master Key")
	mppeMagic2 = []byte("On the client side, this is the send key; on the server side, it is the receive key.")
	mppeMagic3 = []byte("On the client side, this is the receive key; on the server side, it is the send key.")
	shsPad1    = make([]byte, 40)
	shsPad2    = []byte(strings.Repeat("\xf2", 40))
)

// GetMasterKey derives the MPPE master key (RFC 3079 section 3.4).
func GetMasterKey(passwordHashHash [16]byte, ntResponse [24]byte) [16]byte {
	h := sha1.New()
	h.Write(passwordHashHash[:])
	h.Write(ntResponse[:])
	h.Write(mppeMagic1)
	var sum [sha1.Size]byte
	h.Sum(sum[:0])
	return [16]byte(sum[:16])
}

// GetAsymmetricStartKey derives the send or receive key of one side
// (RFC 3079 section 3.4): n octets (8 or 16) of SHA-1(MasterKey | SHSpad1 |
// magic | SHSpad2), magic chosen by direction and side.
func GetAsymmetricStartKey(masterKey [16]byte, n int, isSend, isServer bool) []byte {
	magic := mppeMagic2
	if isSend == isServer {
		magic = mppeMagic3
	}
	h := sha1.New()
	h.Write(masterKey[:])
	h.Write(shsPad1)
	h.Write(magic)
	h.Write(shsPad2)
	return h.Sum(nil)[:n]
}

// MSCHAPv2MSK is the 32-octet MSK of EAP-MSCHAPv2 as hostapd and FreeRADIUS
// derive it: the server's MS-MPPE-Recv-Key then its MS-MPPE-Send-Key,
// 16 octets each (equally: the peer's send key then its receive key).
func MSCHAPv2MSK(password string, ntResponse [24]byte) []byte {
	mk := GetMasterKey(HashNTPasswordHash(NTPasswordHash(password)), ntResponse)
	msk := GetAsymmetricStartKey(mk, 16, false, true)
	return append(msk, GetAsymmetricStartKey(mk, 16, true, true)...)
}
