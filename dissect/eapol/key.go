package eapol

import (
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// KeyDescriptorType is the first byte of an EAPOL-Key body.
type KeyDescriptorType uint8

// Key descriptor types.
const (
	DescriptorRC4 KeyDescriptorType = 1   // 802.1X-2001 RC4 (WEP era)
	DescriptorRSN KeyDescriptorType = 2   // IEEE 802.11 (RSN / WPA2 / WPA3)
	DescriptorWPA KeyDescriptorType = 254 // pre-standard WPA
)

func (d KeyDescriptorType) String() string {
	switch d {
	case DescriptorRC4:
		return "RC4"
	case DescriptorRSN:
		return "RSN"
	case DescriptorWPA:
		return "WPA"
	}
	return "Descriptor-" + strconv.Itoa(int(d))
}

// KeyInfo is the Key Information field of an 802.11 key descriptor
// (IEEE 802.11-2020 §12.7.2).
type KeyInfo uint16

// Key Information bits.
const (
	KeyInfoVersionMask KeyInfo = 0x0007 // 1 HMAC-MD5/RC4, 2 HMAC-SHA1/AES, 3 AES-CMAC/AES
	KeyInfoPairwise    KeyInfo = 0x0008 // Key Type: 1 pairwise, 0 group
	KeyInfoIndexMask   KeyInfo = 0x0030 // WPA only
	KeyInfoInstall     KeyInfo = 0x0040
	KeyInfoAck         KeyInfo = 0x0080
	KeyInfoMIC         KeyInfo = 0x0100
	KeyInfoSecure      KeyInfo = 0x0200
	KeyInfoError       KeyInfo = 0x0400
	KeyInfoRequest     KeyInfo = 0x0800
	KeyInfoEncrypted   KeyInfo = 0x1000 // Encrypted Key Data
	KeyInfoSMK         KeyInfo = 0x2000
)

// Version returns the key descriptor version bits.
func (k KeyInfo) Version() uint8 { return uint8(k & KeyInfoVersionMask) }

// Has reports whether every bit of x is set.
func (k KeyInfo) Has(x KeyInfo) bool { return k&x == x }

// String lists the set flags by name, e.g. "Pairwise|Install|Ack|MIC|Secure".
func (k KeyInfo) String() string {
	names := []struct {
		bit  KeyInfo
		name string
	}{{KeyInfoPairwise, "Pairwise"}, {KeyInfoInstall, "Install"}, {KeyInfoAck, "Ack"}, {KeyInfoMIC, "MIC"},
		{KeyInfoSecure, "Secure"}, {KeyInfoError, "Error"}, {KeyInfoRequest, "Request"},
		{KeyInfoEncrypted, "EncryptedKeyData"}, {KeyInfoSMK, "SMK"}}
	s := "v" + strconv.Itoa(int(k.Version()))
	for _, n := range names {
		if k&n.bit != 0 {
			s += "|" + n.name
		}
	}
	return s
}

// Key is the body of an EAPOL-Key frame. For the 802.11 descriptors (RSN,
// WPA) the fields after DescriptorType up to KeyData are filled; for RC4,
// KeyLength, ReplayCounter, IV, KeyIndex, Signature and KeyData (the key).
type Key struct {
	DescriptorType KeyDescriptorType
	Info           KeyInfo
	KeyLength      uint16
	ReplayCounter  uint64
	Nonce          []byte // 32 bytes
	IV             []byte // 16 bytes
	RSC            []byte // 8 bytes
	Reserved       []byte // 8 bytes (Key ID in WPA)
	MIC            []byte // 16 bytes (24 with the 192-bit suites)
	KeyData        []byte

	KeyIndex  uint8  // RC4
	Signature []byte // RC4, 16 bytes
}

const (
	nonceLen    = 32
	ivLen       = 16
	rscLen      = 8
	reservedLen = 8
	micLen      = 16
	micLen192   = 24
	rsnFixedLen = 1 + 2 + 2 + 8 + nonceLen + ivLen + rscLen + reservedLen // up to the MIC
)

// DecodeFromBytes decodes an EAPOL-Key body. The MIC is 16 bytes unless only
// 24 makes the Key Data Length fit. Bytes after Key Data are reported
// (Malformed) with every field decoded.
func (k *Key) DecodeFromBytes(body []byte) error {
	*k = Key{}
	s := cryptobyte.String(body)
	var d uint8
	if !s.ReadUint8(&d) {
		return dissect.Errorf(dissect.Truncated, layer, headerLen, "empty EAPOL-Key body")
	}
	k.DescriptorType = KeyDescriptorType(d)
	switch k.DescriptorType {
	case DescriptorRC4:
		if !s.ReadUint16(&k.KeyLength) || !s.ReadUint64(&k.ReplayCounter) || !s.ReadBytes(&k.IV, ivLen) ||
			!s.ReadUint8(&k.KeyIndex) || !s.ReadBytes(&k.Signature, micLen) {
			return dissect.Errorf(dissect.Truncated, layer, headerLen, "RC4 key descriptor needs 44 bytes, %d", len(body))
		}
		k.KeyData = nonEmpty(s)
		return nil
	case DescriptorRSN, DescriptorWPA:
	default:
		return dissect.Errorf(dissect.Unsupported, layer, headerLen, "key descriptor type %d", d)
	}
	var info uint16
	if !s.ReadUint16(&info) || !s.ReadUint16(&k.KeyLength) || !s.ReadUint64(&k.ReplayCounter) ||
		!s.ReadBytes(&k.Nonce, nonceLen) || !s.ReadBytes(&k.IV, ivLen) || !s.ReadBytes(&k.RSC, rscLen) ||
		!s.ReadBytes(&k.Reserved, reservedLen) {
		k.Info = KeyInfo(info)
		return dissect.Errorf(dissect.Truncated, layer, headerLen, "802.11 key descriptor needs %d bytes before the MIC, %d", rsnFixedLen, len(body))
	}
	k.Info = KeyInfo(info)
	mic := micLen
	if fits(s, micLen192) && !fits(s, micLen) {
		mic = micLen192
	}
	var kd cryptobyte.String
	if !s.ReadBytes(&k.MIC, mic) || !s.ReadUint16LengthPrefixed(&kd) {
		return dissect.Errorf(dissect.Truncated, layer, headerLen+rsnFixedLen, "MIC and Key Data cut short (%d bytes left)", len(body)-rsnFixedLen)
	}
	k.KeyData = nonEmpty(kd)
	if !s.Empty() {
		return dissect.Errorf(dissect.Malformed, layer, headerLen+len(body)-len(s), "%d bytes after Key Data", len(s))
	}
	return nil
}

// fits reports whether, with a MIC of n bytes, the Key Data Length matches
// the bytes left exactly.
func fits(s cryptobyte.String, n int) bool {
	if len(s) < n+2 {
		return false
	}
	l := int(s[n])<<8 | int(s[n+1])
	return len(s) == n+2+l
}

// Marshal encodes the key descriptor body. Fixed-size fields shorter than
// their size are zero-padded; MIC is 16 bytes unless it is 24 long.
func (k *Key) Marshal() []byte {
	b := []byte{byte(k.DescriptorType)}
	if k.DescriptorType == DescriptorRC4 {
		b = append(b, byte(k.KeyLength>>8), byte(k.KeyLength))
		b = appendUint64(b, k.ReplayCounter)
		b = appendFixed(b, k.IV, ivLen)
		b = append(b, k.KeyIndex)
		b = appendFixed(b, k.Signature, micLen)
		return append(b, k.KeyData...)
	}
	b = append(b, byte(k.Info>>8), byte(k.Info), byte(k.KeyLength>>8), byte(k.KeyLength))
	b = appendUint64(b, k.ReplayCounter)
	b = appendFixed(b, k.Nonce, nonceLen)
	b = appendFixed(b, k.IV, ivLen)
	b = appendFixed(b, k.RSC, rscLen)
	b = appendFixed(b, k.Reserved, reservedLen)
	mic := micLen
	if len(k.MIC) == micLen192 {
		mic = micLen192
	}
	b = appendFixed(b, k.MIC, mic)
	kd := k.KeyData
	if len(kd) > 0xffff {
		kd = kd[:0xffff]
	}
	b = append(b, byte(len(kd)>>8), byte(len(kd)))
	return append(b, kd...)
}

func appendUint64(b []byte, v uint64) []byte {
	return append(b, byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func appendFixed(dst, v []byte, n int) []byte {
	if len(v) > n {
		v = v[:n]
	}
	dst = append(dst, v...)
	for i := len(v); i < n; i++ {
		dst = append(dst, 0)
	}
	return dst
}

// HandshakeMessage names the 802.11 key handshake message this descriptor
// is: "4-way 1/4" … "4-way 4/4", "group 1/2", "group 2/2", "request"; ""
// for RC4 descriptors or an unrecognised combination.
func (k *Key) HandshakeMessage() string {
	if k.DescriptorType != DescriptorRSN && k.DescriptorType != DescriptorWPA {
		return ""
	}
	i := k.Info
	if i.Has(KeyInfoRequest) {
		return "request"
	}
	if i.Has(KeyInfoPairwise) {
		switch {
		case i.Has(KeyInfoAck) && !i.Has(KeyInfoMIC):
			return "4-way 1/4"
		case i.Has(KeyInfoAck) && i.Has(KeyInfoMIC) && i.Has(KeyInfoInstall):
			return "4-way 3/4"
		case !i.Has(KeyInfoAck) && i.Has(KeyInfoMIC):
			// 2/4 carries the supplicant nonce and the RSN IE; 4/4 carries
			// neither (and, in RSN, has Secure set).
			if i.Has(KeyInfoSecure) || (len(k.KeyData) == 0 && allZero(k.Nonce)) {
				return "4-way 4/4"
			}
			return "4-way 2/4"
		}
		return ""
	}
	switch {
	case i.Has(KeyInfoAck) && i.Has(KeyInfoMIC):
		return "group 1/2"
	case !i.Has(KeyInfoAck) && i.Has(KeyInfoMIC):
		return "group 2/2"
	}
	return ""
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
