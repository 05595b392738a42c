package keys

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func random(b byte) [32]byte {
	var r [32]byte
	for i := range r {
		r[i] = b + byte(i)
	}
	return r
}

func hx(r [32]byte) string { return hex.EncodeToString(r[:]) }

func TestKeyLogLinesAndProblems(t *testing.T) {
	ms := strings.Repeat("ab", 48)
	s32 := strings.Repeat("cd", 32)
	s48 := strings.Repeat("ef", 48)
	lines := []string{
		"\xef\xbb\xbf# SSL/TLS secrets log file", // 1: BOM + comment
		"",                                       // 2
		"CLIENT_RANDOM " + hx(random(1)) + " " + ms + "\r",                                // 3: CRLF
		"  CLIENT_RANDOM\t" + strings.ToUpper(hx(random(2))) + "  " + strings.ToUpper(ms), // 4: tabs, spaces, upper case
		"CLIENT_HANDSHAKE_TRAFFIC_SECRET " + hx(random(3)) + " " + s32,                    // 5
		"SERVER_HANDSHAKE_TRAFFIC_SECRET " + hx(random(3)) + " " + s32,                    // 6
		"CLIENT_TRAFFIC_SECRET_0 " + hx(random(3)) + " " + s48,                            // 7
		"SERVER_TRAFFIC_SECRET_0 " + hx(random(3)) + " " + s48,                            // 8
		"EXPORTER_SECRET " + hx(random(3)) + " " + s32,                                    // 9
		"EARLY_EXPORTER_SECRET " + hx(random(3)) + " " + s32,                              // 10: read, not used
		"CLIENT_RANDOM " + hx(random(4)),                                                  // 11: two fields
		"CLIENT_RANDOM " + hx(random(4))[2:] + " " + ms,                                   // 12: short random
		"CLIENT_RANDOM " + hx(random(4)) + " " + ms[2:],                                   // 13: short master secret
		"CLIENT_RANDOM " + hx(random(4)) + " zz" + ms[2:],                                 // 14: not hex
		"SERVER_TRAFFIC_SECRET_0 " + hx(random(4)) + " " + s32 + "00",                     // 15: 33 bytes
		"QUIC_SERVER_TRAFFIC_SECRET_0 " + hx(random(4)) + " " + s32,                       // 16: unknown label
		"CLIENT_RANDOM " + hx(random(1)) + " " + ms,                                       // 17: duplicate
		"CLIENT_RANDOM " + hx(random(1)) + " " + strings.Repeat("00", 48),                 // 18: conflicting
		"RSA 0102030405060708 " + strings.Repeat("03", 48),                                // 19
		"PMS_CLIENT_RANDOM " + hx(random(5)) + " " + strings.Repeat("07", 256),            // 20
		"CLIENT_RANDOM " + strings.Repeat("a", MaxKeyLogLine),                             // 21: too long
		"# done", // 22, no final newline
	}
	s := NewStore()
	l := s.AddKeyLog([]byte(strings.Join(lines, "\n")), "test.keylog")
	if l.Lines != len(lines) || l.Added != 9 || l.Duplicates != 1 || l.Ignored != 1 {
		t.Fatalf("lines %d added %d duplicates %d ignored %d", l.Lines, l.Added, l.Duplicates, l.Ignored)
	}
	wantBad := map[int]string{11: "want 3", 12: "client random", 13: "48", 14: "not hex", 15: "33 bytes",
		16: "unknown label", 18: "differs", 21: "longer than"}
	if len(l.Problems) != len(wantBad) {
		t.Errorf("%d problems: %v", len(l.Problems), l.Problems)
	}
	for _, p := range l.Problems {
		if w, ok := wantBad[p.Line]; !ok || !strings.Contains(p.Reason, w) || p.Source != "test.keylog" {
			t.Errorf("unexpected problem %v", p)
		}
		if !strings.HasPrefix(p.Error(), "test.keylog:") {
			t.Errorf("problem text %q", p.Error())
		}
	}
	for _, r := range []byte{1, 2} {
		sec, ok := s.Secrets(random(r))
		if !ok || hex.EncodeToString(sec.MasterSecret) != ms || sec.TLS13() {
			t.Errorf("client random %d: %+v %v", r, sec, ok)
		}
	}
	sec, ok := s.Secrets(random(3))
	if !ok || !sec.TLS13() || hex.EncodeToString(sec.ClientHandshakeTrafficSecret) != s32 || hex.EncodeToString(sec.ServerHandshakeTrafficSecret) != s32 ||
		hex.EncodeToString(sec.ClientTrafficSecret0) != s48 || hex.EncodeToString(sec.ServerTrafficSecret0) != s48 ||
		hex.EncodeToString(sec.ExporterSecret) != s32 || sec.MasterSecret != nil {
		t.Errorf("TLS 1.3 secrets %+v", sec)
	}
	if sec, ok := s.Secrets(random(5)); !ok || len(sec.PreMasterSecret) != 256 {
		t.Errorf("PMS_CLIENT_RANDOM %+v", sec)
	}
	if _, ok := s.Secrets(random(4)); ok {
		t.Error("a session of malformed lines only")
	}
	enc := append([]byte{1, 2, 3, 4, 5, 6, 7, 8}, make([]byte, 248)...)
	if pms, ok := s.PreMasterFromRSA(enc); !ok || !bytes.Equal(pms, bytes.Repeat([]byte{3}, 48)) {
		t.Errorf("RSA line: %x %v", pms, ok)
	}
	// Secrets returns copies.
	sec.ClientTrafficSecret0[0] ^= 0xff
	if again, _ := s.Secrets(random(3)); hex.EncodeToString(again.ClientTrafficSecret0) != s48 {
		t.Error("Secrets shares its slices with the store")
	}
	if s.Len() != 4 {
		t.Errorf("Len %d", s.Len())
	}
}

