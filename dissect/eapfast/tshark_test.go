package eapfast

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// TestTsharkReadsOurTLVs uses Wireshark's TEAP dissector as an independent
// decoder. TEAP (RFC 7170) took EAP-FAST's TLV header and the layouts of
// Result, NAK, Error, Vendor-Specific, EAP-Payload, Intermediate-Result,
// PAC (with the same PAC attributes) and Identity-Type unchanged, and
// tshark decodes TEAP's outer TLVs in the clear. So the TLVs we marshal
// are put, as outer TLVs, into an EAP-TEAP Start in an EAPOL frame, and
// tshark's reading of every field is compared with ours.
func TestTsharkReadsOurTLVs(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed (Debian package tshark); the TLV encoding is not cross-checked")
	}
	inner := []byte{2, 9, 0, 10, 1, 'a', 'l', 'i', 'c', 'e'} // EAP-Response/Identity "alice"
	values := []Value{
		&Result{Status: StatusSuccess},
		&NAK{VendorID: 9, NAKType: TypeCryptoBinding},
		&Error{Code: ErrorTunnelCompromise},
		&IdentityType{Identity: IdentityMachine},
		&IntermediateResult{Status: StatusFailure},
		&VendorSpecific{VendorID: 9, Data: []byte{0, 1, 0, 0}},
		&EAPPayload{Packet: inner},
		&PAC{Mandatory: true, Key: bytes.Repeat([]byte{0x42}, 32), Opaque: []byte{0xde, 0xad, 0xbe, 0xef},
			Info: &PACInfo{Lifetime: 1800000000, AID: []byte("aid-1"), IID: []byte("alice"), AIDInfo: []byte("lab"), Type: PACTypeUserAuthorization}},
		&PAC{Mandatory: true, Ack: StatusSuccess},
	}
	var outer []byte
	for _, v := range values {
		outer = append(outer, v.Marshal()...)
	}
	pcap := writeTEAPStart(t, outer)

	fields := []string{"teap.tlv.type", "teap.tlv.mandatory", "teap.tlv.len", "teap.status", "teap.vendor-id",
		"teap.nak-type", "teap.error-code", "teap.identity", "teap.pac.type", "teap.pac.key", "teap.pac.opaque",
		"teap.pac.lifetime", "teap.pac.a-id", "teap.pac.i-id", "teap.pac.a-id-info", "teap.pac.pac-type",
		"teap.pac.result", "eap.identity", "_ws.expert"}
	args := []string{"-r", pcap, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-E", "separator=\t"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	cols := strings.Split(strings.TrimRight(string(out), "\n"), "\t")
	if len(cols) != len(fields) {
		t.Fatalf("tshark gave %d columns: %q", len(cols), out)
	}
	got := map[string]string{}
	for i, f := range fields {
		got[f] = cols[i]
	}
	want := map[string]string{
		"teap.tlv.type": "3|4|5|2|10|7|9|11|11",
		// tshark lists the PAC attributes' lengths among the TLV
		// lengths: PAC TLV 87 = PAC-Key 32, PAC-Opaque 4, PAC-Info 39
		// (Lifetime 4, A-ID 5, I-ID 5, A-ID-Info 3, PAC-Type 2), each
		// with a 4-byte header; then the acknowledgement's 6 and 2.
		"teap.tlv.len":       "2|6|4|2|2|8|10|87|32|4|39|4|5|5|3|2|6|2",
		"teap.status":        "1|2",
		"teap.vendor-id":     "0x00000009|0x00000009",
		"teap.nak-type":      "0x000c",
		"teap.error-code":    "2001",
		"teap.identity":      "2",
		"teap.pac.type":      "1|2|9|3|4|5|7|10|8",
		"teap.pac.key":       strings.Repeat("42", 32),
		"teap.pac.opaque":    "deadbeef",
		"teap.pac.lifetime":  "1800000000",
		"teap.pac.a-id":      "aid-1",
		"teap.pac.i-id":      "alice",
		"teap.pac.a-id-info": "lab",
		"teap.pac.pac-type":  "3",
		"teap.pac.result":    "1",
		"eap.identity":       "alice",
		"_ws.expert":         "",
	}
	for f, w := range want {
		if got[f] != w {
			t.Errorf("%s: tshark %q, want %q", f, got[f], w)
		}
	}
	// M bits: tshark prints booleans as 1/0 (or True/False).
	m := strings.NewReplacer("True", "1", "False", "0").Replace(got["teap.tlv.mandatory"])
	if m != "1|1|1|0|1|0|1|1|1" {
		t.Errorf("mandatory bits %q", got["teap.tlv.mandatory"])
	}
}

// writeTEAPStart writes a pcap with one EAPOL frame carrying an
// EAP-Request/TEAP Start whose outer TLVs are outer.
func writeTEAPStart(t *testing.T, outer []byte) string {
	t.Helper()
	data := []byte{0x31, byte(len(outer) >> 24), byte(len(outer) >> 16), byte(len(outer) >> 8), byte(len(outer))} // S, O, version 1
	data = append(data, outer...)
	eapPkt := append([]byte{1, 7, 0, 0, 55}, data...) // Request, TEAP
	eapPkt[2], eapPkt[3] = byte(len(eapPkt)>>8), byte(len(eapPkt))
	frame := []byte{0x01, 0x80, 0xc2, 0, 0, 3, 0x02, 0, 0x5e, 0x10, 0, 2, 0x88, 0x8e, 2, 0, byte(len(eapPkt) >> 8), byte(len(eapPkt))}
	frame = append(frame, eapPkt...)
	path := filepath.Join(t.TempDir(), "teap.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(frame), Length: len(frame)}
	if err := w.WritePacket(ci, frame); err != nil {
		t.Fatal(err)
	}
	return path
}
