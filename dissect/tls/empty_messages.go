package tls

import "github.com/sessionscope/sscope/dissect"

// HelloRequest asks the client to renegotiate (RFC 5246 section 7.4.1.1);
// its body is empty.
type HelloRequest struct{}

// Unmarshal checks that the body is empty.
func (HelloRequest) Unmarshal(body []byte) error { return emptyBody("HelloRequest", body) }

// Marshal returns the empty body.
func (HelloRequest) Marshal() []byte { return []byte{} }

// EndOfEarlyData ends TLS 1.3 0-RTT data (RFC 8446 section 4.5); its body
// is empty.
type EndOfEarlyData struct{}

// Unmarshal checks that the body is empty.
func (EndOfEarlyData) Unmarshal(body []byte) error { return emptyBody("EndOfEarlyData", body) }

// Marshal returns the empty body.
func (EndOfEarlyData) Marshal() []byte { return []byte{} }

func emptyBody(name string, body []byte) error {
	if len(body) != 0 {
		return dissect.Errorf(dissect.Malformed, "tls", 0, "%s with %d-byte body", name, len(body))
	}
	return nil
}
