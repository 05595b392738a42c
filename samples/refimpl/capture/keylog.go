package capture

import (
	"bytes"
	"encoding/hex"
)

// KeyLog collects TLS secrets in the NSS key log format (the
// SSLKEYLOGFILE format Wireshark reads): one "CLIENT_RANDOM <client random>
// <master secret>" line per session, lower-case hex, each line once, in
// the order first added. The zero value is empty and ready to use.
type KeyLog struct {
	lines [][]byte
}

// Add records the master secret of the TLS session whose ClientHello
// carried clientRandom. Adding the same pair again changes nothing.
func (k *KeyLog) Add(clientRandom, masterSecret []byte) {
	line := make([]byte, 0, len("CLIENT_RANDOM  \n")+2*(len(clientRandom)+len(masterSecret)))
	line = append(line, "CLIENT_RANDOM "...)
	line = hex.AppendEncode(line, clientRandom)
	line = append(line, ' ')
	line = hex.AppendEncode(line, masterSecret)
	line = append(line, '\n')
	for _, l := range k.lines {
		if bytes.Equal(l, line) {
			return
		}
	}
	k.lines = append(k.lines, line)
}

// Bytes is the key log file's content.
func (k *KeyLog) Bytes() []byte { return bytes.Join(k.lines, nil) }
