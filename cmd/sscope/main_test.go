package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The tests run the command as a user would, from the repository root, so
// the paths written in reports are the ones the README shows.
func TestMain(m *testing.M) {
	if err := os.Chdir(filepath.Join("..", "..")); err != nil {
		panic(err)
	}
	version = "test"
	os.Exit(m.Run())
}

// sscope runs the command line and returns stdout, stderr and exit code.
func sscope(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, bytes.NewReader(nil), &out, &errb)
	return out.String(), errb.String(), code
}
