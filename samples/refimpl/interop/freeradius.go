package interop

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// FreeRADIUSConfig describes one FreeRADIUS 3.2 instance: PEAP/EAP-MSCHAPv2
// and EAP-TLS on 127.0.0.1:Port for NAS 127.0.0.1, with Message-Authenticator
// required on every request.
type FreeRADIUSConfig struct {
	Dir                           string // configuration and run directory (must exist)
	Port                          int
	Secret                        string
	CACert, ServerCert, ServerKey string // PEM files; CACert also verifies EAP-TLS client certificates
	Users                         []User // phase 2 users (Cleartext-Password)
	SessionCache                  bool   // TLS session cache (persist_dir), so clients can resume
	FragmentSize                  int    // TLS data per EAP-Request; 0 means 1024
	DefaultEAPType                string // "peap" (default) or "tls"
}

// User is an account a peer server accepts.
type User struct{ Name, Password string }

// Write renders radiusd.conf, the users file and an empty local dictionary
// into Dir.
func (c FreeRADIUSConfig) Write() error {
	if c.Dir == "" || c.Port == 0 || c.Secret == "" {
		return errors.New("freeradius: Dir, Port and Secret are required")
	}
	if c.FragmentSize == 0 {
		c.FragmentSize = 1024
	}
	if c.DefaultEAPType == "" {
		c.DefaultEAPType = "peap"
	}
	for _, v := range []string{c.Dir, c.Secret, c.CACert, c.ServerCert, c.ServerKey, c.DefaultEAPType} {
		if err := checkConfigValue("freeradius setting", v); err != nil {
			return err
		}
	}
	for _, sub := range []string{"log", "run", "db", "acct", "tlscache"} {
		if err := os.MkdirAll(filepath.Join(c.Dir, sub), 0o700); err != nil {
			return err
		}
	}
	var users strings.Builder
	for _, u := range c.Users {
		if err := checkConfigValue("user", u.Name); err != nil {
			return err
		}
		if err := checkConfigValue("password", u.Password); err != nil {
			return err
		}
		fmt.Fprintf(&users, "%q Cleartext-Password := %q\n", u.Name, u.Password)
	}
	if err := os.WriteFile(filepath.Join(c.Dir, "users"), []byte(users.String()), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(c.Dir, "dictionary"), nil, 0o600); err != nil {
		return err
	}
	return render("radiusd.conf.tmpl", filepath.Join(c.Dir, "radiusd.conf"), c)
}

// Args are the command-line arguments of `freeradius` for this
// configuration: foreground with full debugging (-X), which also makes
// FreeRADIUS print the lines FreeRADIUSLog reads.
func (c FreeRADIUSConfig) Args() []string {
	return []string{"-X", "-d", c.Dir, "-n", "radiusd"}
}

// FreeRADIUSReady is the line FreeRADIUS prints once it listens.
const FreeRADIUSReady = "Ready to process requests"

// FreeRADIUSLog is what a FreeRADIUS -X log says about the conversations it
// served: its own verdicts, line by line.
type FreeRADIUSLog struct {
	Accepts, Rejects, Challenges int      // "Sent Access-Accept" ...
	LoginOK, LoginIncorrect      []string // "Login OK: [user]" (inner or outer identity)
	SessionsStored               int      // "Serialising session ..., and storing in cache"
	SessionsRequested            int      // "Peer requested cached session"
	SessionsRestored             int      // "Successfully restored session"
	Phase2Skipped                int      // "Skipping Phase2 because of session resumption"
	Errors                       []string // "ERROR: ..." lines
}

var (
	freeradiusSent  = regexp.MustCompile(`Sent Access-(Accept|Reject|Challenge) Id`)
	freeradiusLogin = regexp.MustCompile(`Login (OK|incorrect)\b.*?: \[([^\]/]*)`)
)

// ParseFreeRADIUSLog reads FreeRADIUS debug output.
func ParseFreeRADIUSLog(out string) FreeRADIUSLog {
	var l FreeRADIUSLog
	for _, line := range strings.Split(out, "\n") {
		if m := freeradiusSent.FindStringSubmatch(line); m != nil {
			switch m[1] {
			case "Accept":
				l.Accepts++
			case "Reject":
				l.Rejects++
			case "Challenge":
				l.Challenges++
			}
		}
		if m := freeradiusLogin.FindStringSubmatch(line); m != nil {
			if m[1] == "OK" {
				l.LoginOK = append(l.LoginOK, m[2])
			} else {
				l.LoginIncorrect = append(l.LoginIncorrect, m[2])
			}
		}
		switch {
		case strings.Contains(line, "Serialising session") && strings.Contains(line, "storing in cache"):
			l.SessionsStored++
		case strings.Contains(line, "Peer requested cached session"):
			l.SessionsRequested++
		case strings.Contains(line, "Successfully restored session"):
			l.SessionsRestored++
		case strings.Contains(line, "Skipping Phase2 because of session resumption"):
			l.Phase2Skipped++
		}
		if strings.Contains(line, "ERROR: ") {
			l.Errors = append(l.Errors, strings.TrimSpace(line))
		}
	}
	return l
}
