package tlsengine

import (
	"github.com/sessionscope/sscope/dissect/tls"
)

// maxPlaintext is the largest record plaintext (RFC 5246 section 6.2.1).
const maxPlaintext = 1 << 14

// recordCipher protects one direction of records under one set of keys:
// dissect/tls's record protection, AES-CBC with HMAC-SHA1 and an explicit
// IV (RFC 5246 section 6.2.3.2) or AES-GCM with an explicit nonce (RFC
// 5288) for the suites of this engine.
type recordCipher = tls.RecordCipher

// newRecordCiphers splits the key block of s into the client's and the
// server's write ciphers.
func newRecordCiphers(s *suite, kb []byte) (client, server *recordCipher, err error) {
	ck, sk, err := s.spec.SplitKeyBlock(kb)
	if err != nil {
		return nil, nil, err
	}
	if client, err = s.spec.NewRecordCipher(ck); err != nil {
		return nil, nil, err
	}
	if server, err = s.spec.NewRecordCipher(sk); err != nil {
		return nil, nil, err
	}
	return client, server, nil
}
