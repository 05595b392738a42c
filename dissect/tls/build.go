package tls

import (
	"errors"

	"golang.org/x/crypto/cryptobyte"
)

// errTooLong stops a builder when a field does not fit its length prefix.
var errTooLong = errors.New("tls: field too long for its length prefix")

// build runs f on a fresh builder and returns the bytes, or nil if a field
// did not fit its length prefix. Marshal methods never panic.
func build(f func(b *cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	f(&b)
	out, err := b.Bytes()
	if err != nil {
		return nil
	}
	if out == nil {
		out = []byte{}
	}
	return out
}
