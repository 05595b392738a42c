package interop

import (
	"os"
	"path/filepath"
	"testing"
)

// pkiFiles are the PEM files of the reference implementation's test PKI
// (samples/refimpl/pki), which the peers are configured with: the same CA,
// server and client certificates our endpoints use.
type pkiFiles struct {
	CA, ServerCert, ServerKey, ClientCert, ClientKey string
}

func testPKI(t *testing.T) pkiFiles {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "pki"))
	if err != nil {
		t.Fatal(err)
	}
	files := pkiFiles{
		CA:         filepath.Join(dir, "ca.pem"),
		ServerCert: filepath.Join(dir, "server.pem"),
		ServerKey:  filepath.Join(dir, "server.key"),
		ClientCert: filepath.Join(dir, "client.pem"),
		ClientKey:  filepath.Join(dir, "client.key"),
	}
	for _, f := range []string{files.CA, files.ServerCert, files.ServerKey, files.ClientCert, files.ClientKey} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("test PKI: %v", err)
		}
	}
	return files
}
