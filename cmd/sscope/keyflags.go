package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect/eapfast"
)

// maxPACFile caps a PAC file (wpa_supplicant's hold a few PACs of a few
// hundred bytes each).
const maxPACFile = 16 << 20

// maxKeyWarnings caps the lines of key file problems printed.
const maxKeyWarnings = 10

// keyFlags are the key material a user gives to decrypt TLS tunnels: NSS
// key logs (--keylog, repeatable), EAP-FAST PAC files (--pac) and RSA
// private keys (--rsa-key). The Decryption Secrets Blocks of pcapng inputs
// are read without a flag.
type keyFlags struct {
	keylogs []string
	pacs    []string
	rsaKeys []string
}

// register adds --keylog, --pac and --rsa-key to cmd, each repeatable.
func (k *keyFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&k.keylogs, "keylog", nil, "NSS key log `FILE` (SSLKEYLOGFILE format) for decrypting TLS tunnels; repeatable")
	_ = cmd.MarkFlagFilename("keylog")
	f.StringArrayVar(&k.pacs, "pac", nil, "EAP-FAST PAC `FILE` (wpa_supplicant's text or binary format) whose PAC-Keys decrypt PAC-based tunnels; repeatable")
	f.StringArrayVar(&k.rsaKeys, "rsa-key", nil, "PEM `FILE` with the RSA private key of a server that uses RSA key exchange; repeatable")
	_ = cmd.MarkFlagFilename("pac")
	_ = cmd.MarkFlagFilename("rsa-key")
}

// apply reads the key files into opts. A file that cannot be read (or
// holds nothing usable) is a usage error; lines or blocks that cannot be
// used are warned about on stderr and recorded in the report.
func (k *keyFlags) apply(opts *correlate.Options, stderr io.Writer) error {
	if len(k.keylogs) == 0 && len(k.pacs) == 0 && len(k.rsaKeys) == 0 {
		return nil
	}
	store := opts.Keys
	if store == nil {
		store = keys.NewStore()
	}
	warned := 0
	warn := func(format string, args ...any) {
		if warned < maxKeyWarnings {
			fmt.Fprintf(stderr, "sscope: warning: "+format+"\n", args...)
		}
		warned++
	}
	for _, p := range k.keylogs {
		l, err := store.LoadKeyLogFile(p)
		if err != nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("--keylog %s: %v", p, cleanErr(err))}
		}
		for _, pr := range l.Problems {
			warn("%v", pr)
		}
		if l.Added+l.Duplicates == 0 {
			warn("%s: no usable key log line", p)
		}
		opts.KeyInputs = append(opts.KeyInputs, report.KeyInput{Kind: report.KeyInputKeylog, Source: p,
			Entries: l.Added + l.Duplicates, Problems: len(l.Problems) + l.MoreProblems})
	}
	if len(k.keylogs) > 0 {
		opts.Keylog = k.keylogs[0]
	}
	for _, p := range k.rsaKeys {
		n, err := store.LoadRSAKeyFile(p)
		if n == 0 {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("--rsa-key %s: %v", p, cleanErr(err))}
		}
		problems := 0
		if err != nil {
			warn("%v", err)
			problems = 1
		}
		opts.KeyInputs = append(opts.KeyInputs, report.KeyInput{Kind: report.KeyInputRSAKey, Source: p, Entries: n, Problems: problems})
	}
	for _, p := range k.pacs {
		entries, err := readPACFile(p)
		if err != nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("--pac %s: %v", p, err)}
		}
		opts.PACs = append(opts.PACs, entries...)
		opts.KeyInputs = append(opts.KeyInputs, report.KeyInput{Kind: report.KeyInputPACFile, Source: p, Entries: len(entries)})
	}
	if warned > maxKeyWarnings {
		fmt.Fprintf(stderr, "sscope: warning: %d more key file problems\n", warned-maxKeyWarnings)
	}
	opts.Keys = store
	return nil
}

// readPACFile reads the PACs of a PAC file.
func readPACFile(path string) ([]eapfast.PACFileEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s", cleanErr(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPACFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxPACFile {
		return nil, fmt.Errorf("larger than %d bytes, not a PAC file", maxPACFile)
	}
	entries, err := eapfast.ParsePACFile(b)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("no PAC in the file")
	}
	return entries, nil
}
