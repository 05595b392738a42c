package tls

import "fmt"

// ContentType is the record layer content type (IANA "TLS ContentType").
type ContentType uint8

// Record content types. In DTLS 1.3 a first byte of 0x20-0x3f starts a
// ciphertext record with the unified header (RFC 9147 section 4); such
// records keep that byte as their ContentType (see IsDTLS13Ciphertext).
const (
	ContentChangeCipherSpec       ContentType = 20
	ContentAlert                  ContentType = 21
	ContentHandshake              ContentType = 22
	ContentApplicationData        ContentType = 23
	ContentHeartbeat              ContentType = 24
	ContentTLS12CID               ContentType = 25
	ContentACK                    ContentType = 26
	ContentReturnRoutabilityCheck ContentType = 27
)

// IsDTLS13Ciphertext reports whether t is the first byte of a DTLS 1.3
// unified-header ciphertext record (0b001xxxxx).
func (t ContentType) IsDTLS13Ciphertext() bool { return t&0xe0 == 0x20 }

// String returns the IANA name ("handshake", "alert", ...).
func (t ContentType) String() string {
	switch t {
	case ContentChangeCipherSpec:
		return "change_cipher_spec"
	case ContentAlert:
		return "alert"
	case ContentHandshake:
		return "handshake"
	case ContentApplicationData:
		return "application_data"
	case ContentHeartbeat:
		return "heartbeat"
	case ContentTLS12CID:
		return "tls12_cid"
	case ContentACK:
		return "ack"
	case ContentReturnRoutabilityCheck:
		return "return_routability_check"
	}
	if t.IsDTLS13Ciphertext() {
		return fmt.Sprintf("dtls13_ciphertext(0x%02x)", uint8(t))
	}
	return fmt.Sprintf("0x%02x", uint8(t))
}
