package interop

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The PEAP lab capture P2 (samples/lab): eapol_test -r1 against FreeRADIUS,
// full handshake then a resumed one with phase 2 skipped.
func TestParseEapolTestPEAPResumed(t *testing.T) {
	got := ParseEapolTest(readFile(t, "../../lab/captures/P2.client.log"))
	want := EapolTestResult{
		Success: true,
		Auths: []EapolTestAuth{{
			Method: "PEAP", Resumed: []bool{false}, Phase2Types: []int{1, 26, 26, 33},
			RADIUSCodes: append(repeat("Access-Challenge", 9), "Access-Accept"), EAPResult: "EAP-Success",
		}, {
			Method: "PEAP", Resumed: []bool{true}, Phase2Types: []int{33},
			RADIUSCodes: append(repeat("Access-Challenge", 3), "Access-Accept"), EAPResult: "EAP-Success",
		}},
		MPPEOK: 2,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if r := got.Resumed(); !reflect.DeepEqual(r, []bool{false, true}) {
		t.Errorf("Resumed() = %v", r)
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestParseEapolTestFAST(t *testing.T) {
	prov := ParseEapolTest(readFile(t, "testdata/eapol_test-fast-provisioning.log"))
	wantProv := EapolTestResult{
		Auths: []EapolTestAuth{{Method: "FAST", Resumed: []bool{false}, Phase2Types: []int{1, 26, 26},
			RADIUSCodes: append(repeat("Access-Challenge", 7), "Access-Reject"), EAPResult: "EAP-Failure"}},
		MPPEMismatch: 1, PACsWritten: 1, PACProvisions: 1,
	}
	if !reflect.DeepEqual(prov, wantProv) {
		t.Errorf("provisioning run:\ngot  %+v\nwant %+v", prov, wantProv)
	}
	auth := ParseEapolTest(readFile(t, "testdata/eapol_test-fast-pac.log"))
	wantAuth := EapolTestResult{
		Success: true,
		Auths: []EapolTestAuth{{Method: "FAST", Resumed: []bool{true}, Phase2Types: []int{26, 26}, PACUsed: []int{1},
			RADIUSCodes: append(repeat("Access-Challenge", 5), "Access-Accept"), EAPResult: "EAP-Success"}},
		MPPEOK: 1,
	}
	if !reflect.DeepEqual(auth, wantAuth) {
		t.Errorf("PAC-based run:\ngot  %+v\nwant %+v", auth, wantAuth)
	}
}

func TestParseFreeRADIUSLog(t *testing.T) {
	// The kept server log of P2 tags every line with its node: "[a] (4) ...".
	// Logins: the inner one "via TLS tunnel", then the outer one, then only
	// the outer one on the resumed session.
	got := ParseFreeRADIUSLog(readFile(t, "../../lab/captures/P2.server.log"))
	if got.Accepts != 2 || got.Rejects != 0 || got.Challenges != 12 || got.SessionsStored != 1 ||
		got.SessionsRequested != 1 || got.SessionsRestored != 1 || got.Phase2Skipped != 1 ||
		!reflect.DeepEqual(got.LoginOK, []string{"lab-user", "lab-user", "lab-user"}) || len(got.LoginIncorrect) != 0 {
		t.Errorf("%+v", got)
	}
}

func TestParseHostapdLog(t *testing.T) {
	got := ParseHostapdLog(readFile(t, "testdata/hostapd-fast.log"))
	want := HostapdLog{Accepts: 1, Rejects: 1, Resumed: []bool{false, true}, AnonymousProvisioning: 1,
		CryptoBindingValid: 2, PACAcknowledged: 1, PACOpaqueAccepted: 1, AuthenticationCompleted: 1,
		Failures: []string{"EAP-FAST: Ignore invalid SessionTicket"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestEapolTestNetworkConfig(t *testing.T) {
	got, err := EapolTestNetwork{EAP: "FAST", Identity: "lab-user", AnonymousIdentity: "FAST-anonymous", Password: "pw",
		Phase1: "fast_provisioning=1", Phase2: "auth=MSCHAPV2", PACFile: "/tmp/p"}.Config()
	if err != nil {
		t.Fatal(err)
	}
	want := "network={\n\tkey_mgmt=IEEE8021X\n\teap=FAST\n\tidentity=\"lab-user\"\n\tanonymous_identity=\"FAST-anonymous\"\n" +
		"\tpassword=\"pw\"\n\tphase1=\"fast_provisioning=1\"\n\tphase2=\"auth=MSCHAPV2\"\n\tpac_file=\"/tmp/p\"\n}\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := (EapolTestNetwork{EAP: "PEAP", Identity: "a\"b"}).Config(); err == nil {
		t.Error("a quote in the identity was accepted")
	}
	if _, err := (EapolTestNetwork{EAP: "PEAP", Identity: "x", Password: "p\nnetwork={"}).Config(); err == nil {
		t.Error("a line break in the password was accepted")
	}
}

func TestFreeRADIUSConfigWrite(t *testing.T) {
	dir := t.TempDir()
	cfg := FreeRADIUSConfig{Dir: dir, Port: 18120, Secret: "s3cret", CACert: "/pki/ca.pem", ServerCert: "/pki/server.pem",
		ServerKey: "/pki/server.key", Users: []User{{"lab-user", "lab-password"}}, SessionCache: true}
	if err := cfg.Write(); err != nil {
		t.Fatal(err)
	}
	conf := readFile(t, filepath.Join(dir, "radiusd.conf"))
	for _, want := range []string{"port = 18120", "secret = s3cret", "require_message_authenticator = yes",
		"ca_file = /pki/ca.pem", "enable = yes", "default_eap_type = peap", "fragment_size = 1024",
		"persist_dir = \"" + dir + "/tlscache\""} {
		if !strings.Contains(conf, want) {
			t.Errorf("radiusd.conf lacks %q", want)
		}
	}
	if users := readFile(t, filepath.Join(dir, "users")); users != "\"lab-user\" Cleartext-Password := \"lab-password\"\n" {
		t.Errorf("users file %q", users)
	}
	if err := (FreeRADIUSConfig{Dir: dir, Port: 1, Secret: "x", Users: []User{{"a", "b\"c"}}}).Write(); err == nil {
		t.Error("a quote in a password was accepted")
	}
}

func TestHostapdConfigWrite(t *testing.T) {
	dir := t.TempDir()
	cfg := HostapdConfig{Dir: dir, Port: 18128, Secret: "s3cret", AID: []byte{0xab, 0xcd}, AIDInfo: "interop",
		PACOpaqueKey: [16]byte{1}, Users: []User{{"lab-user", "lab-password"}}}
	if err := cfg.Write(); err != nil {
		t.Fatal(err)
	}
	conf := readFile(t, cfg.ConfigPath())
	for _, want := range []string{"radius_server_auth_port=18128", "eap_fast_a_id=abcd", "eap_fast_prov=3",
		"pac_opaque_encr_key=01000000000000000000000000000000", "dh_file=" + dir + "/dh.pem"} {
		if !strings.Contains(conf, want) {
			t.Errorf("hostapd.conf lacks %q", want)
		}
	}
	if got := readFile(t, filepath.Join(dir, "eap_users")); got != "* FAST\n\"lab-user\" MSCHAPV2 \"lab-password\" [2]\n" {
		t.Errorf("eap_users %q", got)
	}
	if got := readFile(t, filepath.Join(dir, "radius_clients")); got != "127.0.0.1/32 s3cret\n" {
		t.Errorf("radius_clients %q", got)
	}
}

// OpenSSL names the group of our DH parameters file ffdhe2048, and writes
// the same bytes for that group.
func TestFFDHE2048PEMMatchesOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed: no oracle for the DH parameters")
	}
	want, err := exec.Command(openssl, "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := FFDHE2048PEM(); !bytes.Equal(got, want) {
		t.Errorf("ours:\n%s\nopenssl:\n%s", got, want)
	}
	path := filepath.Join(t.TempDir(), "dh.pem")
	if err := writeDHParams(path); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(openssl, "pkeyparam", "-in", path, "-noout", "-text").CombinedOutput()
	if err != nil || !strings.Contains(string(text), "GROUP: ffdhe2048") {
		t.Errorf("openssl pkeyparam: %v\n%s", err, text)
	}
}
