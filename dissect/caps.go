package dissect

// Caps on buffers decoders grow while reassembling. They are generous for
// real traffic and small enough that a hostile capture cannot exhaust memory.
const (
	// MaxEAPMessage caps one EAP packet joined from EAP-Message attributes.
	// RFC 3579 bounds an EAP packet by the 16-bit EAP length.
	MaxEAPMessage = 65535
	// MaxEAPTLSMessage caps the TLS data of a TLS-based EAP method
	// reassembled from fragments across rounds (certificate chains of
	// tens of kilobytes are normal; 256 KiB is not).
	MaxEAPTLSMessage = 256 << 10
	// MaxTLSHandshakeMessage caps one TLS handshake message reassembled
	// across records.
	MaxTLSHandshakeMessage = 256 << 10
	// MaxIPDatagram caps one reassembled IP datagram.
	MaxIPDatagram = 65535 + 40
)
