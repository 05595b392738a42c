package lab

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/ip4defrag"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/rules"
)

// truthFile mirrors the fields of NAME.truth.json this test checks.
type truthFile struct {
	Capture    string `json:"capture"`
	Scenario   string `json:"scenario"`
	Handshakes []struct {
		FirstFrame        int     `json:"first_frame"`
		ClientSessionID   string  `json:"client_session_id"`
		ServerSessionID   string  `json:"server_session_id"`
		Kind              string  `json:"kind"`
		Resumption        *string `json:"resumption"`
		ResumptionRefused bool    `json:"resumption_refused"`
		Evidence          string  `json:"evidence"`
	} `json:"handshakes"`
	Authentications []struct {
		FirstFrame       int    `json:"first_frame"`
		FinalFrame       int    `json:"final_frame"`
		FinalCode        string `json:"final_code"`
		CallingStationID string `json:"calling_station_id"`
		Phase2Skipped    *bool  `json:"phase2_skipped"`
	} `json:"authentications"`
}

// frame is one captured packet: its transport payload and direction.
type frame struct {
	payload  []byte
	toServer bool // towards the RADIUS server / TLS proxy
	radius   *layers.RADIUS
}

const serverIP = "10.77.0.1"

// readFrames decodes every frame of a lab capture. IP fragments are
// reassembled with gopacket's ip4defrag; the datagram belongs to the frame
// of its last fragment (as tshark numbers it), earlier fragments have no
// payload.
func readFrames(t *testing.T, path string) []frame {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	var out []frame
	defrag := ip4defrag.NewIPv4Defragmenter()
	for {
		data, _, err := r.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		p := gopacket.NewPacket(data, layers.LinkTypeEthernet, gopacket.Default)
		var fr frame
		if ip, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok {
			fr.toServer = ip.DstIP.String() == serverIP
			if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
				whole, err := defrag.DefragIPv4(ip)
				if err != nil {
					t.Fatal(err)
				}
				if whole == nil {
					out = append(out, fr)
					continue
				}
				p = gopacket.NewPacket(whole.Payload, layers.LayerTypeUDP, gopacket.Default)
			}
		}
		if udp, ok := p.Layer(layers.LayerTypeUDP).(*layers.UDP); ok {
			fr.payload = udp.Payload
			if rad, ok := p.Layer(layers.LayerTypeRADIUS).(*layers.RADIUS); ok {
				fr.radius = rad
			}
		} else if tcp, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP); ok {
			fr.payload = tcp.Payload
		}
		out = append(out, fr)
	}
}

// tlsData returns the TLS bytes a frame starts with: the EAP-TLS data of a
// PEAP or EAP-FAST packet in RADIUS, or the TCP payload.
func tlsData(fr frame) []byte {
	if fr.radius == nil {
		return fr.payload
	}
	var eap []byte
	for _, a := range fr.radius.Attributes {
		if a.Type == layers.RADIUSAttributeTypeEAPMessage {
			eap = append(eap, a.Value...)
		}
	}
	s := cryptobyte.String(eap)
	var code, id, typ, flags uint8
	var length uint16
	if !s.ReadUint8(&code) || !s.ReadUint8(&id) || !s.ReadUint16(&length) || !s.ReadUint8(&typ) || (typ != 25 && typ != 43) || !s.ReadUint8(&flags) {
		return nil
	}
	if flags&0x80 != 0 && !s.Skip(4) {
		return nil
	}
	return s
}

// helloSessionID reads the handshake type and session ID of the hello
// message at the start of the first TLS record in b.
func helloSessionID(b []byte) (uint8, string, bool) {
	s := cryptobyte.String(b)
	var ctype, htype uint8
	var version uint16
	var record, body cryptobyte.String
	var sid []byte
	if !s.ReadUint8(&ctype) || ctype != 22 || !s.ReadUint16(&version) ||
		!s.ReadUint16LengthPrefixed(&record) || !record.ReadUint8(&htype) ||
		!record.ReadUint24LengthPrefixed(&body) || !body.Skip(2+32) ||
		!body.ReadUint8LengthPrefixed((*cryptobyte.String)(&sid)) {
		return 0, "", false
	}
	return htype, hex.EncodeToString(sid), true
}

