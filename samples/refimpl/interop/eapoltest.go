package interop

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// EapolTestNetwork is the one network block eapol_test authenticates with
// (wpa_supplicant configuration syntax).
type EapolTestNetwork struct {
	EAP                           string // "PEAP", "TLS", "FAST"
	Identity, AnonymousIdentity   string
	Password                      string
	CACert, ClientCert, ClientKey string
	Phase1, Phase2                string // e.g. "peapver=0 tls_disable_tlsv1_3=1", "auth=MSCHAPV2"
	PACFile                       string // EAP-FAST PAC store (read and written by eapol_test)
}

// Config returns the configuration file text.
func (n EapolTestNetwork) Config() (string, error) {
	if n.EAP == "" || n.Identity == "" {
		return "", errors.New("eapol_test network: EAP and Identity are required")
	}
	var b strings.Builder
	b.WriteString("network={\n\tkey_mgmt=IEEE8021X\n")
	fmt.Fprintf(&b, "\teap=%s\n", n.EAP)
	for _, f := range []struct{ key, value string }{
		{"identity", n.Identity},
		{"anonymous_identity", n.AnonymousIdentity},
		{"password", n.Password},
		{"ca_cert", n.CACert},
		{"client_cert", n.ClientCert},
		{"private_key", n.ClientKey},
		{"phase1", n.Phase1},
		{"phase2", n.Phase2},
		{"pac_file", n.PACFile},
	} {
		if f.value == "" {
			continue
		}
		if err := checkConfigValue("eapol_test "+f.key, f.value); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "\t%s=%q\n", f.key, f.value)
	}
	b.WriteString("}\n")
	return b.String(), nil
}

// EapolTestRun is one eapol_test invocation: the supplicant and the NAS in
// one process, talking RADIUS to Server:Port.
type EapolTestRun struct {
	ConfigPath string
	Server     string // IPv4 address
	Port       int
	Secret     string
	Reauths    int    // -r: re-authentications after the first, in the same process (TLS session kept)
	Timeout    int    // -t: seconds for the whole run; 0 means 10
	MAC        string // -M: the supplicant's address (Calling-Station-Id)
}

// Args returns eapol_test's command-line arguments.
func (r EapolTestRun) Args() []string {
	timeout := r.Timeout
	if timeout == 0 {
		timeout = 10
	}
	args := []string{"-c", r.ConfigPath, "-a", r.Server, "-p", strconv.Itoa(r.Port), "-s", r.Secret,
		"-r", strconv.Itoa(r.Reauths), "-t", strconv.Itoa(timeout)}
	if r.MAC != "" {
		args = append(args, "-M", r.MAC)
	}
	return args
}

// EapolTestResult is eapol_test's own account of a run, from its output.
type EapolTestResult struct {
	Success       bool            // the final line is "SUCCESS"
	Auths         []EapolTestAuth // one per authentication (CTRL-EVENT-EAP-STARTED)
	MPPEOK        int             // "MPPE keys OK: N  mismatch: M": authentications whose MSK, as the
	MPPEMismatch  int             // supplicant derived it, equals the Access-Accept's MS-MPPE keys (N), or not (M)
	PACsWritten   int             // EAP-FAST: "Wrote N PAC entries"
	PACProvisions int             // EAP-FAST: "Send PAC-Acknowledgement TLV - Provisioning completed successfully"
	Alerts        []string        // TLS alerts sent or received ("SSL: SSL3 alert: ...")
}

// EapolTestAuth is one authentication of an eapol_test run.
type EapolTestAuth struct {
	Method      string   // the method selected, e.g. "PEAP" (CTRL-EVENT-EAP-METHOD)
	Resumed     []bool   // per completed TLS handshake: "OpenSSL: Handshake finished - resumed=N"
	Phase2Types []int    // EAP types of the phase 2 requests (PEAP, EAP-FAST)
	RADIUSCodes []string // codes of the RADIUS answers received, e.g. "Access-Challenge"
	PACUsed     []int    // EAP-FAST: "PAC found for this A-ID (PAC-Type N)"
	EAPResult   string   // "EAP-Success", "EAP-Failure" (CTRL-EVENT-EAP-*), "" when it did not end
}

