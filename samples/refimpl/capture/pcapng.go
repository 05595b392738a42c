package capture

import (
	"encoding/binary"
	"time"
)

// pcapng block types, option codes and values (the pcapng specification,
// draft-ietf-opsawg-pcapng; Decryption Secrets Block, section 4.7).
const (
	blockSectionHeader    = 0x0a0d0d0a
	blockInterface        = 0x00000001
	blockEnhancedPacket   = 0x00000006
	blockDecryptionSecret = 0x0000000a

	byteOrderMagic = 0x1a2b3c4d

	optEndOfOptions = 0
	optComment      = 1
	optSHBUserAppl  = 4
	optIfTSResol    = 9

	linkTypeEthernet = 1
	snapLength       = 262144
	// tsResolNanoseconds is if_tsresol 9: timestamps count 10^-9 s.
	tsResolNanoseconds = 9

	// secretsTLSKeyLog is the TLS Key Log secrets type ("TLSK").
	secretsTLSKeyLog = 0x544c534b
)

// maxOptionLen is the largest option value (a 16-bit length).
const maxOptionLen = 0xffff

// userApplication names the writer in the section header.
const userApplication = "sscope samples"

// The file is little-endian, as the capture tools of the common platforms
// write it; encoding/binary's little-endian appenders build it (cryptobyte
// builds big-endian integers only).

// pcapng is the whole file: section header, interface, secrets, frames.
func (w *Writer) pcapng() []byte {
	var out []byte
	out = appendBlock(out, blockSectionHeader, sectionHeaderBody())
	out = appendBlock(out, blockInterface, interfaceBody())
	if len(w.secrets) > 0 {
		out = appendBlock(out, blockDecryptionSecret, secretsBody(w.secrets))
	}
	for _, f := range w.frames {
		out = appendBlock(out, blockEnhancedPacket, enhancedPacketBody(f))
	}
	return out
}

// appendBlock writes a block: type, total length, body (a multiple of 4
// bytes), total length again.
func appendBlock(dst []byte, typ uint32, body []byte) []byte {
	total := uint32(12 + len(body))
	dst = binary.LittleEndian.AppendUint32(dst, typ)
	dst = binary.LittleEndian.AppendUint32(dst, total)
	dst = append(dst, body...)
	return binary.LittleEndian.AppendUint32(dst, total)
}

func sectionHeaderBody() []byte {
	b := binary.LittleEndian.AppendUint32(nil, byteOrderMagic)
	b = binary.LittleEndian.AppendUint16(b, 1) // major version
	b = binary.LittleEndian.AppendUint16(b, 0) // minor version
	b = binary.LittleEndian.AppendUint64(b, ^uint64(0))
	b = appendOption(b, optSHBUserAppl, []byte(userApplication))
	return appendOption(b, optEndOfOptions, nil)
}

func interfaceBody() []byte {
	b := binary.LittleEndian.AppendUint16(nil, linkTypeEthernet)
	b = binary.LittleEndian.AppendUint16(b, 0) // reserved
	b = binary.LittleEndian.AppendUint32(b, snapLength)
	b = appendOption(b, optIfTSResol, []byte{tsResolNanoseconds})
	return appendOption(b, optEndOfOptions, nil)
}

func secretsBody(secrets []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, secretsTLSKeyLog)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(secrets)))
	return appendPadded(b, secrets)
}

func enhancedPacketBody(f frame) []byte {
	ts := nanoseconds(f.time)
	b := binary.LittleEndian.AppendUint32(nil, 0) // interface 0
	b = binary.LittleEndian.AppendUint32(b, uint32(ts>>32))
	b = binary.LittleEndian.AppendUint32(b, uint32(ts))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(f.data))) // captured
	b = binary.LittleEndian.AppendUint32(b, uint32(len(f.data))) // on the wire
	b = appendPadded(b, f.data)
	if len(f.comments) == 0 {
		return b
	}
	for _, c := range f.comments {
		b = appendOption(b, optComment, []byte(c))
	}
	return appendOption(b, optEndOfOptions, nil)
}

// nanoseconds is t as nanoseconds since 1970 (times before are written as
// 1970).
func nanoseconds(t time.Time) uint64 {
	ns := t.UnixNano()
	if ns < 0 {
		return 0
	}
	return uint64(ns)
}

// appendOption writes one option: code, length, value padded to 32 bits.
func appendOption(dst []byte, code uint16, value []byte) []byte {
	dst = binary.LittleEndian.AppendUint16(dst, code)
	dst = binary.LittleEndian.AppendUint16(dst, uint16(len(value)))
	return appendPadded(dst, value)
}

// appendPadded writes b and zero bytes up to the next multiple of 4.
func appendPadded(dst, b []byte) []byte {
	dst = append(dst, b...)
	return append(dst, make([]byte, (4-len(b)%4)%4)...)
}
