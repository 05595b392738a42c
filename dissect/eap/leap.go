package eap

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// LEAP is the data of a Cisco LEAP packet (type 17): version 1, a count,
// that many bytes of challenge (8) or response (24), and the user name.
type LEAP struct {
	Version  uint8
	Reserved uint8
	Data     []byte // challenge or response; responses are secret-derived
	Name     string
}

// Stage names the message by its data size: "Challenge" (8 bytes) or
// "Response" (24 bytes); "" otherwise.
func (l LEAP) Stage() string {
	switch len(l.Data) {
	case 8:
		return "Challenge"
	case 24:
		return "Response"
	}
	return ""
}

// ParseLEAP decodes LEAP type data.
func ParseLEAP(data []byte) (LEAP, error) {
	var l LEAP
	s := cryptobyte.String(data)
	var v cryptobyte.String
	if !s.ReadUint8(&l.Version) || !s.ReadUint8(&l.Reserved) || !s.ReadUint8LengthPrefixed(&v) {
		return l, dissect.Errorf(dissect.Truncated, layer, 0, "LEAP header or data cut short (%d bytes)", len(data))
	}
	l.Data = nonEmpty(v)
	l.Name = string(s)
	return l, nil
}

// Marshal builds LEAP type data (Data is cut to 255 bytes).
func (l LEAP) Marshal() []byte {
	d := l.Data
	if len(d) > 255 {
		d = d[:255]
	}
	b := []byte{l.Version, l.Reserved, byte(len(d))}
	b = append(b, d...)
	return append(b, l.Name...)
}
