package fastpac

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eapfast"
)

func TestStorePutGetRemove(t *testing.T) {
	iss := testIssuer(t, "store")
	var s Store
	add := func(ty eapfast.PACType, id string) PAC {
		tlv, err := iss.Issue(ty, id, testNow, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		p, err := FromTLV(tlv)
		if err != nil {
			t.Fatal(err)
		}
		s.Put(p)
		return p
	}
	tunnel := add(eapfast.PACTypeTunnel, "alice")
	machine := add(eapfast.PACTypeMachineAuthentication, "host/laptop-01")
	if got, ok := s.Get(iss.AID, eapfast.PACTypeTunnel); !ok || !bytes.Equal(got.Opaque, tunnel.Opaque) {
		t.Fatal("tunnel PAC not found")
	}
	if _, ok := s.Get([]byte("other"), eapfast.PACTypeTunnel); ok {
		t.Fatal("PAC of another authority returned")
	}
	newer := add(eapfast.PACTypeTunnel, "alice")
	if len(s.PACs()) != 2 {
		t.Fatalf("%d PACs after replacing the tunnel PAC", len(s.PACs()))
	}
	if got, _ := s.Get(iss.AID, eapfast.PACTypeTunnel); !bytes.Equal(got.Opaque, newer.Opaque) {
		t.Fatal("tunnel PAC not replaced")
	}
	if !s.Remove(iss.AID, eapfast.PACTypeTunnel) || s.Remove(iss.AID, eapfast.PACTypeTunnel) {
		t.Fatal("Remove")
	}
	if ps := s.PACs(); len(ps) != 1 || !bytes.Equal(ps[0].Opaque, machine.Opaque) {
		t.Fatal("wrong PAC removed")
	}
}

// A PAC file entry exactly as wpa_supplicant's eap_fast_save_pac writes it
// (its line order, lowercase hex, "-txt" renderings).
func TestMarshalPACFileLayout(t *testing.T) {
	e := eapfast.PACFileEntry{Type: eapfast.PACTypeTunnel, Key: bytes.Repeat([]byte{0xab}, 32), Opaque: []byte{1, 2},
		Info: []byte{0, 4, 0, 1, 9}, AID: []byte{9}, IID: []byte("al\nice"), AIDInfo: []byte("lab")}
	want := eapfast.PACFileHeader + "\n" +
		"START\n" +
		"PAC-Type=1\n" +
		"PAC-Key=" + string(bytes.Repeat([]byte("ab"), 32)) + "\n" +
		"PAC-Opaque=0102\n" +
		"PAC-Info=0004000109\n" +
		"A-ID=09\n" +
		"I-ID=616c0a696365\n" +
		"I-ID-txt=al?ice\n" +
		"A-ID-Info=6c6162\n" +
		"A-ID-Info-txt=lab\n" +
		"END\n"
	if got := string(MarshalPACFile([]eapfast.PACFileEntry{e})); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got := string(MarshalPACFile(nil)); got != eapfast.PACFileHeader+"\n" {
		t.Fatalf("empty store %q", got)
	}
}

func TestStoreFileRoundTrip(t *testing.T) {
	iss := testIssuer(t, "file")
	var s Store
	for _, ty := range []eapfast.PACType{eapfast.PACTypeTunnel, eapfast.PACTypeMachineAuthentication,
		eapfast.PACTypeUserAuthorization, eapfast.PACTypeMachineAuthorization} {
		tlv, err := iss.Issue(ty, "alice", testNow, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		p, err := FromTLV(tlv)
		if err != nil {
			t.Fatal(err)
		}
		s.Put(p)
	}
	text, err := s.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadStore(text)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.PACs(), s.PACs()) {
		t.Fatalf("round trip\n%+v\n%+v", back.PACs(), s.PACs())
	}
	again, _ := back.MarshalText()
	if !bytes.Equal(again, text) {
		t.Fatal("second write differs")
	}
	if _, err := ReadStore(text[:len(text)-4]); err == nil {
		t.Fatal("cut file accepted")
	}
}

// A file without PAC-Info (as older wpa_supplicant versions and the
// binary format give) still yields a usable PAC from the A-ID lines.
func TestFromFileEntryWithoutInfo(t *testing.T) {
	p, err := FromFileEntry(eapfast.PACFileEntry{Type: eapfast.PACTypeMachineAuthentication, Key: make([]byte, 32),
		Opaque: []byte{1}, AID: []byte{7}, IID: []byte("m"), AIDInfo: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	if p.Info.Type != eapfast.PACTypeMachineAuthentication || !bytes.Equal(p.Info.AID, []byte{7}) || string(p.Info.IID) != "m" {
		t.Fatalf("%+v", p)
	}
	if _, err := FromFileEntry(eapfast.PACFileEntry{Info: []byte{0, 4, 0, 9}}); err == nil {
		t.Fatal("damaged PAC-Info accepted")
	}
}
