package eap

import "bytes"

// ParseIdentity returns the text of an Identity or Notification packet's
// data. RFC 3748 §5.1 allows a NUL after the displayable part (followed by
// options some vendors send); the text stops at the first NUL.
func ParseIdentity(data []byte) string {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		data = data[:i]
	}
	return string(data)
}

// MarshalIdentity builds the type data of an Identity or Notification packet.
func MarshalIdentity(text string) []byte {
	return []byte(text)
}
