package interop

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// HostapdConfig describes hostapd run as a RADIUS server with its
// integrated EAP server (driver=none), for EAP-FAST: anonymous and
// authenticated provisioning, PAC-based tunnels, EAP-MSCHAPv2 inside.
type HostapdConfig struct {
	Dir                           string // configuration directory (must exist)
	Port                          int
	Secret                        string
	CACert, ServerCert, ServerKey string
	Users                         []User // phase 2 EAP-MSCHAPv2 users; phase 1 accepts any identity for EAP-FAST
	PACOpaqueKey                  [16]byte
	AID                           []byte // Authority-ID sent in EAP-FAST Start (16 bytes)
	AIDInfo                       string
	Provisioning                  int // eap_fast_prov: 0 none, 1 anonymous, 2 authenticated, 3 both; 0 in the struct means 3
}

// Write renders hostapd.conf, the RADIUS clients file, the EAP user file and
// the DH parameters into Dir.
func (c HostapdConfig) Write() error {
	if c.Dir == "" || c.Port == 0 || c.Secret == "" || len(c.AID) == 0 {
		return errors.New("hostapd: Dir, Port, Secret and AID are required")
	}
	for _, v := range []string{c.Dir, c.Secret, c.CACert, c.ServerCert, c.ServerKey, c.AIDInfo} {
		if err := checkConfigValue("hostapd setting", v); err != nil {
			return err
		}
	}
	if strings.ContainsAny(c.Secret, " \t") {
		return errors.New("hostapd: the RADIUS secret must not contain blanks")
	}
	clients := fmt.Sprintf("127.0.0.1/32 %s\n", c.Secret)
	if err := os.WriteFile(filepath.Join(c.Dir, "radius_clients"), []byte(clients), 0o600); err != nil {
		return err
	}
	var users strings.Builder
	users.WriteString("* FAST\n")
	for _, u := range c.Users {
		if err := checkConfigValue("user", u.Name); err != nil {
			return err
		}
		if err := checkConfigValue("password", u.Password); err != nil {
			return err
		}
		fmt.Fprintf(&users, "%q MSCHAPV2 %q [2]\n", u.Name, u.Password)
	}
	if err := os.WriteFile(filepath.Join(c.Dir, "eap_users"), []byte(users.String()), 0o600); err != nil {
		return err
	}
	if err := writeDHParams(filepath.Join(c.Dir, "dh.pem")); err != nil {
		return err
	}
	return render("hostapd.conf.tmpl", c.ConfigPath(), struct {
		HostapdConfig
		PACOpaqueKeyHex, AIDHex string
		Provisioning            int
	}{c, hex.EncodeToString(c.PACOpaqueKey[:]), hex.EncodeToString(c.AID), c.provisioning()})
}

func (c HostapdConfig) provisioning() int {
	if c.Provisioning == 0 {
		return 3
	}
	return c.Provisioning
}

// ConfigPath is where Write puts hostapd.conf.
func (c HostapdConfig) ConfigPath() string { return filepath.Join(c.Dir, "hostapd.conf") }

// Args are hostapd's command-line arguments: foreground, debug output
// (-dd prints the EAP-FAST state machine and OpenSSL's handshake verdicts).
func (c HostapdConfig) Args() []string { return []string{"-dd", c.ConfigPath()} }

// HostapdReady is the line hostapd prints once its RADIUS server listens.
const HostapdReady = "Setup of interface done."

// HostapdLog is what hostapd's debug output says about the EAP-FAST
// conversations it served.
type HostapdLog struct {
	Accepts, Rejects        int      // "Sending Access-Accept" / "Sending Access-Reject"
	Resumed                 []bool   // "OpenSSL: Handshake finished - resumed=N", in order
	AnonymousProvisioning   int      // "EAP-FAST: Anonymous provisioning"
	CryptoBindingValid      int      // "EAP-FAST: Valid Crypto-Binding TLV received"
	PACAcknowledged         int      // "PAC-Acknowledgement received - PAC provisioning succeeded"
	PACOpaqueAccepted       int      // "EAP-FAST: PAC-Key from decrypted PAC-Opaque" (tunnel from a PAC)
	AuthenticationCompleted int      // "EAP-FAST: Authentication completed successfully"
	Failures                []string // EAP-FAST errors and TLS alerts, for diagnostics
}

var (
	hostapdResumed = regexp.MustCompile(`OpenSSL: Handshake finished - resumed=(\d)`)
	hostapdFailure = regexp.MustCompile(`EAP-FAST: .*([Ff]ail|did not match|[Ii]nvalid|not valid|[Uu]nexpected|disabled)`)
)

// ParseHostapdLog reads hostapd -dd output.
func ParseHostapdLog(out string) HostapdLog {
	var l HostapdLog
	for _, line := range strings.Split(out, "\n") {
		if m := hostapdResumed.FindStringSubmatch(line); m != nil {
			l.Resumed = append(l.Resumed, m[1] == "1")
		}
		switch {
		case strings.Contains(line, "Sending Access-Accept"):
			l.Accepts++
		case strings.Contains(line, "Sending Access-Reject"):
			l.Rejects++
		case strings.Contains(line, "EAP-FAST: Anonymous provisioning"):
			l.AnonymousProvisioning++
		case strings.Contains(line, "EAP-FAST: Valid Crypto-Binding TLV received"):
			l.CryptoBindingValid++
		case strings.Contains(line, "PAC-Acknowledgement received - PAC provisioning succeeded"):
			l.PACAcknowledged++
		case strings.Contains(line, "EAP-FAST: PAC-Key from decrypted PAC-Opaque"):
			l.PACOpaqueAccepted++
		case strings.Contains(line, "EAP-FAST: Authentication completed successfully"):
			l.AuthenticationCompleted++
		case strings.Contains(line, "alert:"), hostapdFailure.MatchString(line):
			l.Failures = append(l.Failures, strings.TrimSpace(line))
		}
	}
	return l
}
