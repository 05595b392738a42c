package tlsdecrypt

// The public captures of the corpus that come with key logs (Zeek's and
// Scapy's test suites; TLS 1.2 CBC and GCM, TLS 1.3, TCP segments split
// mid-record) decrypt to exactly what tshark decrypts with the same key
// log (tshark -z follow,tls,raw).

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func corpusDir(t *testing.T) string {
	dir := os.Getenv("SSCOPE_CORPUS")
	if dir == "" {
		dir = "/work/shared/corpus"
	}
	if !fileExists(filepath.Join(dir, "MANIFEST.tsv")) {
		t.Skip("corpus not found (set SSCOPE_CORPUS)")
	}
	return dir
}

// tsharkFollow returns, per TCP stream, the two byte streams tshark
// decrypts (node 0's lines, then node 1's tab-indented lines).
func tsharkFollow(t *testing.T, capture, keylog string) map[int][2][]byte {
	t.Helper()
	ts, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: no oracle")
	}
	out, err := exec.Command(ts, "-r", capture, "-T", "fields", "-e", "tcp.stream").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	streams := map[int][2][]byte{}
	for _, s := range strings.Fields(string(out)) {
		n, err := strconv.Atoi(s)
		if err != nil {
			continue
		}
		if _, ok := streams[n]; ok {
			continue
		}
		follow, err := exec.Command(ts, "-r", capture, "-o", "tls.keylog_file:"+keylog, "-q", "-z", "follow,tls,raw,"+s).Output()
		if err != nil {
			t.Fatalf("tshark follow: %v", err)
		}
		var nodes [2][]byte
		sc := bufio.NewScanner(bytes.NewReader(follow))
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			line := sc.Text()
			node := 0
			if strings.HasPrefix(line, "\t") {
				node, line = 1, line[1:]
			}
			b, err := hex.DecodeString(line)
			if err != nil || len(line) == 0 {
				continue // headers
			}
			nodes[node] = append(nodes[node], b...)
		}
		streams[n] = nodes
	}
	return streams
}

func TestCorpusAgainstTshark(t *testing.T) {
	dir := corpusDir(t)
	for _, tc := range []struct {
		capture, keylog string
		conns           int
		tls13           bool
	}{
		{"zeek/Traces/tls/tls12-decryption.pcap", "zeek/Traces/tls/tls12-decryption.pcap.keylog", 1, false},
		{"zeek/Traces/tls/tls-1.2-stream-keylog.pcap", "zeek/Traces/tls/tls-1.2-stream-keylog.pcap.keylog", 1, false},
		{"scapy/tls_nss_example.pcap", "scapy/tls_nss_example.keys.txt", 2, true},
		{"scapy/tls_tcp_frag_withnss.pcap.gz", "scapy/tls_tcp_frag_withnss.pcap.gz.keylog", 1, false},
	} {
		t.Run(filepath.Base(tc.capture), func(t *testing.T) {
			capture, keylog := filepath.Join(dir, tc.capture), filepath.Join(dir, tc.keylog)
			if !fileExists(capture) || !fileExists(keylog) {
				t.Skip("not in the corpus")
			}
			kl, err := os.ReadFile(keylog)
			if err != nil {
				t.Fatal(err)
			}
			store := storeOf(t, string(kl))
			conns := tcpConns(t, capture)
			if len(conns) != tc.conns {
				t.Fatalf("%d TLS connections, want %d", len(conns), tc.conns)
			}
			var ours [][2][]byte
			var saw13 bool
			for i, c := range conns {
				d := New(Options{Keys: store})
				app, res := decryptAll(d, c)
				if errs := errorsOf(res); len(errs) > 0 {
					t.Fatalf("connection %d: %d records not decrypted: %v", i, len(errs), errs[0])
				}
				if len(app[0]) == 0 || len(app[1]) == 0 {
					t.Fatalf("connection %d: %d/%d bytes of application data", i, len(app[0]), len(app[1]))
				}
				saw13 = saw13 || d.Status().KeySource == SourceKeyLogTLS13
				ours = append(ours, app)
			}
			if saw13 != tc.tls13 {
				t.Errorf("TLS 1.3 connection seen: %v", saw13)
			}
			theirs := tsharkFollow(t, capture, keylog)
			if len(theirs) != len(ours) {
				t.Fatalf("tshark follows %d streams, we decrypted %d", len(theirs), len(ours))
			}
			// tshark's node numbering is not always client first: each
			// of our connections must match one stream, one way round.
			for i, app := range ours {
				var found bool
				for _, nodes := range theirs {
					if (bytes.Equal(app[0], nodes[0]) && bytes.Equal(app[1], nodes[1])) ||
						(bytes.Equal(app[0], nodes[1]) && bytes.Equal(app[1], nodes[0])) {
						found = true
					}
				}
				if !found {
					t.Errorf("connection %d (%d/%d bytes: %.60q / %.60q) matches no tshark stream", i, len(app[0]), len(app[1]), app[0], app[1])
				}
			}
		})
	}
}
