package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/sessionscope/sscope/cmd/sscope/render"
	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/rules"
)

// reportFlags shape the analysis and its report; analyze and live share
// them.
type reportFlags struct {
	format      string
	json        bool
	output      string
	keys        keyFlags
	radiusPorts string
	tlsPorts    string
	noDetect    bool
	showSecrets bool
}

func (fl *reportFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: text, json or ndjson")
	f.BoolVar(&fl.json, "json", false, "shorthand for --format json")
	f.StringVarP(&fl.output, "output", "o", "", "write the report to `FILE` instead of standard output")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"text", "json", "ndjson"}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.MarkFlagFilename("output")
	f.BoolVar(&fl.showSecrets, "show-secrets", false, "write passwords, keys and tokens instead of <redacted>")
	fl.registerAnalysis(cmd)
}

// registerAnalysis registers the flags that decide what the analysis
// finds (ports, detection, keys), without the report's format.
func (fl *reportFlags) registerAnalysis(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&fl.radiusPorts, "radius-ports", joinPorts(correlate.DefaultRADIUSPorts), "UDP `PORTS` carrying RADIUS (comma-separated)")
	f.StringVar(&fl.tlsPorts, "tls-ports", joinPorts(correlate.DefaultTLSPorts), "TCP `PORTS` where TLS is expected")
	f.BoolVar(&fl.noDetect, "no-tls-detect", false, "do not detect TLS by its signature on other TCP ports")
	fl.keys.register(cmd)
}

// options checks the flags, reads the key files (their problems are
// warned about on stderr) and returns the analysis options, without the
// report wiring (see openReport).
func (fl *reportFlags) options(stderr io.Writer) (correlate.Options, error) {
	if fl.json {
		fl.format = "json"
	}
	switch fl.format {
	case "text", "json", "ndjson":
	default:
		return correlate.Options{}, &exitError{code: exitUsage, msg: fmt.Sprintf("--format %q: use text, json or ndjson", fl.format)}
	}
	radiusPorts, err := parsePorts("radius-ports", fl.radiusPorts)
	if err != nil {
		return correlate.Options{}, err
	}
	tlsPorts, err := parsePorts("tls-ports", fl.tlsPorts)
	if err != nil {
		return correlate.Options{}, err
	}
	opts := correlate.Options{
		RADIUSPorts: radiusPorts,
		TLSPorts:    tlsPorts,
		TLSDetect:   !fl.noDetect,
		ShowSecrets: fl.showSecrets,
		Judge:       rules.New(),
		Version:     buildVersion(),
	}
	if err := fl.keys.apply(&opts, stderr); err != nil {
		return correlate.Options{}, err
	}
	return opts, nil
}

// reportOutput writes the report in the chosen format: text at the end
// (or, streaming, each session as it closes and a summary at the end),
// ndjson line by line, json from a spool.
type reportOutput struct {
	format string
	path   string
	out    io.Writer
	file   *os.File
	nd     *render.NDJSON
	spool  *render.JSONSpool
	text   *render.TextStream
}

// openReport opens -o and wires the writer into opts. stream makes text
// and ndjson write each session as soon as it closes (live capture).
func openReport(cmd *cobra.Command, fl *reportFlags, opts *correlate.Options, stream bool) (*reportOutput, error) {
	o := &reportOutput{format: fl.format, path: fl.output, out: cmd.OutOrStdout()}
	if fl.output != "" && fl.output != "-" {
		f, err := os.Create(fl.output)
		if err != nil {
			return nil, &exitError{code: exitUsage, msg: fmt.Sprintf("-o %s: %v", fl.output, cleanErr(err))}
		}
		o.file, o.out = f, f
	}
	opts.KeepSessions = fl.format == "text" && !stream
	switch fl.format {
	case "ndjson":
		if stream {
			o.nd = render.NewNDJSONStream(o.out)
		} else {
			o.nd = render.NewNDJSON(o.out)
		}
		opts.OnSession = o.nd.Session
	case "json":
		// Sessions wait in a temporary file, not in memory, until the
		// document is written.
		var err error
		if o.spool, err = render.NewJSONSpool(""); err != nil {
			o.abandon()
			return nil, &exitError{code: exitUsage, msg: "creating a temporary file for the report: " + err.Error()}
		}
		opts.OnSession = o.spool.Session
	default:
		if stream {
			o.text = render.NewTextStream(o.out, render.TextOptions{Width: 100})
			opts.OnSession = o.text.Session
		}
	}
	return o, nil
}

// write writes the rest of the report and closes -o.
func (o *reportOutput) write(rep *report.Report, cross []report.Finding) error {
	var err error
	switch {
	case o.format == "json":
		err = o.spool.Write(o.out, rep, cross)
	case o.format == "ndjson":
		err = o.nd.Summary(rep)
	case o.text != nil:
		err = o.text.Summary(rep)
	default:
		err = render.Text(o.out, rep, render.TextOptions{Width: 100})
	}
	if err != nil {
		o.abandon()
		return &exitError{code: exitUsage, msg: "writing the report: " + err.Error()}
	}
	if o.file != nil {
		f := o.file
		o.file = nil
		if err := f.Close(); err != nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("-o %s: %v", o.path, err)}
		}
	}
	return nil
}

// abandon closes -o after a failure.
func (o *reportOutput) abandon() {
	if o.file != nil {
		o.file.Close()
		o.file = nil
	}
}
