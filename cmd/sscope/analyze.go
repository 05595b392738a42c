package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
)

type analyzeFlags struct {
	reportFlags
	keys     keyFlags
	progress string
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
	fl.register(cmd)
	cmd.Flags().StringVar(&fl.progress, "progress", "auto", "progress on standard error: auto (terminal and large input), always, never")
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
	opts, err := fl.options(cmd.ErrOrStderr())
	if err != nil {
		return err
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
	out, err := openReport(cmd, &fl.reportFlags, &opts, false)
	if err != nil {
		return err
	}

	prog := newProgress(cmd.ErrOrStderr(), fl.progress, args)
	a := correlate.New(opts)
	var inputErrs []error
	for _, path := range args {
		prog.start(path)
		if err := a.ReadFile(path, prog.update); err != nil {
			inputErrs = append(inputErrs, err)
		}
		prog.done()
	}
	rep := a.Finish()
	if err := out.write(rep, a.CrossFindings()); err != nil {
		return err
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
