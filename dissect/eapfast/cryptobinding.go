package eapfast

import (
	"crypto/hmac"
	"crypto/sha1"
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// CryptoBindingSubType tells a server's Crypto-Binding TLV from the
// peer's answer.
type CryptoBindingSubType uint8

// Sub-types (RFC 4851 section 4.2.8).
const (
	CryptoBindingRequest  CryptoBindingSubType = 0
	CryptoBindingResponse CryptoBindingSubType = 1
)

func (s CryptoBindingSubType) String() string {
	switch s {
	case CryptoBindingRequest:
		return "Binding Request"
	case CryptoBindingResponse:
		return "Binding Response"
	}
	return "SubType-" + strconv.Itoa(int(s))
}

// Version is the EAP-FAST version this package speaks (RFC 4851), the
// value of the Crypto-Binding TLV's Version fields.
const Version = 1

// Sizes of the Crypto-Binding TLV.
const (
	NonceLen          = 32
	CompoundMACLen    = sha1.Size
	cryptoBindingLen  = 4 + NonceLen + CompoundMACLen // value length: 56
	compoundMACOffset = headerLen + 4 + NonceLen      // in the whole TLV
)

// CryptoBinding is the Crypto-Binding TLV (type 12, RFC 4851 section
// 4.2.8), always mandatory. It proves that the peer and the server that
// ran the inner method are the ends of the tunnel: the Compound MAC is an
// HMAC-SHA1 keyed with CMK[j] over the whole TLV with the MAC zeroed.
type CryptoBinding struct {
	Reserved        uint8
	Version         uint8
	ReceivedVersion uint8
	SubType         CryptoBindingSubType
	Nonce           [NonceLen]byte
	CompoundMAC     [CompoundMACLen]byte
}

// TLVType returns TypeCryptoBinding.
func (CryptoBinding) TLVType() TLVType { return TypeCryptoBinding }

// Marshal encodes the TLV (60 octets) with the M bit set.
func (c CryptoBinding) Marshal() []byte {
	var b cryptobyte.Builder
	b.AddUint16(mandatoryBit | uint16(TypeCryptoBinding))
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint8(c.Reserved)
		b.AddUint8(c.Version)
		b.AddUint8(c.ReceivedVersion)
		b.AddUint8(uint8(c.SubType))
		b.AddBytes(c.Nonce[:])
		b.AddBytes(c.CompoundMAC[:])
	})
	return b.BytesOrPanic() // fixed size: cannot fail
}

// Unmarshal decodes one whole Crypto-Binding TLV.
func (c *CryptoBinding) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypeCryptoBinding)
	if err != nil {
		return err
	}
	return c.decode(t.Value)
}

func (c *CryptoBinding) decode(v []byte) error {
	if len(v) != cryptoBindingLen {
		return lengthError(TypeCryptoBinding, len(v), strconv.Itoa(cryptoBindingLen))
	}
	s := cryptobyte.String(v)
	var sub uint8
	var nonce, mac []byte
	if !s.ReadUint8(&c.Reserved) || !s.ReadUint8(&c.Version) || !s.ReadUint8(&c.ReceivedVersion) ||
		!s.ReadUint8(&sub) || !s.ReadBytes(&nonce, NonceLen) || !s.ReadBytes(&mac, CompoundMACLen) {
		return dissect.Errorf(dissect.Truncated, layer, headerLen, "Crypto-Binding TLV shorter than its fields")
	}
	c.SubType = CryptoBindingSubType(sub)
	copy(c.Nonce[:], nonce)
	copy(c.CompoundMAC[:], mac)
	return nil
}

// Sign computes the Compound MAC with cmk (CMK[j], 20 octets) and stores it.
func (c *CryptoBinding) Sign(cmk []byte) {
	c.CompoundMAC = [CompoundMACLen]byte{}
	copy(c.CompoundMAC[:], CompoundMAC(cmk, c.Marshal()))
}

// Verify reports whether the Compound MAC is the one cmk gives for this
// TLV as Marshal encodes it. To verify received bytes exactly as they
// were sent, use VerifyCompoundMAC on the TLV's Raw bytes.
func (c CryptoBinding) Verify(cmk []byte) bool {
	return VerifyCompoundMAC(cmk, c.Marshal())
}

// CompoundMAC returns HMAC-SHA1(cmk, tlv with its Compound MAC zeroed),
// where tlv is a whole Crypto-Binding TLV (header included). It returns
// nil if tlv is not 60 octets long.
func CompoundMAC(cmk, tlv []byte) []byte {
	if len(tlv) != headerLen+cryptoBindingLen {
		return nil
	}
	zeroed := make([]byte, len(tlv))
	copy(zeroed, tlv[:compoundMACOffset])
	m := hmac.New(sha1.New, cmk)
	m.Write(zeroed)
	return m.Sum(nil)
}

// VerifyCompoundMAC checks the Compound MAC of a whole received
// Crypto-Binding TLV (e.g. TLV.Raw) in constant time.
func VerifyCompoundMAC(cmk, tlv []byte) bool {
	want := CompoundMAC(cmk, tlv)
	return want != nil && hmac.Equal(want, tlv[compoundMACOffset:])
}

// ServerNonce turns 32 random octets into the nonce of a server's
// Crypto-Binding request: RFC 4851 section 4.2.8 wants its least
// significant bit 0.
func ServerNonce(random [NonceLen]byte) [NonceLen]byte {
	random[NonceLen-1] &^= 1
	return random
}

// ResponseNonce is the nonce the peer returns: the server's with the least
// significant bit set to 1 (hostapd increments the whole nonce, which is
// the same for a nonce whose last bit is 0).
func ResponseNonce(server [NonceLen]byte) [NonceLen]byte {
	server[NonceLen-1] |= 1
	return server
}

// NoncesMatch reports whether resp is the peer's answer to the server's
// nonce req: equal except for the least significant bit, which is 0 in
// req and 1 in resp.
func NoncesMatch(req, resp [NonceLen]byte) bool {
	return req[NonceLen-1]&1 == 0 && resp == ResponseNonce(req)
}
