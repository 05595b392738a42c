// Package detrand gives the reference implementation's endpoints their
// randomness: a deterministic ChaCha8 stream per named seed, so that the
// same scenario produces byte-identical captures every time.
//
// It is not for anything that needs real secrecy; the sample captures'
// keys are published with them on purpose.
package detrand

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
)

// New returns a reader of deterministic random bytes derived from seed.
// Different seeds give independent streams, so one endpoint's changes do
// not shift another's bytes.
func New(seed string) io.Reader {
	return rand.NewChaCha8(sha256.Sum256([]byte("sscope refimpl " + seed)))
}

// Bytes reads n bytes from r. The readers of this package never fail.
func Bytes(r io.Reader, n int) []byte {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		panic("detrand: " + err.Error())
	}
	return b
}
