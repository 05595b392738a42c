package main

import (
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sessionscope/sscope/samples/expect"
	"github.com/sessionscope/sscope/samples/refimpl/scenario"
)

// defaultSamplesDir is where the committed samples live, relative to the
// repository root.
const defaultSamplesDir = "samples/scenarios"

const samplesLong = `The reference implementation plays both ends of every P, T and F scenario
(RADIUS NAS and server, EAP peer and server, TLS client and server, with real
cryptography) and writes each as a sample: SCENARIO.pcapng (TLS secrets in a
Decryption Secrets Block), SCENARIO.keylog (NSS key log), SCENARIO.pac (the
client's EAP-FAST PAC file, F scenarios) and SCENARIO.expected.json (the
verdicts the endpoints recorded). verify analyzes every sample and compares
each verdict field with the expected one.`

func newSamplesCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "samples",
		Short: "List, generate and verify the reference samples",
		Long:  samplesLong,
	}
	c.AddCommand(newSamplesListCmd(), newSamplesGenerateCmd(), newSamplesVerifyCmd())
	return c
}

func newSamplesListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the scenarios the reference implementation plays",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			for _, s := range scenario.All() {
				fmt.Fprintf(tw, "%s\t%s\n", s.ID, s.Title)
			}
			return tw.Flush()
		},
	}
}

func newSamplesGenerateCmd() *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "generate [--out DIR] [SCENARIO...]",
		Short: "Play scenarios and write their captures, keys and expected verdicts",
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := scenario.Lookup(args)
			if err != nil {
				return &exitError{code: exitUsage, msg: err.Error()}
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return &exitError{code: exitUsage, msg: err.Error()}
			}
			for _, s := range list {
				files, err := scenario.Generate(out, s)
				if err != nil {
					return &exitError{code: exitPartial, msg: fmt.Sprintf("%s: %v", s.ID, err)}
				}
				for _, f := range files {
					fmt.Fprintln(cmd.OutOrStdout(), filepath.Join(out, f))
				}
			}
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", defaultSamplesDir, "write the samples into `DIR`")
	return c
}

func newSamplesVerifyCmd() *cobra.Command {
	var only []string
	var noKeys bool
	c := &cobra.Command{
		Use:   "verify [DIR]",
		Short: "Analyze every sample and compare its verdicts with the expected ones",
		Long: `Analyze every sample in DIR (default ` + defaultSamplesDir + `) and compare each
verdict field with the expected one. The table has one row per scenario and one
column per group of fields: pass, FAIL, n/s (a verdict that needs keys while
the tunnel was not decrypted, listed with the reason) or - (not applicable).
Exit status 1 when any field fails.

Each sample is analyzed with its keys: the Decryption Secrets Block of its
capture, its key log and its PAC file. With --no-keys it is analyzed with none,
as a capture without keys would be: verdicts from inside the TLS tunnels are then
n/s when the report says the tunnel was not decrypted, and must never be wrong.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := defaultSamplesDir
			if len(args) == 1 {
				dir = args[0]
			}
			paths, err := expect.Find(dir, only)
			if err != nil {
				return &exitError{code: exitUsage, msg: err.Error()}
			}
			results := make([]expect.Result, 0, len(paths))
			for _, p := range paths {
				results = append(results, expect.VerifyWith(p, expect.Options{NoKeys: noKeys}))
			}
			w := cmd.OutOrStdout()
			expect.WriteTable(w, results)
			pass, ns, fail := expect.Summary(results)
			fmt.Fprintf(w, "\n%d samples: %d pass, %d pass with verdicts that need keys (n/s), %d fail\n", len(results), pass, ns, fail)
			if fail > 0 {
				return &exitError{code: exitPartial}
			}
			return nil
		},
	}
	c.Flags().StringSliceVar(&only, "only", nil, "verify only these `SCENARIOS` (comma-separated)")
	c.Flags().BoolVar(&noKeys, "no-keys", false, "analyze without the samples' keys (no Decryption Secrets Block, key log or PAC file)")
	return c
}
