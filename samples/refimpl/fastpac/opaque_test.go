package fastpac

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
)

var testNow = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func testIssuer(t *testing.T, seed string) *Issuer {
	t.Helper()
	i, err := NewIssuer([]byte("0123456789abcdef"), []byte("radius.lab.example"), detrand.New(seed))
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func TestSealOpen(t *testing.T) {
	iss := testIssuer(t, "seal")
	c := Contents{Type: eapfast.PACTypeMachineAuthentication, Key: bytes.Repeat([]byte{3}, 32),
		Identity: "host/laptop-01.lab.example", Expiry: testNow.Add(90 * 24 * time.Hour)}
	op, err := iss.Sealer.Seal(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := iss.Sealer.Open(op)
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != c.Type || !bytes.Equal(got.Key, c.Key) || got.Identity != c.Identity || !got.Expiry.Equal(c.Expiry) {
		t.Fatalf("opened %+v", got)
	}
	if got.Expired(testNow) || !got.Expired(c.Expiry) {
		t.Fatal("Expired")
	}
	// The PAC-Key must not appear in clear.
	if bytes.Contains(op, c.Key[:8]) || bytes.Contains(op, []byte("laptop")) {
		t.Fatal("PAC-Opaque leaks its contents")
	}
	// Decrypt by hand, following the documented layout.
	block, _ := aes.NewCipher(iss.Sealer.Keys[0].Key[:])
	aead, _ := cipher.NewGCM(block)
	aad := append(append([]byte(nil), op[:5]...), iss.AID...)
	plain, err := aead.Open(nil, op[5:17], op[17:], aad)
	if err != nil || op[0] != 1 || op[4] != 1 {
		t.Fatalf("layout: %v %x", err, op[:5])
	}
	if plain[0] != 0 || plain[1] != 2 || plain[10] != 32 || !bytes.Equal(plain[11:43], c.Key) || string(plain[44:]) != c.Identity {
		t.Fatalf("plaintext %x", plain)
	}
}

func TestOpenRejects(t *testing.T) {
	iss := testIssuer(t, "reject")
	op, err := iss.Sealer.Seal(Contents{Type: eapfast.PACTypeTunnel, Key: make([]byte, 32), Identity: "alice", Expiry: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for i := range op {
		bad := append([]byte(nil), op...)
		bad[i] ^= 0x01
		if _, err := iss.Sealer.Open(bad); err == nil {
			t.Fatalf("flipped byte %d accepted", i)
		}
	}
	for n := 0; n < len(op); n++ {
		if _, err := iss.Sealer.Open(op[:n]); err == nil {
			t.Fatalf("%d-byte prefix accepted", n)
		}
	}
	other := &Sealer{AID: []byte("another-authority"), Keys: iss.Sealer.Keys}
	if _, err := other.Open(op); !errors.Is(err, ErrOpaqueForged) {
		t.Fatalf("other A-ID: %v", err)
	}
	stranger := testIssuer(t, "stranger")
	stranger.Sealer.Keys[0].ID = 2
	if _, err := stranger.Sealer.Open(op); !errors.Is(err, ErrOpaqueUnknownKey) {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := iss.Sealer.Open(append([]byte{2}, op[1:]...)); !errors.Is(err, ErrOpaqueMalformed) {
		t.Fatalf("version 2: %v", err)
	}
}

func TestMasterKeyRotation(t *testing.T) {
	iss := testIssuer(t, "rotate")
	old, err := iss.Sealer.Seal(Contents{Type: eapfast.PACTypeTunnel, Key: make([]byte, 32), Identity: "a", Expiry: testNow})
	if err != nil {
		t.Fatal(err)
	}
	mk, err := NewMasterKey(2, detrand.New("rotate-2"))
	if err != nil {
		t.Fatal(err)
	}
	iss.Sealer.Keys = append([]MasterKey{mk}, iss.Sealer.Keys...)
	fresh, err := iss.Sealer.Seal(Contents{Type: eapfast.PACTypeTunnel, Key: make([]byte, 32), Identity: "a", Expiry: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if fresh[4] != 2 {
		t.Fatalf("new PACs not sealed with the newest key: id %d", fresh[4])
	}
	for _, op := range [][]byte{old, fresh} {
		if _, err := iss.Sealer.Open(op); err != nil {
			t.Fatal(err)
		}
	}
	iss.Sealer.Keys = iss.Sealer.Keys[:1] // the old key is gone
	if _, err := iss.Sealer.Open(old); !errors.Is(err, ErrOpaqueUnknownKey) {
		t.Fatalf("old PAC after its key was dropped: %v", err)
	}
}

func TestSealLimits(t *testing.T) {
	iss := testIssuer(t, "limits")
	long := string(bytes.Repeat([]byte{'x'}, 254))
	if _, err := iss.Sealer.Seal(Contents{Identity: long}); err == nil {
		t.Fatal("254-byte identity sealed")
	}
	if _, err := (&Sealer{Rand: detrand.New("x")}).Seal(Contents{}); err == nil {
		t.Fatal("sealed without a master key")
	}
}

func TestIssueDeterministic(t *testing.T) {
	a, b := testIssuer(t, "same"), testIssuer(t, "same")
	pa, err := a.Issue(eapfast.PACTypeTunnel, "alice", testNow, 90*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := b.Issue(eapfast.PACTypeTunnel, "alice", testNow, 90*24*time.Hour)
	if !bytes.Equal(pa.Marshal(), pb.Marshal()) {
		t.Fatal("same seed, different PACs")
	}
	pc, _ := a.Issue(eapfast.PACTypeTunnel, "alice", testNow, 90*24*time.Hour)
	if bytes.Equal(pa.Key, pc.Key) || bytes.Equal(pa.Opaque, pc.Opaque) {
		t.Fatal("two PACs share a key or an opaque")
	}
}

func TestIssuedPACThroughTheWire(t *testing.T) {
	iss := testIssuer(t, "wire")
	p, err := iss.Issue(eapfast.PACTypeUserAuthorization, "alice", testNow, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var got eapfast.PAC
	if err := got.Unmarshal(p.Marshal()); err != nil {
		t.Fatal(err)
	}
	stored, err := FromTLV(got)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Type != eapfast.PACTypeUserAuthorization || string(stored.Info.IID) != "alice" ||
		string(stored.Info.AIDInfo) != "radius.lab.example" || !bytes.Equal(stored.Info.AID, iss.AID) {
		t.Fatalf("stored %+v", stored)
	}
	if !stored.Info.Expiry().Equal(testNow.Add(time.Hour)) || stored.Expired(testNow) || !stored.Expired(testNow.Add(time.Hour)) {
		t.Fatalf("lifetime %v", stored.Info.Expiry())
	}
	c, err := iss.Sealer.Open(stored.Opaque)
	if err != nil || !bytes.Equal(c.Key, stored.Key) || c.Identity != "alice" || c.Type != stored.Type || !c.Expiry.Equal(stored.Info.Expiry()) {
		t.Fatalf("server view %+v %v", c, err)
	}
}

func TestFromTLVRequiresTheFields(t *testing.T) {
	good := eapfast.PAC{Key: make([]byte, 32), Opaque: []byte{1}, Info: &eapfast.PACInfo{AID: []byte{1}}}
	if p, err := FromTLV(good); err != nil || p.Type != eapfast.PACTypeTunnel {
		t.Fatalf("%+v %v", p, err)
	}
	for _, bad := range []eapfast.PAC{
		{Key: make([]byte, 31), Opaque: []byte{1}, Info: good.Info},
		{Key: make([]byte, 32), Info: good.Info},
		{Key: make([]byte, 32), Opaque: []byte{1}},
		{Key: make([]byte, 32), Opaque: []byte{1}, Info: &eapfast.PACInfo{}},
	} {
		if _, err := FromTLV(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}
