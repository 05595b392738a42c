package tlsdecrypt

// The sample captures of the reference implementation decrypt with the
// key log in their Decryption Secrets Block alone, and with their .keylog
// file alone: P1-P3 are PEAP tunnels inside RADIUS, T1-T3 HTTP over TLS
// over TCP, F1-F8 EAP-FAST tunnels (also from their PAC files).

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/tls"
)

const samplesDir = "../../samples/scenarios"

func sampleConns(t *testing.T, name string) []conn {
	t.Helper()
	path := filepath.Join(samplesDir, name+".pcapng")
	if !fileExists(path) {
		t.Skipf("%s not generated", path)
	}
	if strings.HasPrefix(name, "P") {
		return eapConns(t, path)
	}
	return tcpConns(t, path)
}

func TestSamplesDecrypt(t *testing.T) {
	for _, name := range []string{"P1", "P2", "P3", "T1", "T2", "T3"} {
		t.Run(name, func(t *testing.T) {
			conns := sampleConns(t, name)
			wantConns := map[string]int{"P1": 1, "P2": 2, "P3": 2, "T1": 5, "T2": 5, "T3": 4}[name]
			if len(conns) != wantConns {
				t.Fatalf("%d TLS connections, want %d", len(conns), wantConns)
			}
			keylog, err := os.ReadFile(filepath.Join(samplesDir, name+".keylog"))
			if err != nil {
				t.Fatal(err)
			}
			stores := map[string]*keys.Store{
				"DSB":    secretsOf(t, filepath.Join(samplesDir, name+".pcapng")),
				"keylog": storeOf(t, string(keylog)),
			}
			for how, store := range stores {
				for i, c := range conns {
					d := New(Options{Keys: store})
					app, res := decryptAll(d, c)
					if errs := errorsOf(res); len(errs) > 0 {
						t.Fatalf("%s, connection %d: %d records not decrypted: %v", how, i, len(errs), errs[0])
					}
					st := d.Status()
					if st.Decrypted == 0 || st.KeySource != SourceKeyLog || st.CipherSuite != 0xc02f {
						t.Fatalf("%s, connection %d: %+v", how, i, st)
					}
					if name[0] == 'T' {
						if !bytes.HasPrefix(app[ClientToServer], []byte("GET /status")) || !bytes.HasPrefix(app[ServerToClient], []byte("HTTP/1.1 ")) {
							t.Errorf("%s, connection %d: client sent %.40q, server %.40q", how, i, app[ClientToServer], app[ServerToClient])
						}
					} else if len(app[ClientToServer]) == 0 || len(app[ServerToClient]) == 0 {
						t.Errorf("%s, conversation %d: no tunnel data (%d/%d bytes)", how, i, len(app[0]), len(app[1]))
					}
				}
			}
		})
	}
}

// firstKeyLogLine keeps the first line of a key log.
func firstKeyLogLine(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samplesDir, name+".keylog"))
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return line + "\n"
}

// TestSamplesResumeFromEarlierSessions decrypts the abbreviated handshakes
// of P2 (session ID) and T2 (tickets, across backends) with only the
// first session's key log line: the master secret comes from the session
// the capture showed earlier.
func TestSamplesResumeFromEarlierSessions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		source string
	}{{"P2", SourceSessionID}, {"T2", SourceTicket}} {
		t.Run(tc.name, func(t *testing.T) {
			conns := sampleConns(t, tc.name)
			store := storeOf(t, firstKeyLogLine(t, tc.name))
			cache := NewSessionCache(0)
			for i, c := range conns {
				d := New(Options{Keys: store, Sessions: cache})
				_, res := decryptAll(d, c)
				if errs := errorsOf(res); len(errs) > 0 {
					t.Fatalf("connection %d: %v", i, errs[0])
				}
				want := SourceKeyLog
				if i > 0 {
					want = tc.source
				}
				if got := d.Status().KeySource; got != want {
					t.Errorf("connection %d: keys from %q, want %q", i, got, want)
				}
			}
			// Without the cache, the same capture says why.
			for i, c := range conns[1:] {
				_, res := decryptAll(New(Options{Keys: store}), c)
				errs := errorsOf(res)
				var e *Error
				if len(errs) == 0 || !asError(errs[0], &e) || e.Reason != NoKey || !strings.Contains(e.Error(), "abbreviated handshake") {
					t.Errorf("connection %d without the cache: %v", i+1, errs)
				}
			}
		})
	}
}

