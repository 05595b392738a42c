package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate/report/reporttest"
)

// TestKeyFlags: several key logs, a PAC file and RSA keys are read, listed
// in the report, and decrypt; a PAC-Key is redacted unless --show-secrets;
// unreadable key files are usage errors.
func TestKeyFlags(t *testing.T) {
	dir := t.TempDir()
	// F-prov's key log split in two files, one line each.
	kl, err := os.ReadFile("samples/lab/captures/F-prov.keylog")
	if err != nil {
		t.Skip(err)
	}
	var files []string
	for i, line := range strings.Split(strings.TrimSpace(string(kl)), "\n") {
		p := filepath.Join(dir, "part"+string(rune('1'+i))+".keylog")
		if err := os.WriteFile(p, []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	capture := "samples/lab/captures/F-prov.pcapng"
	args := []string{"analyze", "--json", "--keylog", files[0], "--keylog", files[1], "--pac", "samples/lab/captures/F-prov.pac",
		"--rsa-key", "samples/refimpl/pki/server.key", capture}
	out, stderr, code := sscope(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	reporttest.Report(t, []byte(out))
	var rep struct {
		Options struct {
			Keylog *string `json:"keylog"`
			Keys   []struct {
				Kind    string `json:"kind"`
				Entries int    `json:"entries"`
			} `json:"keys"`
		} `json:"options"`
		Sessions []struct {
			EAP struct {
				Decrypted bool `json:"decrypted"`
				FAST      struct {
					PACs []struct {
						Event string  `json:"event"`
						Key   *string `json:"pac_key"`
					} `json:"pacs"`
				} `json:"fast"`
			} `json:"eap"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, k := range rep.Options.Keys {
		kinds = append(kinds, k.Kind)
	}
	if strings.Join(kinds, ",") != "keylog,keylog,rsa-key,pac-file" || rep.Options.Keylog == nil || *rep.Options.Keylog != files[0] {
		t.Errorf("keys in the report: %v, keylog %v", kinds, rep.Options.Keylog)
	}
	if len(rep.Sessions) != 2 || !rep.Sessions[0].EAP.Decrypted || !rep.Sessions[1].EAP.Decrypted {
		t.Fatalf("sessions %+v", rep.Sessions)
	}
	var provisioned int
	for _, p := range rep.Sessions[0].EAP.FAST.PACs {
		if p.Event == "provisioned" {
			provisioned++
			if p.Key == nil || *p.Key != "<redacted>" {
				t.Errorf("PAC-Key %v", p.Key)
			}
		}
	}
	if provisioned != 1 {
		t.Errorf("%d PACs provisioned", provisioned)
	}
	out, _, _ = sscope(t, "analyze", "--json", "--show-secrets", "--keylog", files[0], capture)
	if strings.Contains(out, `"pac_key": "<redacted>"`) || !strings.Contains(out, `"pac_key": "`) {
		t.Error("--show-secrets does not show the PAC-Key")
	}

	for _, bad := range [][]string{
		{"--keylog", filepath.Join(dir, "missing.keylog")},
		{"--pac", files[0]},
		{"--pac", filepath.Join(dir, "missing.pac")},
		{"--rsa-key", files[0]},
	} {
		_, stderr, code := sscope(t, append(append([]string{"analyze"}, bad...), capture)...)
		if code != exitUsage || !strings.Contains(stderr, bad[0]) {
			t.Errorf("%v: exit %d, %q", bad, code, stderr)
		}
	}
}
