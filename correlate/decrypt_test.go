package correlate_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/report/reporttest"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/packet"
	"github.com/sessionscope/sscope/rules"
)

const scenariosDir = "../samples/scenarios"

// analyzeKeys analyzes captures with the given key log text and PAC files,
// without the captures' own Decryption Secrets Blocks unless embedded.
func analyzeKeys(t *testing.T, keylog string, pacFiles []string, embedded bool, paths ...string) *report.Report {
	t.Helper()
	store := keys.NewStore()
	if keylog != "" {
		if l := store.AddKeyLog([]byte(keylog), "test"); len(l.Problems) > 0 {
			t.Fatalf("key log: %v", l.Problems[0])
		}
	}
	var pacs []eapfast.PACFileEntry
	for _, p := range pacFiles {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		e, err := eapfast.ParsePACFile(b)
		if err != nil {
			t.Fatal(err)
		}
		pacs = append(pacs, e...)
	}
	rep, errs := correlate.AnalyzeFiles(paths, correlate.Options{
		TLSDetect: true, Judge: rules.New(), KeepSessions: true, Version: "test",
		Keys: store, PACs: pacs, NoEmbeddedSecrets: !embedded,
	}, nil)
	if len(errs) > 0 {
		t.Fatalf("%v", errs)
	}
	reporttest.Value(t, rep)
	return rep
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("%s: %v", p, err)
	}
	return string(b)
}

func eapSessions(rep *report.Report) []*report.Session { return sessionsOf(rep, report.KindRADIUSEAP) }

// TestKeyStatusPerHandshake: each handshake of a tunnel says what became
// of the records its keys protect: decrypted (and with which keys), no key
// for its client random, or a MAC check that failed because the key does
// not match.
func TestKeyStatusPerHandshake(t *testing.T) {
	capture := filepath.Join(scenariosDir, "P2.pcapng")
	keylog := readFile(t, filepath.Join(scenariosDir, "P2.keylog"))
	lines := strings.Split(strings.TrimSpace(keylog), "\n")
	if len(lines) != 2 {
		t.Fatalf("P2.keylog has %d lines", len(lines))
	}

	// The embedded secrets decrypt both conversations.
	rep := analyzeKeys(t, "", nil, true, capture)
	for i, s := range eapSessions(rep) {
		d := s.Handshakes[0].Decryption
		if d == nil || d.Status != report.DecryptOK || d.Decrypted == 0 || str(d.KeySource) != "key log" || !s.EAP.Decrypted {
			t.Errorf("session %d: %+v", i, d)
		}
	}
	if len(rep.Options.Keys) != 1 || rep.Options.Keys[0].Kind != report.KeyInputDSB || rep.Options.Keys[0].Entries != 2 {
		t.Errorf("keys in the report: %+v", rep.Options.Keys)
	}

	// Only the first session's line: the resumed second conversation
	// decrypts with the master secret of the session it resumes.
	rep = analyzeKeys(t, lines[0]+"\n", nil, false, capture)
	ss := eapSessions(rep)
	if d := ss[1].Handshakes[0].Decryption; d == nil || d.Status != report.DecryptOK || str(d.KeySource) != "session ID cache" {
		t.Errorf("resumed session: %+v", d)
	}

	// Only the second line: the first conversation has no key.
	rep = analyzeKeys(t, lines[1]+"\n", nil, false, capture)
	ss = eapSessions(rep)
	cr := ss[0].Handshakes[0].ClientRandom
	d := ss[0].Handshakes[0].Decryption
	if d == nil || d.Status != report.DecryptNoKey || !strings.HasPrefix(d.Detail, "no key for client random "+cr) || d.Failed == 0 || ss[0].EAP.Decrypted {
		t.Errorf("no key: %+v", d)
	}
	if len(ss[0].EAP.InnerMethods) != 0 || ss[0].EAP.PEAP.FastReconnect == nil {
		t.Errorf("without keys the inner method is unknown and fast reconnect judged from sizes: %+v", ss[0].EAP)
	}

	// A wrong master secret for the first session.
	f := strings.Fields(lines[0])
	ms := []byte(f[2])
	ms[0] ^= 1
	rep = analyzeKeys(t, f[0]+" "+f[1]+" "+string(ms)+"\n", nil, false, capture)
	d = eapSessions(rep)[0].Handshakes[0].Decryption
	if d == nil || d.Status != report.DecryptBadMAC || !strings.Contains(d.Detail, "MAC check failed — key does not match") || str(d.KeySource) != "key log" {
		t.Errorf("wrong key: %+v", d)
	}

	// Nothing given, nothing embedded: nothing tried.
	rep = analyzeKeys(t, "", nil, false, capture)
	for _, s := range eapSessions(rep) {
		if s.Handshakes[0].Decryption != nil || s.EAP.Decrypted {
			t.Errorf("decryption without keys: %+v", s.Handshakes[0].Decryption)
		}
	}
}

