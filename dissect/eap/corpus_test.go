package eap

import (
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/eapol"
)

var radiusPorts = map[uint16]bool{1812: true, 1645: true, 1813: true, 1646: true, 18812: true}

// eapFromFrame finds the EAP packet a frame carries: in RADIUS EAP-Message
// attributes, in an EAPOL EAP-Packet, or in a PANA EAP-Payload AVP.
func eapFromFrame(t testing.TB, f frame) ([]byte, bool) {
	if eth, _ := f.pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet); eth != nil && eth.EthernetType == layers.EthernetTypeEAPOL {
		var fr eapol.Frame
		if err := fr.DecodeFromBytes(eth.Payload); err != nil || fr.Type != eapol.TypeEAPPacket {
			return nil, false
		}
		return fr.Body, true
	}
	src, dst, payload, ok := udpPayload(f)
	if !ok {
		return nil, false
	}
	if radiusPorts[src] || radiusPorts[dst] {
		_, b, ok := radiusEAP(payload)
		return b, ok
	}
	if src == 716 || dst == 716 {
		return panaEAP(payload)
	}
	return nil, false
}

func firstValue(v string) string {
	if i := strings.IndexByte(v, ','); i >= 0 {
		return v[:i]
	}
	return v
}

// TestCorpusAgainstTsharkOracle decodes every EAP packet of the public
// captures and compares code and type with tshark's stored reading.
func TestCorpusAgainstTsharkOracle(t *testing.T) {
	dir := corpusDir(t)
	for _, tc := range []struct {
		file    string
		minEAP  int  // EAP packets we must find
		hostile bool // fuzzer-made: decode errors are expected
	}{
		{"tcpdump/RADIUS.pcap", 4, false},
		{"zeek/Traces/radius/radius.pcap", 4, false},
		{"zeek/Traces/radius/radius_localhost.pcap", 8, false},
		{"tcpdump/eapon1.pcap", 10, false},
		{"arkime/pana_synthetic.pcap", 2, false},
		{"nDPI/pcap/fuzz-2020-02-16-11740.pcap", 100, true},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			or := loadOracle(t, path+".tshark.tsv")
			found, agreed, errs := 0, 0, 0
			for _, f := range readFrames(t, path) {
				raw, ok := eapFromFrame(t, f)
				want := or[f.num]
				if !ok {
					if want["eap.code"] != "" && !tc.hostile {
						t.Errorf("frame %d: tshark sees EAP code %s, we found none", f.num, want["eap.code"])
					}
					continue
				}
				found++
				var p Packet
				err := p.DecodeFromBytes(raw)
				if err != nil {
					errs++
					if dissect.KindOf(err) == 0 {
						t.Errorf("frame %d: error %v is not a *dissect.Error", f.num, err)
					}
					if !tc.hostile {
						t.Errorf("frame %d: %v", f.num, err)
					}
					continue
				}
				// Every method parser must cope with whatever arrived.
				_, _ = ParseMethod(&p)
				if want["eap.code"] == "" {
					if !tc.hostile {
						t.Errorf("frame %d: we decoded %s/%s, tshark saw no EAP", f.num, p.Code, p.Type)
					}
					continue
				}
				wantType := firstValue(want["eap.type"])
				gotType := ""
				if p.Code == CodeRequest || p.Code == CodeResponse {
					gotType = strconv.Itoa(int(p.Type))
				}
				if strconv.Itoa(int(p.Code)) != firstValue(want["eap.code"]) || gotType != wantType {
					if !tc.hostile {
						t.Errorf("frame %d: code/type %d/%s, tshark %s/%s", f.num, p.Code, gotType, want["eap.code"], wantType)
					}
					continue
				}
				agreed++
			}
			if found < tc.minEAP {
				t.Errorf("found %d EAP packets, want at least %d", found, tc.minEAP)
			}
			if tc.hostile && agreed < found/2 {
				t.Errorf("only %d of %d packets agree with tshark", agreed, found)
			}
			t.Logf("%d EAP packets, %d agree with tshark, %d decode errors", found, agreed, errs)
		})
	}
}

