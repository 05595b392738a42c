package detrand

import (
	"bytes"
	"testing"
)

func TestSameSeedSameBytes(t *testing.T) {
	a, b := Bytes(New("x"), 64), Bytes(New("x"), 64)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed gave different bytes")
	}
	if bytes.Equal(a, Bytes(New("y"), 64)) {
		t.Fatal("different seeds gave the same bytes")
	}
}