func TestKeyLogCaps(t *testing.T) {
	s := NewStore()
	s.max = 3
	var b strings.Builder
	for i := range 5 {
		b.WriteString("CLIENT_RANDOM " + hx(random(byte(i*40))) + " " + strings.Repeat("11", 48) + "\n")
	}
	l := s.AddKeyLog([]byte(b.String()), "big")
	if !l.Truncated || l.Added != 3 || s.Len() != 3 || len(l.Problems) != 1 || l.Problems[0].Line != 4 {
		t.Fatalf("%+v, %d sessions", l, s.Len())
	}
	// Problems beyond MaxProblems are counted, not listed.
	b.Reset()
	for range MaxProblems + 7 {
		b.WriteString("BOGUS 00 00\n")
	}
	l = NewStore().AddKeyLog([]byte(b.String()), "bad")
	if len(l.Problems) != MaxProblems || l.MoreProblems != 7 {
		t.Fatalf("%d problems listed, %d more", len(l.Problems), l.MoreProblems)
	}
}

// TestKeyLogsOfTheRepository reads every key log the project ships or
// keeps as test data: none has a problem.
func TestKeyLogsOfTheRepository(t *testing.T) {
	files, _ := filepath.Glob("../../samples/scenarios/*.keylog")
	corpus := os.Getenv("SSCOPE_CORPUS")
	if corpus == "" {
		corpus = "/work/shared/corpus"
	}
	for _, f := range []string{"scapy/tls_nss_example.keys.txt", "zeek/Traces/tls/tls12-decryption.pcap.keylog",
		"zeek/Traces/tls/tls-1.2-stream-keylog.pcap.keylog", "scapy/tls_tcp_frag_withnss.pcap.gz.keylog"} {
		if p := filepath.Join(corpus, f); fileExists(p) {
			files = append(files, p)
		}
	}
	if len(files) == 0 {
		t.Skip("no key log found")
	}
	s := NewStore()
	for _, f := range files {
		l, err := s.LoadKeyLogFile(f)
		if err != nil || len(l.Problems) != 0 || l.Added+l.Duplicates == 0 {
			t.Errorf("%s: %+v %v", f, l, err)
		}
	}
	if _, err := s.LoadKeyLogFile(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing file read")
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
