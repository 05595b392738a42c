package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Classic pcap framing.
const (
	fileHeaderLen   = 24
	recordHeaderLen = 16
	// maxRecord caps the captured length of one record; pcap readers
	// reject larger ones too (libpcap's limit is 256 KiB by default).
	maxRecord = 16 << 20
)

// errNotPcap says the input is not a classic pcap file.
var errNotPcap = errors.New("not a classic pcap file (pcapng is not supported)")

// copyHead copies the file header and whole records from r to w while the
// output stays within limit bytes. It returns the records and bytes
// written. A record cut short at the end of the input ends the copy
// without error, as it does for every pcap reader.
func copyHead(w io.Writer, r io.Reader, limit int64) (records, written int64, err error) {
	var hdr [fileHeaderLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, 0, fmt.Errorf("reading file header: %w", err)
	}
	var order binary.ByteOrder
	switch binary.LittleEndian.Uint32(hdr[:]) {
	case 0xa1b2c3d4, 0xa1b23c4d:
		order = binary.LittleEndian
	case 0xd4c3b2a1, 0x4d3cb2a1:
		order = binary.BigEndian
	default:
		return 0, 0, errNotPcap
	}
	if limit < fileHeaderLen {
		return 0, 0, fmt.Errorf("limit %d is smaller than the file header", limit)
	}
	if _, err := w.Write(hdr[:]); err != nil {
		return 0, 0, err
	}
	written = fileHeaderLen
	buf := make([]byte, 0, 64<<10)
	for {
		var rh [recordHeaderLen]byte
		if _, err := io.ReadFull(r, rh[:]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return records, written, nil
			}
			return records, written, err
		}
		n := int64(order.Uint32(rh[8:]))
		if n > maxRecord {
			return records, written, fmt.Errorf("record %d: captured length %d exceeds %d", records+1, n, maxRecord)
		}
		if written+recordHeaderLen+n > limit {
			return records, written, nil
		}
		if int64(cap(buf)) < n {
			buf = make([]byte, n)
		}
		buf = buf[:n]
		if _, err := io.ReadFull(r, buf); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return records, written, nil
			}
			return records, written, err
		}
		if _, err := w.Write(rh[:]); err != nil {
			return records, written, err
		}
		if _, err := w.Write(buf); err != nil {
			return records, written, err
		}
		written += recordHeaderLen + n
		records++
	}
}