// Resumed lists the handshakes' resumed flags across all authentications.
func (r EapolTestResult) Resumed() []bool {
	var out []bool
	for _, a := range r.Auths {
		out = append(out, a.Resumed...)
	}
	return out
}

// EAPResults lists the authentications' EAP results.
func (r EapolTestResult) EAPResults() []string {
	var out []string
	for _, a := range r.Auths {
		out = append(out, a.EAPResult)
	}
	return out
}

var (
	eapolResumed    = regexp.MustCompile(`OpenSSL: Handshake finished - resumed=(\d)`)
	eapolMethod     = regexp.MustCompile(`CTRL-EVENT-EAP-METHOD EAP vendor \d+ method \d+ \(([^)]*)\) selected`)
	eapolPhase2     = regexp.MustCompile(`EAP-(?:PEAP|FAST|TTLS): Phase 2 Request: type=(?:\d+:)?(\d+)`)
	eapolRADIUS     = regexp.MustCompile(`^RADIUS message: code=\d+ \(([^)]*)\)`)
	eapolMPPE       = regexp.MustCompile(`^MPPE keys OK: (\d+)\s+mismatch: (\d+)`)
	eapolPACWritten = regexp.MustCompile(`EAP-FAST: Wrote (\d+) PAC entries`)
	eapolPACFound   = regexp.MustCompile(`EAP-FAST: PAC found for this A-ID \(PAC-Type (\d+)\)`)
)

// ParseEapolTest reads eapol_test's output (default debug level).
func ParseEapolTest(out string) EapolTestResult {
	var r EapolTestResult
	var cur *EapolTestAuth
	auth := func() *EapolTestAuth {
		if cur == nil {
			r.Auths = append(r.Auths, EapolTestAuth{})
			cur = &r.Auths[len(r.Auths)-1]
		}
		return cur
	}
	last := ""
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) != "" {
			last = strings.TrimSpace(line)
		}
		if strings.Contains(line, "CTRL-EVENT-EAP-STARTED") {
			cur = nil
			auth()
			continue
		}
		if m := eapolResumed.FindStringSubmatch(line); m != nil {
			a := auth()
			a.Resumed = append(a.Resumed, m[1] == "1")
		}
		if m := eapolMethod.FindStringSubmatch(line); m != nil {
			auth().Method = m[1]
		}
		if m := eapolPhase2.FindStringSubmatch(line); m != nil {
			if t, err := strconv.Atoi(m[1]); err == nil {
				a := auth()
				a.Phase2Types = append(a.Phase2Types, t)
			}
		}
		if m := eapolRADIUS.FindStringSubmatch(line); m != nil && m[1] != "Access-Request" {
			a := auth()
			a.RADIUSCodes = append(a.RADIUSCodes, m[1])
		}
		if m := eapolPACFound.FindStringSubmatch(line); m != nil {
			if t, err := strconv.Atoi(m[1]); err == nil {
				a := auth()
				a.PACUsed = append(a.PACUsed, t)
			}
		}
		if m := eapolMPPE.FindStringSubmatch(line); m != nil {
			r.MPPEOK, _ = strconv.Atoi(m[1])
			r.MPPEMismatch, _ = strconv.Atoi(m[2])
		}
		if m := eapolPACWritten.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			r.PACsWritten += n
		}
		switch {
		case strings.Contains(line, "CTRL-EVENT-EAP-SUCCESS"):
			auth().EAPResult = "EAP-Success"
		case strings.Contains(line, "CTRL-EVENT-EAP-FAILURE"):
			auth().EAPResult = "EAP-Failure"
		case strings.Contains(line, "Send PAC-Acknowledgement TLV - Provisioning completed successfully"):
			r.PACProvisions++
		case strings.Contains(line, "SSL3 alert"):
			r.Alerts = append(r.Alerts, strings.TrimSpace(line))
		}
	}
	r.Success = last == "SUCCESS"
	return r
}
