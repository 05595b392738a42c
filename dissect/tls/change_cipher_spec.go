package tls

// ChangeCipherSpecFragment is the one-byte fragment of a ChangeCipherSpec
// record (RFC 5246 section 7.1).
func ChangeCipherSpecFragment() []byte { return []byte{1} }

// IsChangeCipherSpec reports whether a change_cipher_spec record fragment
// is the single byte 1.
func IsChangeCipherSpec(fragment []byte) bool { return len(fragment) == 1 && fragment[0] == 1 }
