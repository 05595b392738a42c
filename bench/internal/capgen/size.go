package capgen

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSize reads a byte count such as "5G", "500M", "64K", "1.5G" or
// "123456". The suffixes K, M, G and T (optionally followed by "B" or "iB")
// are powers of 1024, as for dd and head.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "IB"), "B")
	mult := int64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		case 'T':
			mult = 1 << 40
		}
		if mult != 1 {
			t = t[:n-1]
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || v*float64(mult) > 1<<50 {
		return 0, fmt.Errorf("invalid size %q (examples: 5G, 500M, 64K, 123456)", s)
	}
	return int64(v * float64(mult)), nil
}