// TestPEAPPhase2Decrypted: the decrypted PEAP tunnels show the inner
// method, the inner identity, the Result TLV, and decide fast reconnect
// (P2's second conversation resumes and skips the inner method).
func TestPEAPPhase2Decrypted(t *testing.T) {
	rep := analyzeKeys(t, "", nil, true, filepath.Join(scenariosDir, "P2.pcapng"))
	ss := eapSessions(rep)
	if len(ss) != 2 {
		t.Fatalf("%d sessions", len(ss))
	}
	first, second := ss[0].EAP, ss[1].EAP
	if !slices.Equal(first.InnerMethods, []string{"EAP-MSCHAPv2"}) || !slices.Equal(first.InnerIdentities, []string{"alice@lab.example"}) ||
		str(first.PEAP.ResultTLV) != "success" || first.PEAP.FastReconnect == nil || *first.PEAP.FastReconnect {
		t.Errorf("full handshake: %+v %+v", first, first.PEAP)
	}
	if len(second.InnerMethods) != 0 || str(second.PEAP.ResultTLV) != "success" || second.PEAP.FastReconnect == nil || !*second.PEAP.FastReconnect {
		t.Errorf("resumed: %+v %+v", second, second.PEAP)
	}
	var steps []string
	for _, e := range ss[0].Timeline {
		if e.Layer == "inner" {
			steps = append(steps, e.Event)
		}
	}
	want := []string{"Request/Identity", "Response/Identity", "Request/EAP-MSCHAPv2", "Response/EAP-MSCHAPv2", "Request/EAP-MSCHAPv2", "Response/EAP-MSCHAPv2"}
	if !slices.Equal(steps, want) {
		t.Errorf("inner timeline %v, want %v", steps, want)
	}
	for _, e := range ss[0].Timeline {
		if strings.Contains(e.Detail, "NT-Response") && !strings.Contains(e.Detail, report.Redacted) {
			t.Errorf("NT-Response not redacted: %s", e.Detail)
		}
	}
}

// TestRenegotiationInsideTunnelDecrypted: F3's server renegotiates inside
// the tunnel; decrypted, the renegotiation is judged in full (kind, the
// empty client certificate), which the encrypted record types alone
// cannot tell.
func TestRenegotiationInsideTunnelDecrypted(t *testing.T) {
	capture := filepath.Join(scenariosDir, "F3.pcapng")
	for _, embedded := range []bool{true, false} {
		rep := analyzeKeys(t, "", nil, embedded, capture)
		hs := eapSessions(rep)[0].Handshakes
		if len(hs) != 2 || !hs[1].Renegotiation {
			t.Fatalf("handshakes %+v", hs)
		}
		r := hs[1]
		if embedded {
			if r.Kind != report.HandshakeFull || r.ClientCertificate != report.ClientCertEmpty || r.CipherSuite == nil ||
				r.ClientRandom == "" || r.Decryption == nil || r.Decryption.Status != report.DecryptOK {
				t.Errorf("decrypted renegotiation: %+v", r)
			}
			if !slices.Contains(r.Messages, "s:CertificateRequest") || !slices.Contains(r.Messages, "c:Certificate") {
				t.Errorf("renegotiation messages %v", r.Messages)
			}
			continue
		}
		if r.ClientCertificate != report.ClientCertUnknown || r.CipherSuite != nil {
			t.Errorf("encrypted renegotiation claims %s / %v", r.ClientCertificate, r.CipherSuite)
		}
	}
}

// fastTruth mirrors the authentications of the lab's EAP-FAST truth.
type fastTruth struct {
	Authentications []struct {
		FinalCode        string   `json:"final_code"`
		Provisioning     *string  `json:"provisioning"`
		Tunnel           string   `json:"tunnel"`
		PACInClientHello *string  `json:"pac_in_client_hello"`
		PACsProvisioned  []string `json:"pacs_provisioned"`
		InnerMethods     []string `json:"inner_methods"`
		Cryptobinding    *string  `json:"cryptobinding"`
		Phase2Records    []struct {
			Direction string `json:"direction"`
		} `json:"phase2_records"`
	} `json:"authentications"`
}

