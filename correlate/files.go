package correlate

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
)

// Progress is told how far reading has come: the input, bytes read of it
// and packets so far. It is called every few thousand packets.
type Progress func(input int, path string, consumed int64, packets uint64)

// AnalyzeFiles reads every path ("-" is standard input) in order through
// one Analyzer and returns the report. Inputs that cannot be read at all
// are reported in the report (and in the returned error list); the others
// are analyzed as far as they go.
func AnalyzeFiles(paths []string, o Options, progress Progress) (*report.Report, []error) {
	a := New(o)
	var errs []error
	for _, path := range paths {
		errs = appendErr(errs, a.ReadFile(path, progress))
	}
	return a.Finish(), errs
}

func appendErr(errs []error, err error) []error {
	if err != nil {
		errs = append(errs, err)
	}
	return errs
}

// progressEvery is how many packets pass between progress calls.
const progressEvery = 1 << 14

// ReadFile analyzes one input. It returns the input's error (nil for a
// clean end).
func (a *Analyzer) ReadFile(path string, progress Progress) error {
	r, err := source.Open(path)
	idx := a.AddInput(path, "unknown")
	if err != nil {
		a.EndInput(idx, nil, err)
		return err
	}
	defer r.Close()
	if !a.opt.NoEmbeddedSecrets {
		r.OnSecret(func(sec source.Secret) { a.addSecret(path, sec) })
	}
	var p source.Packet
	var n uint64
	for {
		err = r.Next(&p)
		if err != nil {
			break
		}
		a.Packet(idx, &p)
		n++
		if progress != nil && n%progressEvery == 0 {
			progress(idx, path, r.Consumed(), n)
		}
	}
	if errors.Is(err, io.EOF) {
		err = nil
	}
	a.EndInput(idx, r, err)
	if progress != nil {
		progress(idx, path, r.Consumed(), n)
	}
	return err
}

// addSecret adds the key log of a pcapng Decryption Secrets Block of
// input path to the analysis's keys.
func (a *Analyzer) addSecret(path string, sec source.Secret) {
	if sec.Type != source.SecretsTLSKeyLog {
		return
	}
	n := 1
	for _, k := range a.rep.Options.Keys {
		if k.Kind == report.KeyInputDSB && strings.HasPrefix(k.Source, path+" ") {
			n++
		}
	}
	src := fmt.Sprintf("%s DSB %d", path, n)
	l := a.decrypt.Keys.AddKeyLog(sec.Data, src)
	a.rep.Options.Keys = append(a.rep.Options.Keys, report.KeyInput{Kind: report.KeyInputDSB, Source: src,
		Entries: l.Added + l.Duplicates, Problems: len(l.Problems) + l.MoreProblems})
}
