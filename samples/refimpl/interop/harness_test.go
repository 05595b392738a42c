package interop

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Credentials every peer in these tests shares.
const (
	radiusSecret = "interop-radius-secret"
	userName     = "lab-user"
	userPassword = "lab-password"
)

// needBinary returns the path of a peer's program or skips the test, naming
// the Debian package that provides it.
func needBinary(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		pkg := map[string]string{"eapol_test": "eapoltest", "freeradius": "freeradius", "hostapd": "hostapd"}[name]
		t.Skipf("%s not installed (Debian package %s; see PACKAGES)", name, pkg)
	}
	return path
}

// freePort returns a free UDP port on 127.0.0.1 or fails the test.
func freePort(t *testing.T) int {
	t.Helper()
	port, err := FreeUDPPort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// logDir is where the peers' full output goes: the directory named by the
// environment variable INTEROP_LOG_DIR (one subdirectory per test, kept
// for reading after the run), else a temporary directory.
func logDir(t *testing.T) string {
	t.Helper()
	root := os.Getenv("INTEROP_LOG_DIR")
	if root == "" {
		return t.TempDir()
	}
	dir := filepath.Join(root, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startDaemon runs a peer server until the end of the test, waits for its
// ready line, and shows its significant lines when the test fails.
func startDaemon(t *testing.T, name, binary string, args []string, ready string, significant func(string) bool) *Daemon {
	t.Helper()
	d, err := StartDaemon(name, filepath.Join(logDir(t), name+".log"), binary, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Stop(); err != nil {
			t.Errorf("stop %s: %v", name, err)
		}
		if t.Failed() {
			logLines(t, name, d.Output(), significant)
		}
	})
	if err := d.WaitForLine(ready, 10*time.Second); err != nil {
		logLines(t, name, d.Output(), func(string) bool { return true })
		t.Fatal(err)
	}
	return d
}

// logLines logs the significant lines of a peer's output (at most the last
// 150), for a failing test.
func logLines(t *testing.T, name, out string, significant func(string) bool) {
	t.Helper()
	var kept []string
	for _, line := range strings.Split(out, "\n") {
		if significant(line) {
			kept = append(kept, line)
		}
	}
	if len(kept) > 150 {
		kept = kept[len(kept)-150:]
	}
	t.Logf("%s output (significant lines):\n%s", name, strings.Join(kept, "\n"))
}

func freeradiusSignificant(line string) bool {
	for _, s := range []string{"Sent Access-", "Received Access-", "ERROR", "WARNING", "Login ", "eap_peap:", "eap_tls:",
		"(TLS)", "session", "Session", "Phase2", "mschap", "Failed", "failed", "reject"} {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

func hostapdSignificant(line string) bool {
	if strings.Contains(line, "hexdump") {
		return false
	}
	for _, s := range []string{"EAP-FAST:", "EAP-MSCHAPV2:", "OpenSSL:", "SSL:", "RADIUS SRV:", "RADIUS message:", "alert"} {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

func eapolTestSignificant(line string) bool {
	if strings.Contains(line, "hexdump") && !strings.Contains(line, "OpenSSL") {
		return false
	}
	for _, s := range []string{"CTRL-EVENT", "OpenSSL:", "SSL:", "EAP-PEAP:", "EAP-FAST:", "EAP-TLS:", "EAP-MSCHAPV2:",
		"RADIUS message:", "MPPE", "SUCCESS", "FAILURE", "alert", "TLS:"} {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

// startFreeRADIUS configures and starts FreeRADIUS on a free port; cfg's Dir,
// Port and Secret are filled in.
func startFreeRADIUS(t *testing.T, cfg FreeRADIUSConfig) (FreeRADIUSConfig, *Daemon) {
	t.Helper()
	bin := needBinary(t, "freeradius")
	cfg.Dir = t.TempDir()
	cfg.Port = freePort(t)
	cfg.Secret = radiusSecret
	if err := cfg.Write(); err != nil {
		t.Fatal(err)
	}
	return cfg, startDaemon(t, "freeradius", bin, cfg.Args(), FreeRADIUSReady, freeradiusSignificant)
}

// startHostapd configures and starts hostapd's RADIUS server on a free port.
func startHostapd(t *testing.T, cfg HostapdConfig) (HostapdConfig, *Daemon) {
	t.Helper()
	bin := needBinary(t, "hostapd")
	cfg.Dir = t.TempDir()
	cfg.Port = freePort(t)
	cfg.Secret = radiusSecret
	if err := cfg.Write(); err != nil {
		t.Fatal(err)
	}
	return cfg, startDaemon(t, "hostapd", bin, cfg.Args(), HostapdReady, hostapdSignificant)
}

// runEapolTest runs eapol_test once against 127.0.0.1:port and returns its
// own account of the run. A failed authentication is not a test failure
// here: the caller judges the result. The output is logged when the test
// fails.
func runEapolTest(t *testing.T, network EapolTestNetwork, port, reauths int) (EapolTestResult, string) {
	t.Helper()
	bin := needBinary(t, "eapol_test")
	text, err := network.Config()
	if err != nil {
		t.Fatal(err)
	}
	confPath := filepath.Join(t.TempDir(), "eapol_test.conf")
	if err := os.WriteFile(confPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	run := EapolTestRun{ConfigPath: confPath, Server: "127.0.0.1", Port: port, Secret: radiusSecret,
		Reauths: reauths, Timeout: 10, MAC: "02:00:5e:10:00:02"}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, run.Args()...).CombinedOutput()
	if os.Getenv("INTEROP_LOG_DIR") != "" {
		f, ferr := os.CreateTemp(logDir(t), "eapol_test-*.log")
		if ferr == nil {
			f.Write(out)
			f.Close()
		}
	}
	if ctx.Err() != nil {
		t.Fatalf("eapol_test did not finish: %v", ctx.Err())
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("eapol_test: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			logLines(t, "eapol_test", string(out), eapolTestSignificant)
		}
	})
	return ParseEapolTest(string(out)), string(out)
}

// finalOutput stops a peer server and returns everything it printed: a
// server may still be writing about the last request when its client has
// already finished.
func finalOutput(t *testing.T, d *Daemon) string {
	t.Helper()
	if err := d.Stop(); err != nil {
		t.Fatalf("stop %s: %v", d.Name, err)
	}
	return d.Output()
}
