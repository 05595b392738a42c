package eapfast

import (
	"github.com/sessionscope/sscope/dissect"
)

// Key sizes of RFC 4851 section 5.
const (
	SessionKeySeedLen = 40 // session_key_seed, S-IMCK[0]
	SIMCKLen          = 40
	CMKLen            = 20
	ISKLen            = 32 // inner session key as fed to the IMCK derivation
	MSKLen            = 64
	EMSKLen           = 64
	imckLen           = SIMCKLen + CMKLen
)

// T-PRF labels of RFC 4851 section 5.
const (
	IMCKLabel = "Inner Methods Compound Keys"
	MSKLabel  = "Session Key Generating Function"
	EMSKLabel = "Extended Session Key Generating Function"
)

// InnerMethodKeys derives IMCK[j] = T-PRF(S-IMCK[j-1], "Inner Methods
// Compound Keys", ISK[j], 60) and returns S-IMCK[j] (its first 40 octets)
// and CMK[j] (its last 20). isk is the inner method's key, cut or padded
// with zeros to 32 octets; nil for a method that derives no key (EAP-GTC,
// a skipped method), which RFC 4851 section 5.2 and hostapd turn into 32
// zero octets.
func InnerMethodKeys(prevSIMCK, isk []byte) (simck, cmk []byte) {
	var seed [ISKLen]byte
	copy(seed[:], isk)
	imck := TPRF(prevSIMCK, IMCKLabel, seed[:], imckLen)
	return imck[:SIMCKLen:SIMCKLen], imck[SIMCKLen:]
}

// MSK derives the EAP-FAST MSK from the last S-IMCK (RFC 4851 section 5.4).
func MSK(simck []byte) []byte { return TPRF(simck, MSKLabel, nil, MSKLen) }

// EMSK derives the EAP-FAST EMSK from the last S-IMCK.
func EMSK(simck []byte) []byte { return TPRF(simck, EMSKLabel, nil, EMSKLen) }

// KeyChain follows the S-IMCK chain of one conversation: S-IMCK[0] is the
// session_key_seed, and each inner method (or each Crypto-Binding
// exchange) moves it one step.
type KeyChain struct {
	SIMCK []byte // S-IMCK[J]
	CMK   []byte // CMK[J]; nil before the first step
	J     int
}

// NewKeyChain starts a chain at S-IMCK[0] = sessionKeySeed (40 octets).
func NewKeyChain(sessionKeySeed []byte) *KeyChain {
	return &KeyChain{SIMCK: append([]byte(nil), sessionKeySeed...)}
}

// Next moves the chain one step with the inner method's key (nil: none)
// and returns CMK[J], the key of the Compound MAC of that step.
func (k *KeyChain) Next(isk []byte) []byte {
	k.SIMCK, k.CMK = InnerMethodKeys(k.SIMCK, isk)
	k.J++
	return k.CMK
}

// MSK is the conversation's MSK from the current S-IMCK.
func (k *KeyChain) MSK() []byte { return MSK(k.SIMCK) }

// EMSK is the conversation's EMSK from the current S-IMCK.
func (k *KeyChain) EMSK() []byte { return EMSK(k.SIMCK) }

// MSCHAPv2ISK is the ISK of an inner EAP-MSCHAPv2: the 16-octet master
// key the server sends with (MasterSendKey on the server, MasterReceiveKey
// on the peer; RFC 3079's "magic 3" key), then the one the server receives
// with. hostapd's eap_fast_get_phase2_key swaps the peer's MSCHAPv2 MSK
// into this order; FreeRADIUS's rlm_eap_fast builds it from the inner
// MS-MPPE-Send-Key then MS-MPPE-Recv-Key.
func MSCHAPv2ISK(serverSendKey, serverReceiveKey []byte) []byte {
	isk := make([]byte, ISKLen)
	copy(isk[:16], serverSendKey)
	copy(isk[16:], serverReceiveKey)
	return isk
}

// ProvisioningKeys is the extra key material after the TLS key_block of
// an anonymous provisioning tunnel (RFC 5422 section 3.3): the
// session_key_seed, and the MSCHAPv2 challenges that the inner
// EAP-MSCHAPv2 must use instead of random ones (server_challenge as the
// Authenticator Challenge, client_challenge as the Peer Challenge).
type ProvisioningKeys struct {
	SessionKeySeed  []byte
	ServerChallenge [16]byte
	ClientChallenge [16]byte
}

// ProvisioningKeyBlockLen is how many octets after the key_block
// ParseProvisioningKeys needs.
const ProvisioningKeyBlockLen = SessionKeySeedLen + 16 + 16

// ParseProvisioningKeys splits the 72 octets that follow the key_block.
func ParseProvisioningKeys(extra []byte) (ProvisioningKeys, error) {
	var k ProvisioningKeys
	if len(extra) < ProvisioningKeyBlockLen {
		return k, dissect.Errorf(dissect.Truncated, layer, -1, "provisioning key material of %d bytes, want %d", len(extra), ProvisioningKeyBlockLen)
	}
	k.SessionKeySeed = append([]byte(nil), extra[:SessionKeySeedLen]...)
	copy(k.ServerChallenge[:], extra[SessionKeySeedLen:])
	copy(k.ClientChallenge[:], extra[SessionKeySeedLen+16:])
	return k, nil
}
