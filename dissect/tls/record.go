package tls

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// Record header sizes and the largest record length accepted: TLSCiphertext
// may carry 2^14 + 2048 bytes (RFC 5246 section 6.2.3); anything longer means
// the stream is not TLS or is out of step.
const (
	TLSRecordHeaderLen  = 5
	DTLSRecordHeaderLen = 13
	MaxRecordLength     = 1<<14 + 2048
)

// Record is one TLS or DTLS record. Fragment, Header and CID alias the
// input given to ParseRecord.
type Record struct {
	Type    ContentType
	Version Version // zero for DTLS 1.3 unified-header records
	Length  uint16  // length of Fragment as announced on the wire
	// DTLS only. For DTLS 1.3 unified-header records Epoch holds the two
	// low epoch bits and Seq the (encrypted) 8- or 16-bit sequence number.
	Epoch uint16
	Seq   uint64
	CID   []byte // DTLS connection ID (RFC 9146, RFC 9147), when present
	// Header is the record header as it appeared on the wire.
	Header   []byte
	Fragment []byte
}

// DTLS 1.3 unified header flag bits (RFC 9147 section 4).
const (
	unifiedCIDBit    = 0x10
	unifiedSeq16Bit  = 0x08
	unifiedLengthBit = 0x04
	unifiedEpochMask = 0x03
)

// RecordSize reports the total size (header plus fragment) of the record
// starting at b, if b holds its whole header. It does not validate the
// record. Stream readers use it to wait for more bytes without allocating.
// DTLS 1.3 unified-header records without a length field, and records with
// a connection ID, report ok=false.
func RecordSize(b []byte, dtls bool) (n int, ok bool) {
	if !dtls {
		if len(b) < TLSRecordHeaderLen {
			return 0, false
		}
		return TLSRecordHeaderLen + (int(b[3])<<8 | int(b[4])), true
	}
	if len(b) < DTLSRecordHeaderLen || ContentType(b[0]).IsDTLS13Ciphertext() || ContentType(b[0]) == ContentTLS12CID {
		return 0, false
	}
	return DTLSRecordHeaderLen + (int(b[11])<<8 | int(b[12])), true
}

// ParseRecord parses one record at the start of b. n is the number of bytes
// the record occupies. If b holds only part of a record it returns a
// Truncated error and n == 0, so stream callers wait for more bytes. A
// length above MaxRecordLength, an unknown content type or a version that
// cannot be TLS (DTLS) is Malformed: the stream is out of step. For DTLS,
// records with a connection ID need the CID length negotiated in the
// handshake (see ParseDTLSRecordCID); without it they are Unsupported.
// Any error comes with n == 0.
func ParseRecord(b []byte, dtls bool) (rec Record, n int, err error) {
	if dtls {
		return parseDTLSRecord(b, -1)
	}
	return parseTLSRecord(b)
}

// ParseDTLSRecordCID is ParseRecord for DTLS when the connection ID length
// negotiated with the connection_id extension is known (cidLen bytes, 0 for
// none).
func ParseDTLSRecordCID(b []byte, cidLen int) (rec Record, n int, err error) {
	if cidLen < 0 || cidLen > 255 {
		return Record{}, 0, dissect.Errorf(dissect.Unsupported, "dtls", 0, "connection ID length %d", cidLen)
	}
	return parseDTLSRecord(b, cidLen)
}

func parseTLSRecord(b []byte) (Record, int, error) {
	var rec Record
	s := cryptobyte.String(b)
	var typ uint8
	var ver, length uint16
	if !s.ReadUint8(&typ) || !s.ReadUint16(&ver) || !s.ReadUint16(&length) {
		return Record{}, 0, dissect.Errorf(dissect.Truncated, "tls", len(b), "record header needs %d bytes, have %d", TLSRecordHeaderLen, len(b))
	}
	rec.Type, rec.Version, rec.Length = ContentType(typ), Version(ver), length
	if !knownContentType(rec.Type) {
		return Record{}, 0, dissect.Errorf(dissect.Malformed, "tls", 0, "unknown record content type %d", typ)
	}
	if ver>>8 != 3 {
		return Record{}, 0, dissect.Errorf(dissect.Malformed, "tls", 1, "record version 0x%04x is not TLS", ver)
	}
	if int(length) > MaxRecordLength {
		return Record{}, 0, dissect.Errorf(dissect.Malformed, "tls", 3, "record length %d exceeds %d", length, MaxRecordLength)
	}
	if !s.ReadBytes(&rec.Fragment, int(length)) {
		return Record{}, 0, dissect.Errorf(dissect.Truncated, "tls", len(b), "record announces %d bytes, have %d", length, len(b)-TLSRecordHeaderLen)
	}
	rec.Header = b[:TLSRecordHeaderLen]
	return rec, TLSRecordHeaderLen + int(length), nil
}

