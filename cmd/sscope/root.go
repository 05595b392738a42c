package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

const rootLong = `sscope reads pcap/pcapng captures and follows RADIUS, EAP and TLS: every
authentication and TLS connection becomes a session with a timeline, each TLS
handshake is judged full, abbreviated, failed or incomplete, and findings say
what went wrong in a sentence you can paste into a ticket.

Exit codes:
  0  everything was analyzed
  1  an input could only be partly analyzed (truncated or damaged file)
  2  bad usage, or an input could not be read at all`

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "sscope",
		Short:         "Session timelines and verdicts for RADIUS/EAP and TLS captures",
		Long:          rootLong,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newAnalyzeCmd(), newLiveCmd(), newTUICmd(), newExportCmd(), newSamplesCmd(), newVersionCmd())
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitUsage, msg: err.Error() + "\n" + c.UseLine()}
	})
	return root
}

// run executes the command line and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "sscope: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "sscope: "+err.Error())
	return exitUsage
}
