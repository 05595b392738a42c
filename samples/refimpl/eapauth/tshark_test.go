package eapauth

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/dissect/packet"
)

// keyLog collects NSS key log lines.
type keyLog struct{ buf bytes.Buffer }

func (k *keyLog) add(clientRandom, masterSecret []byte) {
	fmt.Fprintf(&k.buf, "CLIENT_RANDOM %s %s\n", hex.EncodeToString(clientRandom), hex.EncodeToString(masterSecret))
}

// writePcap writes the RADIUS datagrams of r as UDP frames between a NAS
// (192.0.2.10) and a server (192.0.2.1:1812), built with dissect/packet.
func writePcap(t *testing.T, path string, r *run) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	nas, srv := netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("192.0.2.1")
	at := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	for i, d := range r.wire {
		fr := packet.Frame{Link: packet.LinkEthernet, IPVersion: 4, Proto: 17, TTL: 64, IPID: uint32(i + 1),
			HasTransport: true, Payload: d.pkt,
			SrcMAC: [6]byte{2, 0, 0x5e, 0, 0, 10}, DstMAC: [6]byte{2, 0, 0x5e, 0, 0, 1}, Src: nas, Dst: srv, SrcPort: 50000, DstPort: 1812}
		if !d.fromNAS {
			fr.SrcMAC, fr.DstMAC, fr.Src, fr.Dst, fr.SrcPort, fr.DstPort = fr.DstMAC, fr.SrcMAC, fr.Dst, fr.Src, fr.DstPort, fr.SrcPort
		}
		b, err := fr.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		at = at.Add(time.Millisecond)
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(b), Length: len(b)}, b); err != nil {
			t.Fatal(err)
		}
	}
}

// tshark runs tshark 4 on the datagrams of r with the key log and
// returns one line per frame with the fields asked for. It skips when
// tshark is absent.
func tshark(t *testing.T, r *run, keys []byte, fields ...string) []string {
	t.Helper()
	bin, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: the independent decoder check is skipped")
	}
	dir := t.TempDir()
	pcap := filepath.Join(dir, "radius.pcap")
	writePcap(t, pcap, r)
	kl := filepath.Join(dir, "keys.txt")
	if err := os.WriteFile(kl, keys, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-n", "-r", pcap, "-o", "tls.keylog_file:" + kl, "-o", "radius.shared_secret:" + string(bedSecret),
		"-o", "radius.validate_authenticator:TRUE",
		"-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
}

// tsharkView is tshark's reading of a run, decrypted with the key log.
type tsharkView struct {
	identities  []string // every EAP identity, outer and inner
	eapTypes    []string // every EAP type, outer and inner ("25", "26", ...)
	mschapOps   []string // EAP-MSCHAPv2 op-codes in order
	mschapMsgs  []string // their messages (Success "S=...", Failure "E=...")
	tlvStatus   []string // PEAP Result TLV status values
	invalidAuth int      // answers whose Response Authenticator tshark refuted
	validAuth   int
	problems    []string // malformed packets and expert warnings or errors
}

// tsharkRead has tshark decode and decrypt r.
func tsharkRead(t *testing.T, r *run, keys []byte) *tsharkView {
	t.Helper()
	fields := []string{"frame.number", "eap.identity", "eap.type", "eap.ms_chap_v2.opcode", "eap.ms_chap_v2.message", "eap.ms_chap_v2.failure_request",
		"eap.msauth-tlv.status", "radius.authenticator.valid", "radius.authenticator.invalid", "_ws.malformed", "_ws.expert.severity", "_ws.expert.message"}
	v := &tsharkView{}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	for _, line := range tshark(t, r, keys, fields...) {
		if strings.HasPrefix(line, "Running as user") {
			continue
		}
		vals := strings.Split(line, "|")
		if len(vals) != len(fields) {
			t.Fatalf("tshark line %q", line)
		}
		f := make(map[string]string, len(fields))
		for k, name := range fields {
			f[name] = vals[k]
		}
		v.identities = append(v.identities, split(f["eap.identity"])...)
		v.eapTypes = append(v.eapTypes, split(f["eap.type"])...)
		v.mschapOps = append(v.mschapOps, split(f["eap.ms_chap_v2.opcode"])...)
		for _, m := range []string{f["eap.ms_chap_v2.message"], f["eap.ms_chap_v2.failure_request"]} {
			if m != "" {
				v.mschapMsgs = append(v.mschapMsgs, m)
			}
		}
		v.tlvStatus = append(v.tlvStatus, split(f["eap.msauth-tlv.status"])...)
		if f["radius.authenticator.valid"] == "1" {
			v.validAuth++
		}
		if f["radius.authenticator.invalid"] == "1" {
			v.invalidAuth++
		}
		if f["_ws.malformed"] != "" {
			v.problems = append(v.problems, "frame "+f["frame.number"]+": malformed")
		}
		msgs := split(f["_ws.expert.message"])
		for k, sev := range split(f["_ws.expert.severity"]) {
			var n int
			fmt.Sscan(sev, &n)
			if n >= 0x00600000 { // PI_WARN and PI_ERROR
				msg := "expert info"
				if k < len(msgs) {
					msg = msgs[k]
				}
				v.problems = append(v.problems, "frame "+f["frame.number"]+": "+msg)
			}
		}
	}
	return v
}
