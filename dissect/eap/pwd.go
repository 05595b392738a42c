package eap

import (
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// EAP-pwd exchanges (RFC 5931 §3.1).
const (
	PWDExchID      uint8 = 1
	PWDExchCommit  uint8 = 2
	PWDExchConfirm uint8 = 3
)

// PWD is the data of an EAP-pwd packet (type 52).
type PWD struct {
	More        bool // M: more fragments
	Exch        uint8
	TotalLength uint16 // when HasLength (L)
	HasLength   bool
	Payload     []byte

	// Decoded from an unfragmented EAP-pwd-ID payload.
	GroupDesc      uint16
	RandomFunction uint8
	PRF            uint8
	Token          uint32
	Prep           uint8
	Identity       string
}

// ExchName names the exchange ("EAP-pwd-ID", "EAP-pwd-Commit", "EAP-pwd-Confirm").
func (w PWD) ExchName() string {
	switch w.Exch {
	case PWDExchID:
		return "EAP-pwd-ID"
	case PWDExchCommit:
		return "EAP-pwd-Commit"
	case PWDExchConfirm:
		return "EAP-pwd-Confirm"
	}
	return "Exch-" + strconv.Itoa(int(w.Exch))
}

// ParsePWD decodes EAP-pwd type data.
func ParsePWD(data []byte) (PWD, error) {
	var w PWD
	s := cryptobyte.String(data)
	var lmExch uint8
	if !s.ReadUint8(&lmExch) {
		return w, dissect.Errorf(dissect.Truncated, layer, 0, "EAP-pwd without its exchange octet")
	}
	w.Exch = lmExch & 0x3f
	w.More = lmExch&0x40 != 0
	if lmExch&0x80 != 0 {
		if !s.ReadUint16(&w.TotalLength) {
			return w, dissect.Errorf(dissect.Truncated, layer, 1, "L flag without Total-Length")
		}
		w.HasLength = true
	}
	w.Payload = nonEmpty(s)
	if w.Exch == PWDExchID && !w.More && !w.HasLength {
		if !s.ReadUint16(&w.GroupDesc) || !s.ReadUint8(&w.RandomFunction) || !s.ReadUint8(&w.PRF) ||
			!s.ReadUint32(&w.Token) || !s.ReadUint8(&w.Prep) {
			return w, dissect.Errorf(dissect.Truncated, layer, 1, "EAP-pwd-ID needs 9 bytes, %d", len(w.Payload))
		}
		w.Identity = string(s)
	}
	return w, nil
}

// Marshal builds EAP-pwd type data from More, Exch, TotalLength/HasLength
// and Payload (the decoded EAP-pwd-ID fields are not re-encoded; use
// MarshalPWDID for the payload).
func (w PWD) Marshal() []byte {
	h := w.Exch & 0x3f
	if w.More {
		h |= 0x40
	}
	b := []byte{h}
	if w.HasLength {
		b[0] |= 0x80
		b = append(b, byte(w.TotalLength>>8), byte(w.TotalLength))
	}
	return append(b, w.Payload...)
}

// MarshalPWDID builds an EAP-pwd-ID payload from the decoded fields.
func (w PWD) MarshalPWDID() []byte {
	b := []byte{byte(w.GroupDesc >> 8), byte(w.GroupDesc), w.RandomFunction, w.PRF,
		byte(w.Token >> 24), byte(w.Token >> 16), byte(w.Token >> 8), byte(w.Token), w.Prep}
	return append(b, w.Identity...)
}
