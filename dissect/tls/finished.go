package tls

// Finished carries the verify_data that proves both sides saw the same
// handshake (RFC 5246 section 7.4.9; 12 bytes in TLS 1.2, 36 in SSL 3.0,
// the hash length in TLS 1.3). Its body is normally encrypted; this type
// serves decrypted handshakes and the reference implementation.
type Finished struct {
	VerifyData []byte
}

// Unmarshal takes the whole body as verify_data.
func (m *Finished) Unmarshal(body []byte) error {
	m.VerifyData = body
	return nil
}

// Marshal returns the body.
func (m *Finished) Marshal() []byte { return append([]byte{}, m.VerifyData...) }
