package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sessionscope/sscope/cmd/sscope/render"
	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/rules"
)

type analyzeFlags struct {
	format      string
	json        bool
	output      string
	keylog      string
	radiusPorts string
	tlsPorts    string
	noDetect    bool
	showSecrets bool
	progress    string
}

func newAnalyzeCmd() *cobra.Command {
	var fl analyzeFlags
	cmd := &cobra.Command{
		Use:   "analyze FILE...",
		Short: "Analyze pcap/pcapng captures ('-' reads standard input)",
		Long: `Analyze one or more captures together. Sessions are grouped per client
(Calling-Station-Id, audit-session-id, identity at NAS, or IP address) and each
gets a timeline; TLS handshakes inside EAP and over TCP are judged alike.

Formats: text (default, for people), json (the sscope.report/v1 document),
ndjson (one session per line as it closes, then a summary line).`,
		Example: `  sscope analyze customer.pcapng
  sscope analyze --json -o report.json reauth.pcap
  tcpdump -i eth0 -w - udp port 1812 | sscope analyze --format ndjson -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAnalyze(cmd, args, &fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: text, json or ndjson")
	f.BoolVar(&fl.json, "json", false, "shorthand for --format json")
	f.StringVarP(&fl.output, "output", "o", "", "write the report to `FILE` instead of standard output")
	f.StringVar(&fl.keylog, "keylog", "", "NSS key log `FILE` (SSLKEYLOGFILE format) for decrypting TLS tunnels")
	f.StringVar(&fl.radiusPorts, "radius-ports", joinPorts(correlate.DefaultRADIUSPorts), "UDP `PORTS` carrying RADIUS (comma-separated)")
	f.StringVar(&fl.tlsPorts, "tls-ports", joinPorts(correlate.DefaultTLSPorts), "TCP `PORTS` where TLS is expected")
	f.BoolVar(&fl.noDetect, "no-tls-detect", false, "do not detect TLS by its signature on other TCP ports")
	f.BoolVar(&fl.showSecrets, "show-secrets", false, "write passwords, keys and tokens instead of <redacted>")
	f.StringVar(&fl.progress, "progress", "auto", "progress on standard error: auto (terminal and large input), always, never")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"text", "json", "ndjson"}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.MarkFlagFilename("keylog")
	_ = cmd.MarkFlagFilename("output")
	return cmd
}

func joinPorts(ps []uint16) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = strconv.Itoa(int(p))
	}
	return strings.Join(s, ",")
}

func parsePorts(flag, s string) ([]uint16, error) {
	var out []uint16
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 1 || n > 65535 {
			return nil, &exitError{code: exitUsage, msg: fmt.Sprintf("--%s: %q is not a port number (1-65535)", flag, part)}
		}
		out = append(out, uint16(n))
	}
	if out == nil {
		out = []uint16{}
	}
	return out, nil
}

func runAnalyze(cmd *cobra.Command, args []string, fl *analyzeFlags) error {
	if fl.json {
		fl.format = "json"
	}
	switch fl.format {
	case "text", "json", "ndjson":
	default:
		return &exitError{code: exitUsage, msg: fmt.Sprintf("--format %q: use text, json or ndjson", fl.format)}
	}
	radiusPorts, err := parsePorts("radius-ports", fl.radiusPorts)
	if err != nil {
		return err
	}
	tlsPorts, err := parsePorts("tls-ports", fl.tlsPorts)
	if err != nil {
		return err
	}
	if fl.keylog != "" {
		if _, err := os.Stat(fl.keylog); err != nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("--keylog %s: %v", fl.keylog, cleanErr(err))}
		}
	}
	stdinUsers := 0
	for _, a := range args {
		if a == "-" {
			stdinUsers++
		}
	}
	if stdinUsers > 1 {
		return &exitError{code: exitUsage, msg: "standard input ('-') can be read only once"}
	}

	var out io.Writer = cmd.OutOrStdout()
	var outFile *os.File
	if fl.output != "" && fl.output != "-" {
		outFile, err = os.Create(fl.output)
		if err != nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("-o %s: %v", fl.output, cleanErr(err))}
		}
		defer outFile.Close()
		out = outFile
	}

	opts := correlate.Options{
		RADIUSPorts:  radiusPorts,
		TLSPorts:     tlsPorts,
		TLSDetect:    !fl.noDetect,
		ShowSecrets:  fl.showSecrets,
		Keylog:       fl.keylog,
		Judge:        rules.New(),
		KeepSessions: fl.format == "text",
		Version:      buildVersion(),
	}
	var nd *render.NDJSON
	var spool *render.JSONSpool
	switch fl.format {
	case "ndjson":
		nd = render.NewNDJSON(out)
		opts.OnSession = nd.Session
	case "json":
		// Sessions wait in a temporary file, not in memory, until the
		// document is written.
		if spool, err = render.NewJSONSpool(""); err != nil {
			return &exitError{code: exitUsage, msg: "creating a temporary file for the report: " + err.Error()}
		}
		opts.OnSession = spool.Session
	}

	prog := newProgress(cmd.ErrOrStderr(), fl.progress, args)
	a := correlate.New(opts)
	var inputErrs []error
	for _, path := range args {
		if path == "-" {
			path = "-"
		}
		prog.start(path)
		if err := a.ReadFile(path, prog.update); err != nil {
			inputErrs = append(inputErrs, err)
		}
		prog.done()
	}
	rep := a.Finish()

	switch fl.format {
	case "json":
		err = spool.Write(out, rep, a.CrossFindings())
	case "ndjson":
		err = nd.Summary(rep)
	default:
		err = render.Text(out, rep, render.TextOptions{Width: 100})
	}
	if err != nil {
		return &exitError{code: exitUsage, msg: "writing the report: " + err.Error()}
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("-o %s: %v", fl.output, err)}
		}
	}
	return inputExit(cmd.ErrOrStderr(), inputErrs, rep)
}

// inputExit prints one line per input that could not be fully read and
// returns the exit code those problems deserve.
func inputExit(stderr io.Writer, errs []error, rep *report.Report) error {
	code := exitOK
	for _, err := range errs {
		fmt.Fprintln(stderr, "sscope: "+err.Error())
		var ie *source.InputError
		if errors.As(err, &ie) && !ie.Fatal() {
			if code < exitPartial {
				code = exitPartial
			}
			continue
		}
		code = exitUsage
	}
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

func cleanErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
