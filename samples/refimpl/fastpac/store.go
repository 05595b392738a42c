package fastpac

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/sessionscope/sscope/dissect/eapfast"
)

// PAC is what a peer keeps of one provisioned PAC.
type PAC struct {
	Type   eapfast.PACType
	Key    []byte // PAC-Key, 32 octets
	Opaque []byte // PAC-Opaque, presented to the server as received
	Info   eapfast.PACInfo
}

// FromTLV turns a PAC TLV received in provisioning into a stored PAC. As
// RFC 5422 section 4.2 and hostapd require, the TLV must hold a PAC-Key,
// a PAC-Opaque and a PAC-Info with an A-ID.
func FromTLV(t eapfast.PAC) (PAC, error) {
	switch {
	case len(t.Key) != eapfast.PACKeyLen:
		return PAC{}, fmt.Errorf("fastpac: PAC TLV with a PAC-Key of %d bytes", len(t.Key))
	case len(t.Opaque) == 0:
		return PAC{}, errors.New("fastpac: PAC TLV without a PAC-Opaque")
	case t.Info == nil || len(t.Info.AID) == 0:
		return PAC{}, errors.New("fastpac: PAC TLV without a PAC-Info A-ID")
	}
	return PAC{Type: t.Info.PACType(), Key: clone(t.Key), Opaque: clone(t.Opaque), Info: *t.Info}, nil
}

// Expired reports whether the PAC-Info's lifetime has passed at now (a
// PAC without a lifetime never expires for the peer; the server decides).
func (p PAC) Expired(now time.Time) bool {
	return p.Info.Lifetime != 0 && !now.Before(p.Info.Expiry())
}

// FileEntry is the PAC as a wpa_supplicant PAC file stores it.
func (p PAC) FileEntry() eapfast.PACFileEntry {
	return eapfast.PACFileEntry{
		Type:    p.Type,
		Key:     p.Key,
		Opaque:  p.Opaque,
		Info:    p.Info.Marshal(),
		AID:     p.Info.AID,
		IID:     p.Info.IID,
		AIDInfo: p.Info.AIDInfo,
	}
}

// FromFileEntry rebuilds a PAC from a PAC file entry. The PAC-Info is
// decoded when the file has one; A-ID, I-ID and A-ID-Info lines fill
// what it lacks.
func FromFileEntry(e eapfast.PACFileEntry) (PAC, error) {
	p := PAC{Type: e.Type, Key: clone(e.Key), Opaque: clone(e.Opaque)}
	if len(e.Info) > 0 {
		info, err := eapfast.ParsePACInfo(e.Info)
		if err != nil {
			return PAC{}, err
		}
		p.Info = info
	}
	if p.Info.AID == nil {
		p.Info.AID = clone(e.AID)
	}
	if p.Info.IID == nil {
		p.Info.IID = clone(e.IID)
	}
	if p.Info.AIDInfo == nil {
		p.Info.AIDInfo = clone(e.AIDInfo)
	}
	if p.Info.Type == 0 {
		p.Info.Type = e.Type
	}
	return p, nil
}

// Store is a peer's PACs, at most one per authority (A-ID) and type, as
// in wpa_supplicant.
type Store struct {
	pacs []PAC
}

// Put adds p, replacing the PAC of the same A-ID and type.
func (s *Store) Put(p PAC) {
	for i := range s.pacs {
		if s.pacs[i].Type == p.Type && bytes.Equal(s.pacs[i].Info.AID, p.Info.AID) {
			s.pacs[i] = p
			return
		}
	}
	s.pacs = append(s.pacs, p)
}

// Get returns the PAC of the given authority and type.
func (s *Store) Get(aid []byte, t eapfast.PACType) (PAC, bool) {
	for _, p := range s.pacs {
		if p.Type == t && bytes.Equal(p.Info.AID, aid) {
			return p, true
		}
	}
	return PAC{}, false
}

// Remove drops the PAC of the given authority and type; it reports
// whether there was one.
func (s *Store) Remove(aid []byte, t eapfast.PACType) bool {
	for i, p := range s.pacs {
		if p.Type == t && bytes.Equal(p.Info.AID, aid) {
			s.pacs = append(s.pacs[:i], s.pacs[i+1:]...)
			return true
		}
	}
	return false
}

// PACs returns the stored PACs in the order they were first added.
func (s *Store) PACs() []PAC { return append([]PAC(nil), s.pacs...) }

// MarshalText writes the store as a wpa_supplicant PAC file.
func (s *Store) MarshalText() ([]byte, error) {
	es := make([]eapfast.PACFileEntry, len(s.pacs))
	for i, p := range s.pacs {
		es[i] = p.FileEntry()
	}
	return MarshalPACFile(es), nil
}

// ReadStore reads a wpa_supplicant PAC file (text or binary).
func ReadStore(b []byte) (*Store, error) {
	es, err := eapfast.ParsePACFile(b)
	if err != nil {
		return nil, err
	}
	s := new(Store)
	for _, e := range es {
		p, err := FromFileEntry(e)
		if err != nil {
			return nil, err
		}
		s.Put(p)
	}
	return s, nil
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}
