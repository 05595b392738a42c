package capgen

import (
	"encoding/binary"
	"math/bits"
)

// Internet checksum (RFC 1071) helpers. A running sum is kept in a uint64
// of big-endian 16-bit words and folded only at the end, so partial sums
// over disjoint, even-length pieces can simply be added.

// Sum adds the 16-bit big-endian words of b to sum. An odd trailing byte is
// padded with a zero low byte, as RFC 1071 specifies; only the last piece of
// a checksummed region may have odd length.
func Sum(b []byte, sum uint64) uint64 {
	var carry uint64
	for len(b) >= 32 {
		sum, carry = bits.Add64(sum, binary.BigEndian.Uint64(b[0:8]), carry)
		sum, carry = bits.Add64(sum, binary.BigEndian.Uint64(b[8:16]), carry)
		sum, carry = bits.Add64(sum, binary.BigEndian.Uint64(b[16:24]), carry)
		sum, carry = bits.Add64(sum, binary.BigEndian.Uint64(b[24:32]), carry)
		b = b[32:]
	}
	for len(b) >= 8 {
		sum, carry = bits.Add64(sum, binary.BigEndian.Uint64(b), carry)
		b = b[8:]
	}
	sum, carry = bits.Add64(sum, 0, carry)
	sum += carry
	// sum now holds a 64-bit one's-complement accumulator; fold the
	// remaining bytes in as 16-bit words after reducing it.
	sum = fold64(sum)
	for len(b) >= 2 {
		sum += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint64(b[0]) << 8
	}
	return sum
}

// fold64 reduces a one's-complement accumulator of 64-bit words to one of
// 16-bit words without changing its value modulo 0xffff.
func fold64(s uint64) uint64 {
	s = (s >> 32) + (s & 0xffffffff)
	s = (s >> 32) + (s & 0xffffffff)
	return s
}

// Fold turns a running sum into the checksum field value (the one's
// complement of the folded sum).
func Fold(sum uint64) uint16 {
	sum = fold64(sum)
	for sum > 0xffff {
		sum = (sum >> 16) + (sum & 0xffff)
	}
	return ^uint16(sum)
}

// PseudoHeaderSum is the running sum of the TCP/UDP pseudo-header for an
// IPv4 (4-byte) or IPv6 (16-byte) address pair, protocol and L4 length.
func PseudoHeaderSum(src, dst []byte, proto uint8, l4len int) uint64 {
	s := Sum(src, 0)
	s = Sum(dst, s)
	return s + uint64(proto) + uint64(l4len)
}

// IPv4HeaderChecksum computes and stores the header checksum of the IPv4
// header hdr (whose length is given by its IHL field and must fit in hdr).
func IPv4HeaderChecksum(hdr []byte) {
	ihl := int(hdr[0]&0x0f) * 4
	hdr[10], hdr[11] = 0, 0
	binary.BigEndian.PutUint16(hdr[10:12], Fold(Sum(hdr[:ihl], 0)))
}

// AdjustChecksum updates an existing checksum field value after the bytes
// old were replaced by new at an even offset inside the checksummed region
// (RFC 1624 incremental update, HC' = ~(~HC + ~m + m')). old and new must
// have the same even length.
func AdjustChecksum(field uint16, old, new []byte) uint16 {
	s := uint64(^field)
	for i := 0; i+1 < len(old) && i+1 < len(new); i += 2 {
		s += uint64(^binary.BigEndian.Uint16(old[i:]))
		s += uint64(binary.BigEndian.Uint16(new[i:]))
	}
	return Fold(s)
}
