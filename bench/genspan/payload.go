package main

import "encoding/binary"

// fill says what follows a message's explicit head bytes.
type fill uint8

const (
	// fillRandom: bytes from the random pool (compressed or encrypted
	// looking content).
	fillRandom fill = iota
	// fillTLS: TLS application_data records (type 23, version 0x0303)
	// whose payload is random pool bytes.
	fillTLS
)

// message is one application-level message of a TCP flow: head bytes
// followed by size-len(head) filler bytes. Only the bytes a segment needs
// are ever produced.
type message struct {
	head []byte
	size int
	fill fill
	// c2s is the direction.
	c2s bool
	// poolOff is where the filler starts in the random pool.
	poolOff int
	// rec is the TLS record payload length of full records (fillTLS).
	rec int
	// last is the payload length of the final TLS record (fillTLS).
	last int
	// skip is the stream offset of the first byte sent: a flow joined
	// mid-record starts inside a TLS record.
	skip int
	// sent counts bytes of the message already segmented.
	sent int
}

// remaining is the number of message bytes not yet sent.
func (m *message) remaining() int { return m.size - m.skip - m.sent }

// tlsRecords sets m up as TLS application data carrying body bytes of
// plaintext-equivalent size split into records of at most rec payload
// bytes (AEAD expansion included); the final record has at least 24 bytes.
func (m *message) tlsRecords(body, rec int) {
	m.fill, m.rec, m.head = fillTLS, rec, nil
	full, rem := body/rec, body%rec
	if rem > 0 && rem < 24 {
		rem = 24
	}
	m.last = rem
	m.size = full * (rec + 5)
	if rem > 0 {
		m.size += rem + 5
	} else {
		m.last = rec
	}
}

// read copies the next len(dst) message bytes into dst.
func (m *message) read(dst []byte, pool []byte) {
	o := m.skip + m.sent
	m.sent += len(dst)
	if m.fill == fillTLS {
		m.readTLS(dst, o, pool)
		return
	}
	if o < len(m.head) {
		n := copy(dst, m.head[o:])
		dst, o = dst[n:], o+n
	}
	if len(dst) > 0 {
		copy(dst, pool[(m.poolOff+o)&poolMask:])
	}
}

// readTLS produces the record stream bytes at stream offset o.
func (m *message) readTLS(dst []byte, o int, pool []byte) {
	stride := m.rec + 5
	for len(dst) > 0 {
		k, p := o/stride, o%stride
		plen := m.rec
		if (k+1)*stride > m.size {
			plen = m.last
		}
		if p < 5 {
			var h [5]byte
			h[0], h[1], h[2] = 23, 3, 3
			binary.BigEndian.PutUint16(h[3:], uint16(plen))
			n := copy(dst, h[p:])
			dst, o = dst[n:], o+n
			continue
		}
		n := min(len(dst), 5+plen-p)
		copy(dst[:n], pool[(m.poolOff+o)&poolMask:])
		dst, o = dst[n:], o+n
	}
}

// The random pool is poolSize bytes plus a copy of its first poolSlack
// bytes, so any read of up to poolSlack bytes from a masked offset is
// contiguous.
const (
	poolSize  = 4 << 20
	poolMask  = poolSize - 1
	poolSlack = 64 << 10
)
