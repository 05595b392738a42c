package tls

import "fmt"

// CompressionName names a compression method (IANA "TLS Compression
// Method Identifiers"): "null", "DEFLATE", "LZS", or "%d".
func CompressionName(id uint8) string {
	switch id {
	case 0:
		return "null"
	case 1:
		return "DEFLATE"
	case 64:
		return "LZS"
	}
	return fmt.Sprintf("%d", id)
}
