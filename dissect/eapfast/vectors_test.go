package eapfast

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"hash"
	"strings"
	"testing"
)

// RFC 4851 Appendix B.1 key derivation test vectors (the same bytes are
// hostapd's test_eap_fast and FreeRADIUS's __test_T_PRF).
var (
	rfcPACKey       = unhex("0B97390F37517809811EFD9C6E65942B632CE953893808BA360B037CD185E414")
	rfcServerRandom = unhex("3FFB11C46CBFA57A5440DAE822D311D3F76DE41DD933E5937097EBA9B366F42A")
	rfcClientRandom = unhex("000000026A66432A8D14432CEC582D2FC79C3364BA04AD3A5254D6A579AD1E00")
	rfcMasterSecret = unhex("4A1A512C0160BC023CCFBC833F03BC6488C1312F0BA9A27716A8D8E8BDC9D229" +
		"384B7A85BE164D2733D5247987B1C5A2")
	rfcKeyBlock = unhex("5959BE8E413A77748BB2E5D360AC4D35DFFBC81E9C249C8B0EC31D72C8849D57" +
		"48512E45976C8870BE5F01D364E74CBB1124E349E23BCDEF7AB305395D648A44" +
		"11B66988342E8E29D64B7D7217592805AFF9B7FF666DA1968F0B5E06467A4484" +
		"64C1C80C96440998FF92A8B4C6422871")
	rfcSessionKeySeed = unhex("D64B7D7217592805AFF9B7FF666DA1968F0B5E06467A448464C1C80C96440998FF92A8B4C6422871")
	rfcIMCK           = unhex("16153C3F2155EFD97F34AEC81A4E66804CC376F28AA96F96C2545F8CAB6502E1" +
		"18407B56BEEAA7C5765D8F0BC507C6B904D06956728B6BB815EC577B")
	rfcMSK = unhex("4D83A9BE6F8A74ED6A02660A634D2C33C2DA6015C637045190" +
		"3863DA543E14B92799181E07BF0F5A5E3C3293808C6C4967ED24FE4540A0595E37C2E9D05D0AE3")
	rfcEMSK = unhex("3AD4ABDB76B27F3BEA322C2B74F42855EF2DBA78C9572F0D06CD517C209398A9" +
		"76EA7021D70E255497EDB28AF6EDFD0A2AE7A15890105044B38285DB0614D2F9")
	rfcCryptoBinding = unhex("800C00380001010" + "0D86A8C683C3231A85663B64021FE21144EE75420792D4262C9BF537F54FDAC58" +
		"43246E3092176DCFE6E069EB33616ACC05C55BB7")
	rfcCompoundMAC = unhex("43246E3092176DCFE6E069EB33616ACC05C55BB7")
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// prf10 is the TLS 1.0 PRF (RFC 2246 section 5), written here only to
// check that the RFC's key_block carries the session_key_seed where
// RFC 4851 section 5.1 says.
func prf10(secret []byte, label string, seed []byte, n int) []byte {
	pHash := func(h func() hash.Hash, secret []byte) []byte {
		s := append([]byte(label), seed...)
		out := make([]byte, 0, n+32)
		a := s
		for len(out) < n {
			m := hmac.New(h, secret)
			m.Write(a)
			a = m.Sum(nil)
			m = hmac.New(h, secret)
			m.Write(a)
			m.Write(s)
			out = m.Sum(out)
		}
		return out[:n]
	}
	half := (len(secret) + 1) / 2
	out := pHash(md5.New, secret[:half])
	for i, b := range pHash(sha1.New, secret[len(secret)-half:]) {
		out[i] ^= b
	}
	return out
}

func TestRFC4851KeyDerivationVectors(t *testing.T) {
	var sr, cr [32]byte
	copy(sr[:], rfcServerRandom)
	copy(cr[:], rfcClientRandom)
	if got := MasterSecretFromPACKey(rfcPACKey, sr, cr); !bytes.Equal(got, rfcMasterSecret) {
		t.Fatalf("master_secret\n got %X\nwant %X", got, rfcMasterSecret)
	}
	seed := append(append([]byte(nil), rfcServerRandom...), rfcClientRandom...)
	kb := prf10(rfcMasterSecret, "key expansion", seed, len(rfcKeyBlock))
	if !bytes.Equal(kb, rfcKeyBlock) {
		t.Fatalf("key_block\n got %X\nwant %X", kb, rfcKeyBlock)
	}
	if sks := kb[len(kb)-SessionKeySeedLen:]; !bytes.Equal(sks, rfcSessionKeySeed) {
		t.Fatalf("session_key_seed %X, want %X", sks, rfcSessionKeySeed)
	}

	simck, cmk := InnerMethodKeys(rfcSessionKeySeed, nil) // ISK = 32 zeros
	if !bytes.Equal(simck, rfcIMCK[:40]) || !bytes.Equal(cmk, rfcIMCK[40:]) {
		t.Fatalf("IMCK\n got %X %X\nwant %X", simck, cmk, rfcIMCK)
	}
	if got := MSK(simck); !bytes.Equal(got, rfcMSK) {
		t.Fatalf("MSK\n got %X\nwant %X", got, rfcMSK)
	}
	if got := EMSK(simck); !bytes.Equal(got, rfcEMSK) {
		t.Fatalf("EMSK\n got %X\nwant %X", got, rfcEMSK)
	}

	// The same through the KeyChain, with an explicit zero ISK.
	k := NewKeyChain(rfcSessionKeySeed)
	if got := k.Next(make([]byte, ISKLen)); !bytes.Equal(got, rfcIMCK[40:]) || k.J != 1 {
		t.Fatalf("KeyChain CMK[1] %X (J=%d)", got, k.J)
	}
	if !bytes.Equal(k.MSK(), rfcMSK) || !bytes.Equal(k.EMSK(), rfcEMSK) {
		t.Fatal("KeyChain MSK/EMSK differ from the vectors")
	}
	// A different ISK moves the chain elsewhere.
	k2 := NewKeyChain(rfcSessionKeySeed)
	k2.Next(bytes.Repeat([]byte{1}, 32))
	if bytes.Equal(k2.SIMCK, k.SIMCK) {
		t.Fatal("ISK ignored")
	}
}

func TestRFC4851CompoundMACVector(t *testing.T) {
	cmk := rfcIMCK[40:]
	tlvs, err := Parse(rfcCryptoBinding)
	if err != nil || len(tlvs) != 1 {
		t.Fatalf("Parse: %v %v", tlvs, err)
	}
	if !VerifyCompoundMAC(cmk, tlvs[0].Raw) {
		t.Fatal("the RFC's Crypto-Binding TLV does not verify")
	}
	var cb CryptoBinding
	if err := cb.Unmarshal(rfcCryptoBinding); err != nil {
		t.Fatal(err)
	}
	if cb.Version != 1 || cb.ReceivedVersion != 1 || cb.SubType != CryptoBindingRequest || cb.Reserved != 0 {
		t.Fatalf("fields %+v", cb)
	}
	if !bytes.Equal(cb.CompoundMAC[:], rfcCompoundMAC) {
		t.Fatalf("MAC %X", cb.CompoundMAC)
	}
	if !bytes.Equal(cb.Marshal(), rfcCryptoBinding) {
		t.Fatalf("Marshal %X", cb.Marshal())
	}
	if !cb.Verify(cmk) {
		t.Fatal("Verify failed")
	}
	signed := cb
	signed.CompoundMAC = [20]byte{}
	signed.Sign(cmk)
	if signed.CompoundMAC != cb.CompoundMAC {
		t.Fatalf("Sign %X", signed.CompoundMAC)
	}
	// One flipped bit anywhere breaks it.
	for i := range rfcCryptoBinding {
		bad := append([]byte(nil), rfcCryptoBinding...)
		bad[i] ^= 0x10
		if VerifyCompoundMAC(cmk, bad) {
			t.Fatalf("flipped byte %d still verifies", i)
		}
	}
	if VerifyCompoundMAC(rfcIMCK[:20], rfcCryptoBinding) {
		t.Fatal("wrong key verifies")
	}
	if VerifyCompoundMAC(cmk, rfcCryptoBinding[:59]) || CompoundMAC(cmk, nil) != nil {
		t.Fatal("short TLV accepted")
	}
}

func TestNonces(t *testing.T) {
	var r [32]byte
	for i := range r {
		r[i] = 0xff
	}
	s := ServerNonce(r)
	if s[31] != 0xfe || s[0] != 0xff {
		t.Fatalf("server nonce %X", s)
	}
	c := ResponseNonce(s)
	if c[31] != 0xff || !NoncesMatch(s, c) {
		t.Fatalf("response nonce %X", c)
	}
	if NoncesMatch(c, c) || NoncesMatch(s, s) {
		t.Fatal("a nonce answering itself matched")
	}
	c[3] ^= 1
	if NoncesMatch(s, c) {
		t.Fatal("altered response matched")
	}
}

func TestTPRFBounds(t *testing.T) {
	if TPRF([]byte("k"), "l", nil, 0) != nil || TPRF([]byte("k"), "l", nil, MaxTPRFLen+1) != nil {
		t.Fatal("out-of-range length accepted")
	}
	long := TPRF([]byte("k"), "l", []byte("s"), MaxTPRFLen)
	if len(long) != MaxTPRFLen {
		t.Fatalf("len %d", len(long))
	}
	// A shorter output is a prefix only when L is the same: L is part of
	// every block, so different lengths give different streams.
	if bytes.Equal(TPRF([]byte("k"), "l", []byte("s"), 20), long[:20]) {
		t.Fatal("output length not mixed into the blocks")
	}
}

func TestMSCHAPv2ISKOrder(t *testing.T) {
	send := bytes.Repeat([]byte{0xaa}, 16)
	recv := bytes.Repeat([]byte{0xbb}, 16)
	isk := MSCHAPv2ISK(send, recv)
	if len(isk) != ISKLen || !bytes.Equal(isk[:16], send) || !bytes.Equal(isk[16:], recv) {
		t.Fatalf("ISK %X", isk)
	}
}

func TestParseProvisioningKeys(t *testing.T) {
	extra := make([]byte, ProvisioningKeyBlockLen)
	for i := range extra {
		extra[i] = byte(i)
	}
	k, err := ParseProvisioningKeys(extra)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.SessionKeySeed, extra[:40]) || k.ServerChallenge[0] != 40 || k.ClientChallenge[15] != 71 {
		t.Fatalf("%+v", k)
	}
	if _, err := ParseProvisioningKeys(extra[:71]); err == nil {
		t.Fatal("short key material accepted")
	}
}
