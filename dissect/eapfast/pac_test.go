package eapfast

import (
	"bytes"
	"reflect"
	"testing"
	"time"
)

// The byte layouts below are written out by hand from hostapd's
// builders (eap_peer/eap_fast.c eap_fast_tlv_pac_ack and
// eap_fast_write_pac_request, eap_server/eap_server_fast.c
// eap_fast_build_pac), an implementation independent of this one.

func TestPACAcknowledgementAsHostapd(t *testing.T) {
	hostapd := unhex("800b0006" + "00080002" + "0001")
	got := PAC{Mandatory: true, Ack: StatusSuccess}.Marshal()
	if !bytes.Equal(got, hostapd) {
		t.Fatalf("Marshal %x, hostapd %x", got, hostapd)
	}
	var p PAC
	if err := p.Unmarshal(hostapd); err != nil || p.Ack != StatusSuccess || !p.Mandatory || p.Key != nil || p.Info != nil {
		t.Fatalf("%+v %v", p, err)
	}
}

func TestPACRequestAsHostapd(t *testing.T) {
	hostapd := unhex("00130002" + "0001" + "000b0006" + "000a0002" + "0001")
	got := append(RequestAction{Action: ActionProcessTLV}.Marshal(), PAC{Type: PACTypeTunnel}.Marshal()...)
	if !bytes.Equal(got, hostapd) {
		t.Fatalf("Marshal %x, hostapd %x", got, hostapd)
	}
	_, vals, err := ParseValues(hostapd)
	if err != nil || len(vals) != 2 {
		t.Fatal(err)
	}
	if ra := vals[0].(*RequestAction); ra.Action != ActionProcessTLV || ra.Mandatory {
		t.Fatalf("%+v", ra)
	}
	if p := vals[1].(*PAC); p.Type != PACTypeTunnel || p.Info != nil {
		t.Fatalf("%+v", p)
	}
}

func TestPACProvisioningAsHostapd(t *testing.T) {
	key := bytes.Repeat([]byte{0x5a}, 32)
	opaque := unhex("0102030405060708")
	hostapd := unhex("800b" + "0067" + // PAC TLV, mandatory, 103 bytes
		"00010020" + "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a" +
		"00020008" + "0102030405060708" +
		"00090033" + // PAC-Info, 51 bytes
		"00030004" + "65a4c2c0" + // PAC-Lifetime 1705296576
		"00040010" + "00112233445566778899aabbccddeeff" + // A-ID
		"00050005" + "616c696365" + // I-ID "alice"
		"00070004" + "6c616221" + // A-ID-Info "lab!"
		"000a0002" + "0001") // PAC-Type tunnel
	p := PAC{Mandatory: true, Key: key, Opaque: opaque, Info: &PACInfo{
		Lifetime: 0x65a4c2c0, AID: unhex("00112233445566778899aabbccddeeff"),
		IID: []byte("alice"), AIDInfo: []byte("lab!"), Type: PACTypeTunnel}}
	if got := p.Marshal(); !bytes.Equal(got, hostapd) {
		t.Fatalf("Marshal\n%x\nhostapd\n%x", got, hostapd)
	}
	var back PAC
	if err := back.Unmarshal(hostapd); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Fatalf("Unmarshal %+v", back)
	}
	if back.Info.Expiry() != time.Unix(0x65a4c2c0, 0).UTC() || back.Info.PACType() != PACTypeTunnel {
		t.Fatal("PAC-Info accessors")
	}
}

func TestPACAttributeBitsAndUnknowns(t *testing.T) {
	// M bit on an attribute type is ignored (hostapd masks it); unknown
	// attributes are kept in order and written back.
	b := unhex("000b0012" + "80020002" + "abcd" + "00060001" + "ee" + "00630003" + "010203")
	var p PAC
	if err := p.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.Opaque, []byte{0xab, 0xcd}) || len(p.Other) != 2 || p.Other[0].Type != 6 || p.Other[1].Type != 99 {
		t.Fatalf("%+v", p)
	}
	want := unhex("000b0012" + "00020002" + "abcd" + "00060001" + "ee" + "00630003" + "010203")
	if got := p.Marshal(); !bytes.Equal(got, want) {
		t.Fatalf("Marshal %x", got)
	}
}