// TestTruthMatchesCaptureBytes: every handshake in every truth file starts at
// a frame holding a ClientHello with the session ID the client reported, and
// the server's first answer after it holds a ServerHello with the session ID
// the peers reported. Authentications end at the Access-Accept/Reject frame.
func TestTruthMatchesCaptureBytes(t *testing.T) {
	files, _ := filepath.Glob("captures/*.truth.json")
	if len(files) < 7 {
		t.Fatalf("want truth files for P1, P2, P3, P-nocache, T1, T2, T3; have %v", files)
	}
	for _, tf := range files {
		raw, err := os.ReadFile(tf)
		if err != nil {
			t.Fatal(err)
		}
		var truth truthFile
		if err := json.Unmarshal(raw, &truth); err != nil {
			t.Fatalf("%s: %v", tf, err)
		}
		t.Run(truth.Scenario, func(t *testing.T) {
			frames := readFrames(t, filepath.Join("captures", truth.Capture))
			if len(truth.Handshakes) == 0 {
				t.Fatal("no handshakes")
			}
			for i, h := range truth.Handshakes {
				if h.FirstFrame < 1 || h.FirstFrame > len(frames) {
					t.Fatalf("handshake %d: first_frame %d outside 1..%d", i, h.FirstFrame, len(frames))
				}
				fr := frames[h.FirstFrame-1]
				typ, sid, ok := helloSessionID(tlsData(fr))
				if !ok || typ != 1 || !fr.toServer {
					t.Fatalf("handshake %d: frame %d holds no ClientHello", i, h.FirstFrame)
				}
				if sid != h.ClientSessionID {
					t.Errorf("handshake %d: ClientHello session ID %q, truth %q", i, sid, h.ClientSessionID)
				}
				found := false
				for _, next := range frames[h.FirstFrame:] {
					if next.toServer || len(next.payload) == 0 {
						continue
					}
					typ, sid, ok := helloSessionID(tlsData(next))
					if !ok || typ != 2 {
						t.Errorf("handshake %d: server's first answer holds no ServerHello", i)
					} else if sid != h.ServerSessionID {
						t.Errorf("handshake %d: ServerHello session ID %q, truth %q", i, sid, h.ServerSessionID)
					}
					found = true
					break
				}
				if !found {
					t.Errorf("handshake %d: no answer from the server", i)
				}
				// The truth's classification must agree with the IDs it states.
				switch {
				case h.Kind == "abbreviated" && h.Resumption != nil && *h.Resumption == "session-id" && h.ServerSessionID != h.ClientSessionID:
					t.Errorf("handshake %d: session-ID resumption with a different ID", i)
				case h.ResumptionRefused && h.Kind != "full":
					t.Errorf("handshake %d: refused resumption but kind %s", i, h.Kind)
				case h.Evidence == "":
					t.Errorf("handshake %d: no evidence", i)
				}
			}
			for i, a := range truth.Authentications {
				if a.FinalFrame < 1 || a.FinalFrame > len(frames) || frames[a.FinalFrame-1].radius == nil {
					t.Fatalf("authentication %d: final_frame %d is not RADIUS", i, a.FinalFrame)
				}
				code := frames[a.FinalFrame-1].radius.Code
				if (a.FinalCode == "Access-Accept") != (code == layers.RADIUSCodeAccessAccept) {
					t.Errorf("authentication %d: final frame code %v, truth %s", i, code, a.FinalCode)
				}
				if a.CallingStationID == "" {
					t.Errorf("authentication %d: no Calling-Station-Id", i)
				}
			}
		})
	}
}

// TestScenarioShapes pins what each scenario is about, as the peers reported
// it, so a regenerated capture that drifts (e.g. FreeRADIUS no longer
// resuming) fails here instead of silently changing the analyzer's ground
// truth.
func TestScenarioShapes(t *testing.T) {
	want := map[string]string{
		"P1":        "full",
		"P1-ipfrag": "full",
		"P2":        "full abbreviated/session-id",
		"P3":        "full full/refused",
		"P-nocache": "full full",
		"T1":        "full full/refused full/refused full/refused full/refused",
		"T2":        "full abbreviated/session-ticket abbreviated/session-ticket abbreviated/session-ticket abbreviated/session-ticket",
		"T3":        "full full full full",
		"F-prov":    "full abbreviated/pac",
	}
	for name, shape := range want {
		raw, err := os.ReadFile(filepath.Join("captures", name+".truth.json"))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var truth truthFile
		if err := json.Unmarshal(raw, &truth); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []string
		for _, h := range truth.Handshakes {
			s := h.Kind
			if h.Resumption != nil {
				s += "/" + *h.Resumption
			}
			if h.ResumptionRefused {
				s += "/refused"
			}
			got = append(got, s)
		}
		if strings.Join(got, " ") != shape {
			t.Errorf("%s: handshakes %q, want %q", name, strings.Join(got, " "), shape)
		}
		if strings.HasPrefix(name, "T3") || name == "P-nocache" {
			for i, h := range truth.Handshakes {
				if h.ServerSessionID != "" {
					t.Errorf("%s handshake %d: server assigned %s with its cache off", name, i, h.ServerSessionID)
				}
			}
		}
		if name == "P2" {
			if a := truth.Authentications; len(a) != 2 || a[1].Phase2Skipped == nil || !*a[1].Phase2Skipped {
				t.Errorf("P2: FreeRADIUS should have skipped phase 2 on resumption")
			}
		}
	}
}

