package frames

import (
	"fmt"
	"strings"
)

// HexDump lays data out in lines of at most width columns: offset, bytes
// in hex (groups of eight) and the printable ASCII of each byte ('.' for
// the rest), Wireshark style. It fits 32, 16, 8 or 4 bytes per line,
// whichever is the most that fits; never fewer than 4.
func HexDump(data []byte, width int) []string {
	offDigits := 4
	for n := len(data); n > 0xffff; n >>= 4 {
		offDigits++
	}
	per := 4
	for _, n := range []int{32, 16, 8} {
		if hexLineWidth(offDigits, n) <= width {
			per = n
			break
		}
	}
	lines := make([]string, 0, (len(data)+per-1)/per)
	var b strings.Builder
	for off := 0; off < len(data); off += per {
		chunk := data[off:min(off+per, len(data))]
		b.Reset()
		fmt.Fprintf(&b, "%0*x  ", offDigits, off)
		for i := 0; i < per; i++ {
			if i > 0 {
				b.WriteByte(' ')
				if i%8 == 0 {
					b.WriteByte(' ')
				}
			}
			if i < len(chunk) {
				fmt.Fprintf(&b, "%02x", chunk[i])
			} else {
				b.WriteString("  ")
			}
		}
		b.WriteString("  ")
		for _, c := range chunk {
			if c >= 0x20 && c < 0x7f {
				b.WriteByte(c)
			} else {
				b.WriteByte('.')
			}
		}
		lines = append(lines, strings.TrimRight(b.String(), " "))
	}
	return lines
}

// hexLineWidth is the width of a full line of n bytes.
func hexLineWidth(offDigits, n int) int {
	groups := (n + 7) / 8
	return offDigits + 2 + 3*n - 1 + (groups - 1) + 2 + n
}