func TestPACInfoStandalone(t *testing.T) {
	info := PACInfo{AID: []byte{1, 2}, AIDInfo: []byte("x"), Type: PACTypeMachineAuthentication, Other: []PACAttribute{{Type: 77, Value: []byte{7}}}}
	b := info.Marshal()
	want := unhex("00040002" + "0102" + "00070001" + "78" + "000a0002" + "0002" + "004d0001" + "07")
	if !bytes.Equal(b, want) {
		t.Fatalf("Marshal %x", b)
	}
	back, err := ParsePACInfo(b)
	if err != nil || !reflect.DeepEqual(back, info) {
		t.Fatalf("%+v %v", back, err)
	}
	if (PACInfo{}).PACType() != PACTypeTunnel || !(PACInfo{}).Expiry().IsZero() {
		t.Fatal("PAC-Info defaults")
	}
	if _, err := ParsePACInfo([]byte{0, 3, 0, 9, 1}); err == nil {
		t.Fatal("cut PAC-Info accepted")
	}
}

func TestPACTypeNames(t *testing.T) {
	want := map[PACType][2]string{
		PACTypeTunnel:                {"Tunnel PAC", "tunnel"},
		PACTypeMachineAuthentication: {"Machine PAC", "machine"},
		PACTypeUserAuthorization:     {"User Authorization PAC", "user-authorization"},
		PACTypeMachineAuthorization:  {"Machine Authorization PAC", "machine-authorization"},
		PACTypeTrustSec:              {"TrustSec PAC", "trustsec"},
		9:                            {"PAC-Type-9", "unknown"},
	}
	for ty, n := range want {
		if ty.String() != n[0] || ty.ReportName() != n[1] {
			t.Errorf("%d: %q %q", ty, ty.String(), ty.ReportName())
		}
	}
	if PACAttrAIDInfo.String() != "A-ID-Info" || PACAttrType(6).String() != "PAC-Attribute-6" {
		t.Fatal("attribute names")
	}
}

func TestHostapdIssuedPACInfo(t *testing.T) {
	b := unhex(hostapdPACInfo)
	info, err := ParsePACInfo(b)
	if err != nil {
		t.Fatal(err)
	}
	if info.Lifetime != 0x6b0db473 || string(info.AID) != "sscope-fastpac-a" || string(info.IID) != "alice" ||
		string(info.AIDInfo) != "fastpac test" || info.Type != PACTypeTunnel || info.Other != nil {
		t.Fatalf("%+v", info)
	}
	if !bytes.Equal(info.Marshal(), b) {
		t.Fatalf("re-encodes to %x", info.Marshal())
	}
}

// The SessionTicket extension layout wpa_supplicant sends: a PAC-Opaque
// attribute (eap_fast_use_pac_opaque writes type 2 and the length).
func TestSessionTicketPAC(t *testing.T) {
	opaque := []byte{0xde, 0xad, 0xbe, 0xef, 0x01}
	ext := SessionTicketPAC(opaque)
	if !bytes.Equal(ext, unhex("00020005deadbeef01")) {
		t.Fatalf("wrapped %x", ext)
	}
	got, ok := PACOpaqueFromSessionTicket(ext)
	if !ok || !bytes.Equal(got, opaque) {
		t.Fatalf("unwrapped %x %v", got, ok)
	}
	for _, bare := range [][]byte{opaque, unhex("00020009deadbeef01"), unhex("00030005deadbeef01"), {0, 2, 0, 0}} {
		if got, ok := PACOpaqueFromSessionTicket(bare); ok || !bytes.Equal(got, bare) {
			t.Errorf("%x taken as a PAC-Opaque attribute", bare)
		}
	}
	if SessionTicketPAC(nil) != nil || SessionTicketPAC(make([]byte, 65536)) != nil {
		t.Fatal("impossible PAC-Opaque wrapped")
	}
}
