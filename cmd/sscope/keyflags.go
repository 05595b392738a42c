package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
)

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
	warnings, err := correlate.KeyFiles{KeyLogs: k.keylogs, RSAKeys: k.rsaKeys, PACFiles: k.pacs}.Load(opts)
	for i, w := range warnings {
		if i == maxKeyWarnings {
			fmt.Fprintf(stderr, "sscope: warning: %d more key file problems\n", len(warnings)-maxKeyWarnings)
			break
		}
		fmt.Fprintf(stderr, "sscope: warning: %s\n", w)
	}
	var kf *correlate.KeyFileError
	if errors.As(err, &kf) {
		return &exitError{code: exitUsage, msg: fmt.Sprintf("--%s %s: %v", keyFlagName[kf.Kind], kf.Path, cleanErr(kf.Err))}
	}
	return err
}

// keyFlagName is the flag of each kind of key file.
var keyFlagName = map[string]string{
	report.KeyInputKeylog:  "keylog",
	report.KeyInputRSAKey:  "rsa-key",
	report.KeyInputPACFile: "pac",
}
