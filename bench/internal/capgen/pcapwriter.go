package capgen

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// Classic pcap constants for the files the generators write: little-endian,
// microsecond timestamps, Ethernet link type.
const (
	pcapMagicMicros  = 0xa1b2c3d4
	pcapVersionMajor = 2
	pcapVersionMinor = 4
	// Snaplen advertised in the file header; every frame written is whole.
	Snaplen           = 262144
	linkTypeEthernet  = 1
	pcapFileHeaderLen = 24
	pcapRecordLen     = 16
)

// PcapWriter writes a classic pcap file with microsecond timestamps and
// Ethernet frames through a large buffer. It is not safe for concurrent use.
type PcapWriter struct {
	w       *bufio.Writer
	hdr     [pcapRecordLen]byte
	bytes   int64
	packets int64
}

// NewPcapWriter writes the pcap file header to w and returns a writer that
// buffers bufSize bytes before each write to w.
func NewPcapWriter(w io.Writer, bufSize int) (*PcapWriter, error) {
	pw := &PcapWriter{w: bufio.NewWriterSize(w, bufSize)}
	var h [pcapFileHeaderLen]byte
	binary.LittleEndian.PutUint32(h[0:], pcapMagicMicros)
	binary.LittleEndian.PutUint16(h[4:], pcapVersionMajor)
	binary.LittleEndian.PutUint16(h[6:], pcapVersionMinor)
	binary.LittleEndian.PutUint32(h[16:], Snaplen)
	binary.LittleEndian.PutUint32(h[20:], linkTypeEthernet)
	if _, err := pw.w.Write(h[:]); err != nil {
		return nil, err
	}
	pw.bytes = pcapFileHeaderLen
	return pw, nil
}

// WritePacket appends one record. ts is the capture time in nanoseconds
// since the Unix epoch (truncated to microseconds in the file).
func (pw *PcapWriter) WritePacket(ts int64, frame []byte) error {
	if len(frame) > Snaplen {
		return fmt.Errorf("frame of %d bytes exceeds snaplen %d", len(frame), Snaplen)
	}
	if ts < 0 {
		return fmt.Errorf("negative timestamp %d", ts)
	}
	us := ts / 1000
	binary.LittleEndian.PutUint32(pw.hdr[0:], uint32(us/1e6))
	binary.LittleEndian.PutUint32(pw.hdr[4:], uint32(us%1e6))
	binary.LittleEndian.PutUint32(pw.hdr[8:], uint32(len(frame)))
	binary.LittleEndian.PutUint32(pw.hdr[12:], uint32(len(frame)))
	if _, err := pw.w.Write(pw.hdr[:]); err != nil {
		return err
	}
	if _, err := pw.w.Write(frame); err != nil {
		return err
	}
	pw.bytes += int64(pcapRecordLen + len(frame))
	pw.packets++
	return nil
}

// Flush writes any buffered data to the underlying writer.
func (pw *PcapWriter) Flush() error { return pw.w.Flush() }

// Bytes is the file size so far, headers included.
func (pw *PcapWriter) Bytes() int64 { return pw.bytes }

// Packets is the number of records written.
func (pw *PcapWriter) Packets() int64 { return pw.packets }

// RecordOverhead is the per-packet size of a classic pcap record header.
const RecordOverhead = pcapRecordLen