// TestAnalyzerMatchesFASTTruth compares the analyzer's report of each
// EAP-FAST lab capture with what hostapd and eapol_test reported, for the
// fields the analyzer can know without keys: sessions and their frames,
// RADIUS outcome, handshake kind, cipher suite, anonymous suite, PAC
// resumption, the PAC-Opaque offer, and eap.fast tunnel and provisioning.
// Without the key log or the PAC file it cannot see the inner method, the
// crypto-binding or the PAC TLV, and it cannot tell which PAC type the
// PAC-Opaque holds (it is encrypted with the server's key), so those truth
// fields are not compared.
func TestAnalyzerMatchesFASTTruth(t *testing.T) {
	for _, name := range fastCaptures {
		t.Run(name, func(t *testing.T) {
			truth := readFASTTruth(t, name)
			rep, errs := correlate.AnalyzeFiles([]string{filepath.Join("captures", truth.Capture)},
				correlate.Options{Judge: rules.New(), KeepSessions: true, Version: "test"}, nil)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			var eap []*report.Session
			for _, s := range rep.Sessions {
				if s.Kind == report.KindRADIUSEAP {
					eap = append(eap, s)
				}
			}
			if len(eap) != len(truth.Authentications) || len(rep.Sessions) != len(eap) {
				t.Fatalf("%d sessions (%d radius-eap), truth has %d authentications", len(rep.Sessions), len(eap), len(truth.Authentications))
			}
			for i, want := range truth.Authentications {
				s := eap[i]
				if s.FirstFrame != uint64(want.FirstFrame) || s.LastFrame != uint64(want.FinalFrame) {
					t.Errorf("authentication %d: frames %d-%d, truth %d-%d", i, s.FirstFrame, s.LastFrame, want.FirstFrame, want.FinalFrame)
				}
				if s.EAP == nil || s.EAP.Method != "EAP-FAST" || s.EAP.FAST == nil {
					t.Fatalf("authentication %d: not reported as EAP-FAST: %+v", i, s.EAP)
				}
				if got := deref(s.EAP.RADIUS.FinalCode); got != want.FinalCode {
					t.Errorf("authentication %d: final code %s, truth %s", i, got, want.FinalCode)
				}
				if got := deref(s.EAP.FAST.Tunnel); got != want.Tunnel {
					t.Errorf("authentication %d: eap.fast.tunnel %s, truth %s", i, got, want.Tunnel)
				}
				if got, w := deref(s.EAP.FAST.Provisioning), deref(want.Provisioning); got != w {
					t.Errorf("authentication %d: eap.fast.provisioning %s, truth %s", i, got, w)
				}
				if len(s.Handshakes) != len(want.Handshakes) {
					t.Fatalf("authentication %d: %d handshakes, truth %d", i, len(s.Handshakes), len(want.Handshakes))
				}
				for j, hi := range want.Handshakes {
					got, wh := s.Handshakes[j], truth.Handshakes[hi]
					if got.FirstFrame != uint64(wh.FirstFrame) || got.Kind != wh.Kind {
						t.Errorf("authentication %d: handshake at frame %d %s, truth frame %d %s", i, got.FirstFrame, got.Kind, wh.FirstFrame, wh.Kind)
					}
					if deref(got.Resumption) != deref(wh.Resumption) {
						t.Errorf("authentication %d: resumption %s, truth %s", i, deref(got.Resumption), deref(wh.Resumption))
					}
					if deref(got.CipherSuite) != wh.CipherSuite || got.Anonymous != wh.Anonymous {
						t.Errorf("authentication %d: cipher suite %s (anonymous %v), truth %s (anonymous %v)",
							i, deref(got.CipherSuite), got.Anonymous, wh.CipherSuite, wh.Anonymous)
					}
					if got.Offered.PACOpaque != wh.ClientOfferedPACOpaque {
						t.Errorf("authentication %d: offered PAC-Opaque %v, truth %v", i, got.Offered.PACOpaque, wh.ClientOfferedPACOpaque)
					}
				}
			}
		})
	}
}

// deref returns *p, or "<nil>".
func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