// TestRADIUSPcapMD5 checks the EAP-MD5 exchange of tcpdump's RADIUS.pcap
// field by field against tcpdump's and tshark's reading of it.
func TestRADIUSPcapMD5(t *testing.T) {
	frames := readFrames(t, filepath.Join(corpusDir(t), "tcpdump/RADIUS.pcap"))
	var pkts []*Packet
	for _, f := range frames {
		raw, ok := eapFromFrame(t, f)
		if !ok {
			t.Fatalf("frame %d: no EAP", f.num)
		}
		p, err := Parse(raw)
		if err != nil {
			t.Fatalf("frame %d: %v", f.num, err)
		}
		pkts = append(pkts, p)
	}
	if len(pkts) != 4 {
		t.Fatalf("%d packets", len(pkts))
	}
	// tcpdump: "Response (2), id 0, len 17 Type Identity (1), Identity: John.McGuirk"
	if p := pkts[0]; p.Code != CodeResponse || p.Identifier != 0 || p.Length != 17 || p.Type != TypeIdentity || ParseIdentity(p.Data) != "John.McGuirk" {
		t.Errorf("identity packet: %+v %q", p, ParseIdentity(p.Data))
	}
	if got := pkts[0].MethodName(); got != "Identity" {
		t.Errorf("MethodName %q", got)
	}
	// tshark: eap.md5.value 266b0e9a58322f4d01ab25b35f879464, id 1, len 22.
	ch, err := ParseMD5(pkts[1].Data)
	if err != nil || hex.EncodeToString(ch.Value) != "266b0e9a58322f4d01ab25b35f879464" || pkts[1].Length != 22 || pkts[1].MethodName() != "EAP-MD5" {
		t.Errorf("challenge %x %q %v", ch.Value, ch.Name, err)
	}
	// tshark: response value c9f9…c9bd, extra data "John.McGuirk".
	resp, err := ParseMD5(pkts[2].Data)
	if err != nil || hex.EncodeToString(resp.Value) != "c9f9769597e320843f5f2af7b8f1c9bd" || resp.Name != "John.McGuirk" {
		t.Errorf("response %x %q %v", resp.Value, resp.Name, err)
	}
	if p := pkts[3]; p.Code != CodeSuccess || p.Identifier != 1 || p.Type != 0 || p.Data != nil || p.MethodName() != "" {
		t.Errorf("success %+v", p)
	}
	// Marshal reproduces every packet byte for byte.
	for i, p := range pkts {
		if got := p.Marshal(); string(got) != string(p.Raw) {
			t.Errorf("packet %d: Marshal %x, captured %x", i, got, p.Raw)
		}
	}
}

// TestEAPOn1SIM decodes the EAP-SIM exchange of tcpdump's eapon1.pcap.
func TestEAPOn1SIM(t *testing.T) {
	frames := readFrames(t, filepath.Join(corpusDir(t), "tcpdump/eapon1.pcap"))
	var sims []SIMAKA
	identities := map[string]bool{}
	for _, f := range frames {
		raw, ok := eapFromFrame(t, f)
		if !ok {
			continue
		}
		p, err := Parse(raw)
		if err != nil {
			t.Fatalf("frame %d: %v", f.num, err)
		}
		switch p.Type {
		case TypeIdentity:
			if p.Code == CodeResponse {
				identities[ParseIdentity(p.Data)] = true
			}
		case TypeSIM:
			m, err := ParseSIMAKA(p)
			if err != nil {
				t.Fatalf("frame %d: %v", f.num, err)
			}
			if got := m.Marshal(); string(got) != string(p.Data) {
				t.Errorf("frame %d: SIM Marshal %x, captured %x", f.num, got, p.Data)
			}
			sims = append(sims, m)
		}
	}
	if len(sims) != 16 {
		t.Fatalf("%d EAP-SIM packets, tshark sees 16", len(sims))
	}
	// tcpdump -v: each of the four exchanges is Start, Start, Challenge,
	// Challenge (request, response, request, response).
	for i, m := range sims {
		want := []string{"Start", "Start", "Challenge", "Challenge"}[i%4]
		if m.SubtypeName() != want {
			t.Errorf("SIM packet %d: subtype %s, want %s", i, m.SubtypeName(), want)
		}
	}
	// The server's Start offers AT_VERSION_LIST; the Challenge carries
	// AT_RAND and AT_MAC (RFC 4186 §9.1, §9.3).
	if _, ok := sims[0].Attribute(15); !ok {
		t.Errorf("SIM Start without AT_VERSION_LIST: %+v", sims[0].Attributes)
	}
	for _, at := range []uint8{1, 11} {
		if _, ok := sims[2].Attribute(at); !ok {
			t.Errorf("SIM Challenge without attribute %d: %+v", at, sims[2].Attributes)
		}
	}
	var names []string
	for _, m := range sims {
		names = append(names, m.SubtypeName())
		for _, a := range m.Attributes {
			names = append(names, a.Name())
		}
	}
	t.Logf("SIM: %v", names)
	// The peer repeats its EAP-Identity in AT_IDENTITY of its Start response.
	const nai = "1295023820005391@mnc023.mcc295.owlan.org"
	if !identities[nai] || len(identities) != 1 {
		t.Errorf("identities %v, want only %s", identities, nai)
	}
	if got := sims[1].Identity(); got != nai {
		t.Errorf("AT_IDENTITY %q, want %q", got, nai)
	}
}

// TestTruncatedEAPOLCapture: tcpdump's eap_extract_read2_asan.pcap holds an
// EAPOL frame cut at 20 bytes; decoding must report, not panic.
func TestTruncatedEAPOLCapture(t *testing.T) {
	for _, f := range readFrames(t, filepath.Join(corpusDir(t), "tcpdump/eap_extract_read2_asan.pcap")) {
		data := f.pkt.Data()
		if len(data) < 14 {
			continue
		}
		var fr eapol.Frame
		err := fr.DecodeFromBytes(data[14:])
		if err == nil {
			var p Packet
			err = p.DecodeFromBytes(fr.Body)
		}
		if err == nil {
			t.Errorf("frame %d: truncated capture decoded without error", f.num)
		} else if dissect.KindOf(err) != dissect.Truncated {
			t.Errorf("frame %d: %v, want truncated", f.num, err)
		}
	}
}
