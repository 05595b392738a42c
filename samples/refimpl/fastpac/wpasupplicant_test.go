package fastpac

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/interop"
)

// TestWpaSupplicantPACFiles checks the PAC file format against
// wpa_supplicant itself: eapol_test is provisioned with a PAC by hostapd's
// EAP-FAST server (anonymous provisioning), writing its PAC file in the
// text and in the binary format. Both must read back to the same PAC, our
// writer must reproduce wpa_supplicant's text file byte for byte, and
// eapol_test must build a PAC-based tunnel from the file we wrote.
func TestWpaSupplicantPACFiles(t *testing.T) {
	for _, bin := range []string{"eapol_test", "hostapd"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed (Debian packages eapoltest, hostapd); PAC files not checked against wpa_supplicant", bin)
		}
	}
	pkiDir, err := filepath.Abs("../pki")
	if err != nil {
		t.Fatal(err)
	}
	aid := []byte("sscope-fastpac-a")
	port, err := interop.FreeUDPPort()
	if err != nil {
		t.Fatal(err)
	}
	cfg := interop.HostapdConfig{Dir: t.TempDir(), Port: port, Secret: "fastpac-secret",
		CACert: filepath.Join(pkiDir, "ca.pem"), ServerCert: filepath.Join(pkiDir, "server.pem"), ServerKey: filepath.Join(pkiDir, "server.key"),
		Users: []interop.User{{Name: "alice", Password: "wonderland"}}, AID: aid, AIDInfo: "fastpac test", Provisioning: 1}
	if err := cfg.Write(); err != nil {
		t.Fatal(err)
	}
	hostapd, err := interop.StartDaemon("hostapd", filepath.Join(t.TempDir(), "hostapd.log"), "hostapd", cfg.Args()...)
	if err != nil {
		t.Fatal(err)
	}
	defer hostapd.Stop()
	if err := hostapd.WaitForLine(interop.HostapdReady, 10*time.Second); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	run := func(pacFile, phase1 string) interop.EapolTestResult {
		t.Helper()
		n := interop.EapolTestNetwork{EAP: "FAST", Identity: "alice", AnonymousIdentity: "FAST-anonymous", Password: "wonderland",
			Phase1: phase1, Phase2: "auth=MSCHAPV2", PACFile: pacFile}
		text, err := n.Config()
		if err != nil {
			t.Fatal(err)
		}
		conf := filepath.Join(dir, "eapol_test.conf")
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		r := interop.EapolTestRun{ConfigPath: conf, Server: "127.0.0.1", Port: port, Secret: cfg.Secret, Timeout: 10}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		out, _ := exec.CommandContext(ctx, "eapol_test", r.Args()...).CombinedOutput()
		res := interop.ParseEapolTest(string(out))
		if t.Failed() || res.PACsWritten == 0 && !res.Success {
			t.Logf("eapol_test output tail:\n%s", tail(string(out), 40))
		}
		return res
	}

	textFile := filepath.Join(dir, "pacs.txt")
	if res := run(textFile, "fast_provisioning=1"); res.PACsWritten != 1 {
		t.Fatalf("text provisioning: %+v", res)
	}
	binFile := filepath.Join(dir, "pacs.bin")
	if res := run(binFile, "fast_provisioning=1 fast_pac_format=binary"); res.PACsWritten != 1 {
		t.Fatalf("binary provisioning: %+v", res)
	}
	wpaText, err := os.ReadFile(textFile)
	if err != nil {
		t.Fatal(err)
	}
	wpaBin, err := os.ReadFile(binFile)
	if err != nil {
		t.Fatal(err)
	}

	fromText, err := eapfast.ParsePACFile(wpaText)
	if err != nil || len(fromText) != 1 {
		t.Fatalf("wpa_supplicant's text file: %v %+v", err, fromText)
	}
	e := fromText[0]
	if e.Type != eapfast.PACTypeTunnel || len(e.Key) != 32 || len(e.Opaque) == 0 || !bytes.Equal(e.AID, aid) ||
		string(e.IID) != "alice" || string(e.AIDInfo) != "fastpac test" {
		t.Fatalf("text entry %+v", e)
	}
	info, err := eapfast.ParsePACInfo(e.Info)
	if err != nil || !bytes.Equal(info.AID, aid) || info.PACType() != eapfast.PACTypeTunnel || info.Lifetime == 0 {
		t.Fatalf("PAC-Info %+v %v", info, err)
	}
	if !bytes.Equal(info.Marshal(), e.Info) {
		t.Fatalf("hostapd's PAC-Info %x re-encodes to %x", e.Info, info.Marshal())
	}
	fromBin, err := eapfast.ParsePACFile(wpaBin)
	if err != nil || len(fromBin) != 1 || fromBin[0].Type != eapfast.PACTypeTunnel || len(fromBin[0].Key) != 32 ||
		!bytes.Equal(fromBin[0].AID, aid) {
		t.Fatalf("wpa_supplicant's binary file: %v %+v", err, fromBin)
	}

	store, err := ReadStore(wpaText)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := store.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, wpaText) {
		t.Fatalf("our PAC file differs from wpa_supplicant's\nours:\n%s\nwpa_supplicant:\n%s", ours, wpaText)
	}
	// eapol_test authenticates with the PAC from the file we wrote, with
	// provisioning off: the tunnel can only come from that PAC.
	oursFile := filepath.Join(dir, "ours.txt")
	if err := os.WriteFile(oursFile, ours, 0o600); err != nil {
		t.Fatal(err)
	}
	res := run(oursFile, "fast_provisioning=0")
	if !res.Success || len(res.Auths) != 1 || !slices.Equal(res.Auths[0].PACUsed, []int{1}) || !slices.Equal(res.Resumed(), []bool{true}) {
		t.Fatalf("PAC-based authentication from our file: %+v", res)
	}
	if err := hostapd.Stop(); err != nil {
		t.Fatal(err)
	}
	log := interop.ParseHostapdLog(hostapd.Output())
	if log.PACOpaqueAccepted != 1 || log.AnonymousProvisioning != 2 {
		t.Fatalf("hostapd: %+v", log)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