// TestFASTLabCaptureMatchesPeers: the capture of hostapd and eapol_test
// (anonymous provisioning, then a PAC-based tunnel) gives the verdicts the
// peers' logs give: with the key log both tunnels; with nothing but the PAC
// file eapol_test wrote, the PAC-based one.
func TestFASTLabCaptureMatchesPeers(t *testing.T) {
	base := filepath.Join(labDir, "F-prov")
	raw := readFile(t, base+".truth.json")
	var truth fastTruth
	if err := json.Unmarshal([]byte(raw), &truth); err != nil {
		t.Fatal(err)
	}
	keylog := readFile(t, base+".keylog")
	for _, tc := range []struct {
		name    string
		keylog  string
		decrypt []bool
	}{
		{"keylog and PAC file", keylog, []bool{true, true}},
		{"PAC file only", "", []bool{false, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := analyzeKeys(t, tc.keylog, []string{base + ".pac"}, false, base+".pcapng")
			ss := eapSessions(rep)
			if len(ss) != len(truth.Authentications) {
				t.Fatalf("%d sessions, truth %d", len(ss), len(truth.Authentications))
			}
			for i, want := range truth.Authentications {
				e := ss[i].EAP
				f := e.FAST
				if str(e.RADIUS.FinalCode) != want.FinalCode || str(f.Tunnel) != want.Tunnel || str(f.Provisioning) != str(want.Provisioning) {
					t.Errorf("authentication %d: %s %s %s", i, str(e.RADIUS.FinalCode), str(f.Tunnel), str(f.Provisioning))
				}
				if str(f.PACInClientHello) != str(want.PACInClientHello) {
					t.Errorf("authentication %d: PAC in ClientHello %s, truth %s", i, str(f.PACInClientHello), str(want.PACInClientHello))
				}
				if e.Decrypted != tc.decrypt[i] {
					t.Fatalf("authentication %d: decrypted %v", i, e.Decrypted)
				}
				if !e.Decrypted {
					if d := ss[i].Handshakes[0].Decryption; d == nil || d.Status != report.DecryptNoKey {
						t.Errorf("authentication %d: %+v", i, d)
					}
					continue
				}
				if !slices.Equal(e.InnerMethods, want.InnerMethods) || !slices.Equal(f.PACsProvisioned, want.PACsProvisioned) ||
					str(f.Cryptobinding) != str(want.Cryptobinding) || f.Chaining != "none" {
					t.Errorf("authentication %d: inner %v, provisioned %v, cryptobinding %s, chaining %s", i, e.InnerMethods, f.PACsProvisioned, str(f.Cryptobinding), f.Chaining)
				}
				d := ss[i].Handshakes[0].Decryption
				// Every phase-2 record the peers logged, plus both Finished.
				if d == nil || d.Status != report.DecryptOK || d.Decrypted != uint64(len(want.Phase2Records)+2) {
					t.Errorf("authentication %d: %+v, truth %d phase 2 records", i, d, len(want.Phase2Records))
				}
				if i == 1 && str(d.KeySource) != "PAC-Key (PAC file)" && tc.keylog == "" {
					t.Errorf("PAC-based tunnel decrypted with %s", str(d.KeySource))
				}
			}
			ids := map[string]bool{}
			for _, f := range rep.Findings {
				ids[f.ID] = true
			}
			if ids["tls-no-session-cache"] || !ids["fast-anonymous-provisioning"] {
				t.Errorf("findings %v", ids)
			}
		})
	}
}

// BenchmarkPEAPDenseDecrypt replays the reference PEAP sample P3 (a full
// authentication, then a refused resumption and another full one: 40
// packets) as in BenchmarkRADIUSEAPDense, with the key log that decrypts
// both tunnels of every copy (the copies keep their client randoms) and
// without keys, so the cost of decryption and phase-2 dissection shows.
func BenchmarkPEAPDenseDecrypt(b *testing.B) {
	capture := filepath.Join(scenariosDir, "P3.pcapng")
	frames, offs := loadFrames(b, capture)
	keylog, err := os.ReadFile(filepath.Join(scenariosDir, "P3.keylog"))
	if err != nil {
		b.Skip(err)
	}
	var total int
	for _, f := range frames {
		total += len(f)
	}
	for _, withKeys := range []bool{false, true} {
		name := "no-keys"
		if withKeys {
			name = "keys"
		}
		b.Run(name, func(b *testing.B) {
			decrypted := 0
			o := correlate.Options{TLSDetect: true, Judge: rules.New(), NoEmbeddedSecrets: true, OnSession: func(s *report.Session) {
				if s.EAP != nil && s.EAP.Decrypted {
					decrypted++
				}
			}}
			if withKeys {
				o.Keys = keys.NewStore()
				o.Keys.AddKeyLog(keylog, "P3.keylog")
			}
			a := correlate.New(o)
			idx := a.AddInput("bench", "pcap")
			b.SetBytes(int64(total / len(frames)))
			b.ReportAllocs()
			base := time.Unix(1700000000, 0)
			var p source.Packet
			p.Link = packet.LinkEthernet
			buf := make([]byte, 4096)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				copyN := i / len(frames)
				j := i % len(frames)
				data := append(buf[:0], frames[j]...)
				setNASPort(data, uint16(20000+copyN%40000))
				p.Data = data
				p.Frame = uint64(i + 1)
				p.Timestamp = base.Add(time.Duration(copyN)*time.Second + offs[j])
				a.Packet(idx, &p)
			}
			b.StopTimer()
			a.Finish()
			if b.N >= 10*len(frames) {
				if withKeys != (decrypted > 0) {
					b.Fatalf("keys %v: %d sessions decrypted", withKeys, decrypted)
				}
			}
		})
	}
}
