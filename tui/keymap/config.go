package keymap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// EnvVar names the environment variable that points at a key file.
const EnvVar = "SSCOPE_KEYS"

// maxConfigBytes caps a key file: a few hundred bytes are plenty.
const maxConfigBytes = 64 << 10

// DefaultPath is where the key file is looked for when $SSCOPE_KEYS is not
// set: $XDG_CONFIG_HOME/sscope/keys.json, else ~/.config/sscope/keys.json.
// It returns "" when no home directory is known.
func DefaultPath() string {
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
		return filepath.Join(x, "sscope", "keys.json")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".config", "sscope", "keys.json")
}

// LoadUser returns the defaults overridden by the user's key file: the file
// $SSCOPE_KEYS names (which must exist), else DefaultPath (which may not).
// It returns the path it read ("" when none).
func LoadUser() (*Map, string, error) {
	if p := os.Getenv(EnvVar); p != "" {
		m, err := LoadFile(p)
		return m, p, err
	}
	p := DefaultPath()
	if p == "" {
		return Default(), "", nil
	}
	m, err := LoadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), "", nil
	}
	return m, p, err
}

// LoadFile returns the defaults overridden by a key file.
func LoadFile(path string) (*Map, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Read returns the defaults overridden by a key file's contents: a JSON
// object from action names to lists of keys, e.g.
//
//	{"down": ["j", "Down", "Ctrl-N"], "quit": ["q", "Ctrl-Q"]}
//
// An action named replaces its default keys; an empty list unbinds it.
func Read(r io.Reader) (*Map, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxConfigBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("key file larger than %d bytes", maxConfigBytes)
	}
	var raw map[string][]string
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("not a JSON object of action names to key lists: %v", err)
	}
	changes := make(map[Action][]Key, len(raw))
	for name, list := range raw {
		keys := make([]Key, 0, len(list))
		for _, s := range list {
			k, err := Parse(s)
			if err != nil {
				return nil, fmt.Errorf("action %q: %v", name, err)
			}
			keys = append(keys, k)
		}
		changes[Action(name)] = keys
	}
	m := Default()
	if err := m.Override(changes); err != nil {
		return nil, err
	}
	return m, nil
}