func parseDTLSRecord(b []byte, cidLen int) (Record, int, error) {
	if len(b) == 0 {
		return Record{}, 0, dissect.Errorf(dissect.Truncated, "dtls", 0, "empty datagram")
	}
	if ContentType(b[0]).IsDTLS13Ciphertext() {
		return parseDTLSUnifiedRecord(b, cidLen)
	}
	var rec Record
	s := cryptobyte.String(b)
	var typ uint8
	var ver, epoch, length uint16
	var seq uint64
	if !s.ReadUint8(&typ) || !s.ReadUint16(&ver) || !s.ReadUint16(&epoch) || !s.ReadUint48(&seq) {
		return Record{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "record header needs %d bytes, have %d", DTLSRecordHeaderLen, len(b))
	}
	rec.Type, rec.Version, rec.Epoch, rec.Seq = ContentType(typ), Version(ver), epoch, seq
	if !knownContentType(rec.Type) {
		return Record{}, 0, dissect.Errorf(dissect.Malformed, "dtls", 0, "unknown record content type %d", typ)
	}
	if !rec.Version.IsDTLS() {
		return Record{}, 0, dissect.Errorf(dissect.Malformed, "dtls", 1, "record version 0x%04x is not DTLS", ver)
	}
	if rec.Type == ContentTLS12CID {
		if cidLen < 0 {
			return Record{}, 0, dissect.Errorf(dissect.Unsupported, "dtls", 0, "record with connection ID of unknown length")
		}
		if !s.ReadBytes(&rec.CID, cidLen) {
			return Record{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "record header with %d-byte connection ID cut short", cidLen)
		}
	}
	if !s.ReadUint16(&length) {
		return Record{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "record header cut short")
	}
	rec.Length = length
	if int(length) > MaxRecordLength {
		return Record{}, 0, dissect.Errorf(dissect.Malformed, "dtls", len(b)-len(s)-2, "record length %d exceeds %d", length, MaxRecordLength)
	}
	hdr := len(b) - len(s)
	if !s.ReadBytes(&rec.Fragment, int(length)) {
		return Record{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "record announces %d bytes, have %d", length, len(b)-hdr)
	}
	rec.Header = b[:hdr]
	return rec, hdr + int(length), nil
}

// parseDTLSUnifiedRecord parses a DTLS 1.3 ciphertext record: one flag byte
// 0b001CSLEE, the connection ID if C, an 8- or 16-bit sequence number, and
// a 16-bit length if L (otherwise the record runs to the end of the
// datagram).
func parseDTLSUnifiedRecord(b []byte, cidLen int) (Record, int, error) {
	var rec Record
	s := cryptobyte.String(b)
	var flags uint8
	s.ReadUint8(&flags)
	rec.Type = ContentType(flags)
	rec.Epoch = uint16(flags & unifiedEpochMask)
	if flags&unifiedCIDBit != 0 {
		if cidLen < 0 {
			return Record{}, 0, dissect.Errorf(dissect.Unsupported, "dtls", 0, "DTLS 1.3 record with connection ID of unknown length")
		}
		if !s.ReadBytes(&rec.CID, cidLen) {
			return Record{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "DTLS 1.3 record header cut short")
		}
	}
	if flags&unifiedSeq16Bit != 0 {
		var seq uint16
		if !s.ReadUint16(&seq) {
			return Record{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "DTLS 1.3 record header cut short")
		}
		rec.Seq = uint64(seq)
	} else {
		var seq uint8
		if !s.ReadUint8(&seq) {
			return Record{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "DTLS 1.3 record header cut short")
		}
		rec.Seq = uint64(seq)
	}
	length := len(s) - 2
	if flags&unifiedLengthBit != 0 {
		var l uint16
		if !s.ReadUint16(&l) {
			return Record{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "DTLS 1.3 record header cut short")
		}
		length = int(l)
	} else {
		length = len(s)
	}
	if length > MaxRecordLength {
		return Record{}, 0, dissect.Errorf(dissect.Malformed, "dtls", len(b)-len(s), "record length %d exceeds %d", length, MaxRecordLength)
	}
	rec.Length = uint16(length)
	hdr := len(b) - len(s)
	if !s.ReadBytes(&rec.Fragment, length) {
		return Record{}, 0, dissect.Errorf(dissect.Truncated, "dtls", len(b), "record announces %d bytes, have %d", length, len(b)-hdr)
	}
	rec.Header = b[:hdr]
	return rec, hdr + length, nil
}

func knownContentType(t ContentType) bool {
	return t >= ContentChangeCipherSpec && t <= ContentReturnRoutabilityCheck
}

// Marshal builds the record: header (with Length taken from Fragment) and
// fragment. For DTLS it writes Epoch and Seq, the connection ID of a
// tls12_cid record, or the DTLS 1.3 unified header when Type is one
// (flags taken from Type). It returns nil if the fragment does not fit the
// 16-bit length.
func (r Record) Marshal(dtls bool) []byte {
	return build(func(b *cryptobyte.Builder) {
		if len(r.Fragment) > 0xffff {
			b.SetError(errTooLong)
			return
		}
		if !dtls {
			b.AddUint8(uint8(r.Type))
			b.AddUint16(uint16(r.Version))
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Fragment) })
			return
		}
		if r.Type.IsDTLS13Ciphertext() {
			flags := uint8(r.Type)
			b.AddUint8(flags)
			if flags&unifiedCIDBit != 0 {
				b.AddBytes(r.CID)
			}
			if flags&unifiedSeq16Bit != 0 {
				b.AddUint16(uint16(r.Seq))
			} else {
				b.AddUint8(uint8(r.Seq))
			}
			if flags&unifiedLengthBit != 0 {
				b.AddUint16(uint16(len(r.Fragment)))
			}
			b.AddBytes(r.Fragment)
			return
		}
		b.AddUint8(uint8(r.Type))
		b.AddUint16(uint16(r.Version))
		b.AddUint16(r.Epoch)
		b.AddUint48(r.Seq)
		if r.Type == ContentTLS12CID {
			b.AddBytes(r.CID)
		}
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(r.Fragment) })
	})
}
