package expect

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/rules"
)

// Suffix ends the name of every expected-verdicts file.
const Suffix = ".expected.json"

// Result is the verification of one sample.
type Result struct {
	Scenario string
	Path     string
	Checks   []Check
	Err      error // the sample could not be read or analyzed
}

// Worst is the worst status of the result's checks (Fail on error).
func (r *Result) Worst() Status {
	if r.Err != nil {
		return Fail
	}
	w := Pass
	for _, c := range r.Checks {
		w = max(w, c.Status)
	}
	return w
}

// Find lists the expected-verdicts files of dir, optionally only those of
// the named scenarios, sorted by scenario.
func Find(dir string, only []string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*"+Suffix))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no %s files (run `sscope samples generate` first)", dir, Suffix)
	}
	want := map[string]bool{}
	for _, s := range only {
		want[strings.ToUpper(s)] = true
	}
	var out []string
	for _, p := range paths {
		id := strings.TrimSuffix(filepath.Base(p), Suffix)
		if len(want) == 0 || want[strings.ToUpper(id)] {
			out = append(out, p)
			delete(want, strings.ToUpper(id))
		}
	}
	if len(want) > 0 {
		var missing []string
		for id := range want {
			missing = append(missing, id)
		}
		sort.Strings(missing)
		return nil, fmt.Errorf("%s: no sample named %s", dir, strings.Join(missing, ", "))
	}
	sort.Slice(out, func(i, j int) bool { return scenarioLess(out[i], out[j]) })
	return out, nil
}

// scenarioLess orders P before T before F, then by number.
func scenarioLess(a, b string) bool {
	order := func(p string) string {
		id := filepath.Base(p)
		rank := strings.IndexByte("PTFAI", id[0])
		if rank < 0 {
			rank = 9
		}
		return fmt.Sprintf("%d%08s", rank, strings.TrimSuffix(id[1:], Suffix))
	}
	return order(a) < order(b)
}

// Options shape a verification.
type Options struct {
	// NoKeys analyzes without any key material: no Decryption Secrets
	// Block of the capture, no key log, no PAC file. Verdicts only a
	// decrypting analyzer can give are then excused when the report says
	// the tunnel was not decrypted.
	NoKeys bool
}

// Verify analyzes the capture of one expected-verdicts file with the keys
// the sample comes with (the capture's Decryption Secrets Block, its key
// log and PAC file) and compares.
func Verify(path string) Result { return VerifyWith(path, Options{}) }

// VerifyWith is Verify with options.
func VerifyWith(path string, o Options) Result {
	s, err := Load(path)
	if err != nil {
		return Result{Path: path, Err: err}
	}
	res := Result{Scenario: s.Scenario, Path: path}
	dir := filepath.Dir(path)
	opts := analyzeOptions()
	if o.NoKeys {
		opts.NoEmbeddedSecrets = true
	} else if err := sampleKeys(dir, s, &opts); err != nil {
		res.Err = err
		return res
	}
	r, err := analyzeWith(filepath.Join(dir, s.Capture), opts)
	if err != nil {
		res.Err = err
		return res
	}
	res.Checks = Compare(s, r)
	return res
}

// sampleKeys loads the key log and PAC file a sample names, as --keylog
// and --pac would; a key log line that cannot be used is an error here.
func sampleKeys(dir string, s *Sample, opts *correlate.Options) error {
	var kf correlate.KeyFiles
	if s.KeyLog != "" {
		kf.KeyLogs = []string{filepath.Join(dir, s.KeyLog)}
	}
	if s.PACFile != "" {
		kf.PACFiles = []string{filepath.Join(dir, s.PACFile)}
	}
	warnings, err := kf.Load(opts)
	if err == nil && len(warnings) > 0 {
		err = errors.New(warnings[0])
	}
	return err
}

func analyzeOptions() correlate.Options {
	return correlate.Options{
		RADIUSPorts:  correlate.DefaultRADIUSPorts,
		TLSPorts:     correlate.DefaultTLSPorts,
		TLSDetect:    true,
		Judge:        rules.New(),
		KeepSessions: true,
	}
}

// Analyze runs the analyzer over one capture as `sscope analyze` does
// (its Decryption Secrets Blocks included).
func Analyze(capture string) (*report.Report, error) {
	return analyzeWith(capture, analyzeOptions())
}

func analyzeWith(capture string, opts correlate.Options) (*report.Report, error) {
	if _, err := os.Stat(capture); err != nil {
		return nil, err
	}
	r, errs := correlate.AnalyzeFiles([]string{capture}, opts, nil)
	if len(errs) > 0 {
		return r, errs[0]
	}
	return r, nil
}
