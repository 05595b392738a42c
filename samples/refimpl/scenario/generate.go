package scenario

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// Generate plays one scenario and writes its files into dir. It returns
// the names of the files written.
func Generate(dir string, s Scenario) ([]string, error) {
	w, err := Play(s)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var capBuf bytes.Buffer
	w.Capture.AddSecrets(w.KeyLog.Bytes())
	if err := w.Capture.Close(&capBuf); err != nil {
		return nil, err
	}
	w.Expected.Capture = s.ID + ".pcapng"
	files[w.Expected.Capture] = capBuf.Bytes()
	if kl := w.KeyLog.Bytes(); len(kl) > 0 {
		w.Expected.KeyLog = s.ID + ".keylog"
		files[w.Expected.KeyLog] = kl
	}
	if len(w.PACFile) > 0 {
		w.Expected.PACFile = s.ID + ".pac"
		files[w.Expected.PACFile] = w.PACFile
	}
	exp, err := w.Expected.Marshal()
	if err != nil {
		return nil, err
	}
	files[s.ID+".expected.json"] = exp
	var names []string
	for _, name := range []string{w.Expected.Capture, w.Expected.KeyLog, w.Expected.PACFile, s.ID + ".expected.json"} {
		if name == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

// Play runs a scenario in memory and returns its world.
func Play(s Scenario) (*World, error) {
	if s.run == nil {
		return nil, fmt.Errorf("scenario %s is not implemented", s.ID)
	}
	w := newWorld(s)
	if err := s.run(w); err != nil {
		return nil, err
	}
	return w, nil
}
