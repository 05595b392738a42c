package keys

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
)

// Caps on RSA key files.
const (
	// MaxRSAKeyFile caps a PEM file of private keys.
	MaxRSAKeyFile = 1 << 20
	// MaxRSAKeys caps the RSA private keys a Store holds.
	MaxRSAKeys = 64
)

// ParseRSAKeys returns the RSA private keys of PEM data: "RSA PRIVATE KEY"
// (PKCS #1) and "PRIVATE KEY" (PKCS #8) blocks. Certificates and other
// blocks beside them are skipped. Encrypted keys, keys of other types and
// data without any key are errors that say what to do.
func ParseRSAKeys(data []byte) ([]*rsa.PrivateKey, error) {
	var keys []*rsa.PrivateKey
	var errs []error
	rest := data
	for n := 1; ; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if _, ok := block.Headers["DEK-Info"]; ok || block.Type == "ENCRYPTED PRIVATE KEY" {
			errs = append(errs, fmt.Errorf("PEM block %d (%s) is encrypted: decrypt it first (openssl rsa -in key.pem -out plain.pem)", n, block.Type))
			continue
		}
		switch block.Type {
		case "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				errs = append(errs, fmt.Errorf("PEM block %d (%s): %v", n, block.Type, err))
				continue
			}
			keys = append(keys, k)
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				errs = append(errs, fmt.Errorf("PEM block %d (%s): %v", n, block.Type, err))
				continue
			}
			rk, ok := k.(*rsa.PrivateKey)
			if !ok {
				errs = append(errs, fmt.Errorf("PEM block %d is a %T, not an RSA key: only RSA key exchange can be decrypted with a private key", n, k))
				continue
			}
			keys = append(keys, rk)
		case "EC PRIVATE KEY":
			errs = append(errs, fmt.Errorf("PEM block %d is an EC key: only RSA key exchange can be decrypted with a private key", n))
		}
	}
	if len(keys) == 0 {
		if len(errs) == 0 {
			return nil, errors.New("no RSA private key (PEM \"RSA PRIVATE KEY\" or \"PRIVATE KEY\" block) found")
		}
		return nil, errors.Join(errs...)
	}
	return keys, errors.Join(errs...)
}

// LoadRSAKeyFile adds the RSA private keys of a PEM file and returns how
// many it added. Keys that could be read are added even when the error
// reports other blocks of the file.
func (s *Store) LoadRSAKeyFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxRSAKeyFile+1))
	if err != nil {
		return 0, err
	}
	if len(data) > MaxRSAKeyFile {
		return 0, fmt.Errorf("%s: larger than %d bytes, not a key file", path, MaxRSAKeyFile)
	}
	keys, perr := ParseRSAKeys(data)
	n := 0
	for _, k := range keys {
		if err := s.AddRSAKey(k); err != nil {
			return n, fmt.Errorf("%s: %w", path, err)
		}
		n++
	}
	if perr != nil {
		return n, fmt.Errorf("%s: %w", path, perr)
	}
	return n, nil
}
