package eapfast

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

// hostapdPACFile is laid out as wpa_supplicant's eap_fast_save_pac
// writes it: START, PAC-Type, then the hex fields in this order, with
// "-txt" renderings after I-ID and A-ID-Info, then END.
const hostapdPACFile = "wpa_supplicant EAP-FAST PAC file - version 1\n" +
	"START\n" +
	"PAC-Type=1\n" +
	"PAC-Key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n" +
	"PAC-Opaque=0a0b0c\n" +
	"PAC-Info=000400020102000a00020001\n" +
	"A-ID=0102\n" +
	"I-ID=616c696365\n" +
	"I-ID-txt=alice\n" +
	"A-ID-Info=6c6162\n" +
	"A-ID-Info-txt=lab\n" +
	"END\n" +
	"START\n" +
	"PAC-Type=2\n" +
	"PAC-Key=FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\n" +
	"PAC-Opaque=dd\n" +
	"A-ID=0102\n" +
	"END\n"

func TestParsePACFile(t *testing.T) {
	for _, text := range []string{hostapdPACFile, strings.ReplaceAll(hostapdPACFile, "\n", "\r\n")} {
		es, err := ParsePACFile([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 2 {
			t.Fatalf("%d entries", len(es))
		}
		a, b := es[0], es[1]
		if a.Type != PACTypeTunnel || len(a.Key) != 32 || a.Key[31] != 0x1f || !bytes.Equal(a.Opaque, []byte{10, 11, 12}) ||
			!bytes.Equal(a.AID, []byte{1, 2}) || string(a.IID) != "alice" || string(a.AIDInfo) != "lab" {
			t.Fatalf("first %+v", a)
		}
		info, err := ParsePACInfo(a.Info)
		if err != nil || !bytes.Equal(info.AID, []byte{1, 2}) || info.PACType() != PACTypeTunnel {
			t.Fatalf("PAC-Info %+v %v", info, err)
		}
		if b.Type != PACTypeMachineAuthentication || b.Key[0] != 0xff || b.Info != nil || b.IID != nil {
			t.Fatalf("second %+v", b)
		}
	}
}

func TestParsePACFileDefaultsAndTolerance(t *testing.T) {
	es, err := ParsePACFile([]byte(PACFileHeader + "\n\nSTART\nPAC-Opaque=01\nUnknown-Field=zz\n\nEND\n\n"))
	if err != nil || len(es) != 1 || es[0].Type != PACTypeTunnel || es[0].Key != nil {
		t.Fatalf("%+v %v", es, err)
	}
	es, err = ParsePACFile([]byte(PACFileHeader + "\nSTART\nPAC-Type=4\nEND")) // no final newline
	if err != nil || len(es) != 1 || es[0].Type != PACTypeMachineAuthorization {
		t.Fatalf("%+v %v", es, err)
	}
}

func TestParsePACFileDamaged(t *testing.T) {
	h := PACFileHeader + "\n"
	cases := []struct {
		name, text string
		entries    int
		line       string
	}{
		{"empty", "", 0, ""},
		{"header", "wpa_supplicant EAP-FAST PAC file - version 2\n", 0, "line 1"},
		{"outside", h + "PAC-Type=1\n", 0, "line 2"},
		{"nested START", h + "START\nSTART\n", 0, "line 3"},
		{"END alone", h + "END\n", 0, "line 2"},
		{"bad hex", h + "START\nPAC-Opaque=0g\nEND\n", 0, "line 3"},
		{"odd hex", h + "START\nA-ID=012\nEND\n", 0, "line 3"},
		{"no value", h + "START\nPAC-Opaque\nEND\n", 0, "line 3"},
		{"short key", h + "START\nPAC-Key=0102\nEND\n", 0, "line 3"},
		{"type", h + "START\nPAC-Type=tunnel\nEND\n", 0, "line 3"},
		{"type range", h + "START\nPAC-Type=70000\nEND\n", 0, "line 3"},
		{"unclosed", h + "START\nPAC-Type=1\nEND\nSTART\nPAC-Type=1\n", 1, "line 6"},
	}
	for _, c := range cases {
		es, err := ParsePACFile([]byte(c.text))
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if dissect.KindOf(err) == 0 || len(es) != c.entries || !strings.Contains(err.Error(), c.line) {
			t.Errorf("%s: %d entries, %v", c.name, len(es), err)
		}
	}
}

func TestParseBinaryPACFile(t *testing.T) {
	info := PACInfo{AID: []byte("aid"), AIDInfo: []byte("lab"), IID: []byte("bob")}.Marshal()
	b := []byte{0x6a, 0xe4, 0x92, 0x0c, 0, 0}
	b = append(b, 0, 3)
	b = append(b, bytes.Repeat([]byte{7}, 32)...)
	b = append(b, 0, 2, 0xaa, 0xbb)
	b = append(b, 0, byte(len(info)))
	b = append(b, info...)
	es, err := ParsePACFile(b)
	if err != nil || len(es) != 1 {
		t.Fatalf("%+v %v", es, err)
	}
	e := es[0]
	if e.Type != PACTypeUserAuthorization || e.Key[0] != 7 || !bytes.Equal(e.Opaque, []byte{0xaa, 0xbb}) ||
		string(e.AID) != "aid" || string(e.AIDInfo) != "lab" || e.IID != nil {
		t.Fatalf("%+v", e)
	}
	if es, err := ParsePACFile(b[:len(b)-1]); err == nil || len(es) != 0 {
		t.Fatal("cut binary file accepted")
	}
	v1 := append([]byte(nil), b...)
	v1[5] = 1
	if _, err := ParsePACFile(v1); dissect.KindOf(err) != dissect.Unsupported {
		t.Fatalf("version 1: %v", err)
	}
}
