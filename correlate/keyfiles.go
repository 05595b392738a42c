package correlate

import (
	"fmt"
	"io"
	"os"

	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect/eapfast"
)

// MaxPACFile caps a PAC file (wpa_supplicant's hold a few PACs of a few
// hundred bytes each).
const MaxPACFile = 16 << 20

// KeyFiles are the key files a user names: NSS key logs, PEM RSA private
// keys and EAP-FAST PAC files.
type KeyFiles struct {
	KeyLogs, RSAKeys, PACFiles []string
}

// KeyFileError names a key file that could not be used at all. Kind is
// the report's key input kind (report.KeyInputKeylog, ...).
type KeyFileError struct {
	Kind, Path string
	Err        error
}

func (e *KeyFileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *KeyFileError) Unwrap() error { return e.Err }

// Load reads the files into o: their keys into o.Keys (a new store when
// nil), the PAC entries into o.PACs, each file into o.KeyInputs, and the
// first key log into o.Keylog. Problems that leave a file usable (lines
// that cannot be used) come back as warnings; the first file that cannot
// be used at all is a *KeyFileError, and o is then left as it was.
func (k KeyFiles) Load(o *Options) (warnings []string, err error) {
	if len(k.KeyLogs) == 0 && len(k.RSAKeys) == 0 && len(k.PACFiles) == 0 {
		return nil, nil
	}
	store := o.Keys
	if store == nil {
		store = keys.NewStore()
	}
	var inputs []report.KeyInput
	var pacs []eapfast.PACFileEntry
	for _, p := range k.KeyLogs {
		l, err := store.LoadKeyLogFile(p)
		if err != nil {
			return warnings, &KeyFileError{Kind: report.KeyInputKeylog, Path: p, Err: err}
		}
		for _, pr := range l.Problems {
			warnings = append(warnings, pr.Error())
		}
		if l.Added+l.Duplicates == 0 {
			warnings = append(warnings, p+": no usable key log line")
		}
		inputs = append(inputs, report.KeyInput{Kind: report.KeyInputKeylog, Source: p,
			Entries: l.Added + l.Duplicates, Problems: len(l.Problems) + l.MoreProblems})
	}
	for _, p := range k.RSAKeys {
		n, err := store.LoadRSAKeyFile(p)
		if n == 0 && err == nil {
			err = fmt.Errorf("no RSA private key in the file")
		}
		if n == 0 {
			return warnings, &KeyFileError{Kind: report.KeyInputRSAKey, Path: p, Err: err}
		}
		problems := 0
		if err != nil {
			warnings = append(warnings, err.Error())
			problems = 1
		}
		inputs = append(inputs, report.KeyInput{Kind: report.KeyInputRSAKey, Source: p, Entries: n, Problems: problems})
	}
	for _, p := range k.PACFiles {
		entries, err := readPACFile(p)
		if err != nil {
			return warnings, &KeyFileError{Kind: report.KeyInputPACFile, Path: p, Err: err}
		}
		pacs = append(pacs, entries...)
		inputs = append(inputs, report.KeyInput{Kind: report.KeyInputPACFile, Source: p, Entries: len(entries)})
	}
	if len(k.KeyLogs) > 0 {
		o.Keylog = k.KeyLogs[0]
	}
	o.KeyInputs = append(o.KeyInputs, inputs...)
	o.PACs = append(o.PACs, pacs...)
	o.Keys = store
	return warnings, nil
}

// readPACFile reads a wpa_supplicant PAC file (text or binary).
func readPACFile(path string) ([]eapfast.PACFileEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxPACFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxPACFile {
		return nil, fmt.Errorf("larger than %d bytes, not a PAC file", MaxPACFile)
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
