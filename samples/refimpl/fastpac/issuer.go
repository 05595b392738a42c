package fastpac

import (
	"io"
	"time"

	"github.com/sessionscope/sscope/dissect/eapfast"
)

// Issuer makes the PACs of one authority (an EAP-FAST server or a
// cluster of servers sharing master keys).
type Issuer struct {
	AID     []byte // A-ID, e.g. 16 random octets
	AIDInfo []byte // A-ID-Info, a name for people, e.g. "radius.lab.example"
	Sealer  *Sealer
	Rand    io.Reader // PAC-Keys
}

// NewIssuer builds an issuer with one master key (ID 1), both drawn from r.
func NewIssuer(aid, aidInfo []byte, r io.Reader) (*Issuer, error) {
	mk, err := NewMasterKey(1, r)
	if err != nil {
		return nil, err
	}
	return &Issuer{
		AID:     aid,
		AIDInfo: aidInfo,
		Sealer:  &Sealer{AID: aid, Keys: []MasterKey{mk}, Rand: r},
		Rand:    r,
	}, nil
}

// Issue makes a PAC of type t for identity, valid for lifetime from now,
// as the server sends it in a PAC TLV: PAC-Key, PAC-Opaque, and PAC-Info
// with PAC-Lifetime, A-ID, I-ID, A-ID-Info and PAC-Type. Every PAC gets a
// PAC-Key, authorization PACs too: a peer such as hostapd rejects a PAC
// TLV without one.
func (i *Issuer) Issue(t eapfast.PACType, identity string, now time.Time, lifetime time.Duration) (eapfast.PAC, error) {
	key := make([]byte, eapfast.PACKeyLen)
	if _, err := io.ReadFull(i.Rand, key); err != nil {
		return eapfast.PAC{}, err
	}
	expiry := now.Add(lifetime).Truncate(time.Second)
	opaque, err := i.Sealer.Seal(Contents{Type: t, Key: key, Identity: identity, Expiry: expiry})
	if err != nil {
		return eapfast.PAC{}, err
	}
	return eapfast.PAC{
		Mandatory: true,
		Key:       key,
		Opaque:    opaque,
		Info: &eapfast.PACInfo{
			Lifetime: uint32(expiry.Unix()),
			AID:      i.AID,
			IID:      []byte(identity),
			AIDInfo:  i.AIDInfo,
			Type:     t,
		},
	}, nil
}
