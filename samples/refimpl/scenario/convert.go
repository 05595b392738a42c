package scenario

import (
	"encoding/hex"

	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/expect"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// expectedHandshake turns what a TLS endpoint recorded about one handshake
// into the verdict the analyzer must give. firstFrame is the frame that
// carried the ClientHello (0 when the handshake ran encrypted).
func expectedHandshake(h *tlsengine.HandshakeRecord, firstFrame int) expect.Handshake {
	e := expect.Handshake{
		Version:           "TLS 1.2",
		Kind:              h.Kind,
		OfferedSessionID:  hex.EncodeToString(h.OfferedSessionID),
		OfferedTicket:     h.OfferedTicket,
		OfferedPACOpaque:  h.OfferedPACOpaque,
		ResumptionRefused: h.ResumptionRefused,
		ClientSessionID:   hex.EncodeToString(h.ClientSessionID),
		ServerSessionID:   hex.EncodeToString(h.ServerSessionID),
		Anonymous:         h.Anonymous,
		ClientCertificate: h.ClientCertificate,
		Renegotiation:     h.Renegotiation,
		Encrypted:         h.Renegotiation,
	}
	if !h.Renegotiation {
		e.FirstFrame = uint64(firstFrame)
	}
	if h.Resumption != "" {
		r := h.Resumption
		e.Resumption = &r
	}
	if h.Alert != nil {
		d := tls.DescriptionName(h.Alert.Description)
		e.Alert = &d
	}
	if h.CipherSuite != 0 {
		name := tls.CipherSuiteName(h.CipherSuite)
		e.CipherSuite = &name
	} else {
		// No ServerHello: neither version nor suite was negotiated.
		e.Version = "unknown"
	}
	return e
}