// TestSamplesWrongKey: a key log whose master secret is wrong gives a MAC
// error on every protected record, and T3 with the key log of T1 finds no
// key at all.
func TestSamplesWrongKey(t *testing.T) {
	conns := sampleConns(t, "T3")
	line := firstKeyLogLine(t, "T3")
	f := strings.Fields(line)
	ms := []byte(f[2])
	if ms[0] == '0' {
		ms[0] = '1'
	} else {
		ms[0] = '0'
	}
	bad := storeOf(t, f[0]+" "+f[1]+" "+string(ms)+"\n")
	d := New(Options{Keys: bad})
	_, res := decryptAll(d, conns[0])
	var protected int
	for _, r := range res {
		if !r.Protected {
			continue
		}
		protected++
		var e *Error
		if !asError(r.Err, &e) || e.Reason != BadMAC || e.KeySource != SourceKeyLog ||
			!strings.Contains(e.Error(), "MAC check failed — key does not match") || !strings.Contains(e.Error(), f[1]) {
			t.Fatalf("record %s: %v", r.Type, r.Err)
		}
	}
	if protected == 0 || d.Status().Failed != uint64(protected) {
		t.Fatalf("%d protected records, status %+v", protected, d.Status())
	}
	other, _ := os.ReadFile(filepath.Join(samplesDir, "T1.keylog"))
	_, res = decryptAll(New(Options{Keys: storeOf(t, string(other))}), conns[0])
	var e *Error
	if errs := errorsOf(res); len(errs) == 0 || !asError(errs[0], &e) || e.Reason != NoKey || !strings.HasPrefix(e.Error(), "no key for client random "+strings.ToLower(f[1])) {
		t.Fatalf("T3 with T1's keys: %v", errs)
	}
	for _, r := range res {
		if r.Type == tls.ContentHandshake && !r.Protected && len(r.Plaintext) == 0 {
			t.Fatal("plaintext handshake record lost")
		}
	}
}

// TestSamplesEAPFAST decrypts the EAP-FAST samples: every tunnel with the
// key log (certificate, anonymous and PAC-based tunnels, renegotiations
// inside them), and the PAC-based tunnels with nothing but the PAC file,
// through a MasterSecretFunc that derives the master secret from the
// PAC-Key of the PAC-Opaque the ClientHello carried.
func TestSamplesEAPFAST(t *testing.T) {
	captures, _ := filepath.Glob(filepath.Join(samplesDir, "F*.pcapng"))
	if len(captures) == 0 {
		t.Skip("no EAP-FAST samples")
	}
	var fromPAC int
	for _, capture := range captures {
		base := strings.TrimSuffix(capture, ".pcapng")
		conns := eapConns(t, capture)
		dsb := secretsOf(t, capture)
		var pacs []eapfast.PACFileEntry
		if b, err := os.ReadFile(base + ".pac"); err == nil {
			if pacs, err = eapfast.ParsePACFile(b); err != nil {
				t.Fatalf("%s.pac: %v", base, err)
			}
		}
		hook := func(h *Hello) []byte {
			// The extension carries the PAC-Opaque attribute (type 2,
			// length), the PAC file its value.
			opaque := h.SessionTicket
			if len(opaque) >= 4 && opaque[0] == 0 && opaque[1] == 2 && int(opaque[2])<<8|int(opaque[3]) == len(opaque)-4 {
				opaque = opaque[4:]
			}
			for _, p := range pacs {
				if h.Resumed && bytes.Equal(p.Opaque, opaque) {
					return eapfast.MasterSecretFromPACKey(p.Key, h.ServerRandom, h.ClientRandom)
				}
			}
			return nil
		}
		for i, c := range conns {
			_, res := decryptAll(New(Options{Keys: dsb}), c)
			if errs := errorsOf(res); len(errs) > 0 {
				t.Errorf("%s conversation %d with its DSB: %v", filepath.Base(capture), i, errs[0])
			}
			d := New(Options{MasterSecret: hook})
			_, res = decryptAll(d, c)
			if d.Status().KeySource != SourceCaller {
				continue
			}
			fromPAC++
			if errs := errorsOf(res); len(errs) > 0 || d.Status().Decrypted == 0 {
				t.Errorf("%s conversation %d from its PAC: %v", filepath.Base(capture), i, errs)
			}
		}
	}
	if fromPAC == 0 {
		t.Error("no PAC-based tunnel decrypted from a PAC file")
	}
	t.Logf("%d PAC-based tunnels decrypted from PAC files", fromPAC)
}
