// Package dissect holds what every protocol decoder below it shares: the
// typed error a decoder returns for bytes it could not decode, and the caps
// that bound every buffer a decoder grows.
//
// The decoders themselves live in sub-packages (dissect/packet, dissect/radius,
// dissect/eap, dissect/tls). They are pure: bytes in, typed messages out, no
// I/O, no clocks, no globals that change. They read untrusted input through
// bounds-checked cursors (golang.org/x/crypto/cryptobyte) and never panic.
// Correlating messages into sessions is not their job; that is package
// correlate.
package dissect
