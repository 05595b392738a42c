package eapfast

import (
	"bytes"
	"encoding/hex"
	"strconv"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// PACFileHeader is the first line of wpa_supplicant's text PAC file
// (hostapd src/eap_peer/eap_fast_pac.c, pac_file_hdr).
const PACFileHeader = "wpa_supplicant EAP-FAST PAC file - version 1"

// PACFileBinaryMagic starts wpa_supplicant's binary PAC file
// (fast_pac_format=binary), followed by a 2-octet format version 0.
const PACFileBinaryMagic = 0x6ae4920c

// PACFileEntry is one PAC of a wpa_supplicant PAC file: the secrets a
// user can hand to the analyzer so that it can derive the master secret
// of a PAC-based tunnel (MasterSecretFromPACKey) for the PAC-Opaque it
// sees in a ClientHello.
type PACFileEntry struct {
	Type   PACType // defaults to PACTypeTunnel, as in wpa_supplicant
	Key    []byte  // PAC-Key, 32 octets
	Opaque []byte  // PAC-Opaque, as sent in the SessionTicket extension
	// Info is the PAC-Info as stored (its attributes, see ParsePACInfo).
	Info    []byte
	AID     []byte
	IID     []byte
	AIDInfo []byte
}

// ParsePACFile reads a wpa_supplicant PAC file, text or binary. It
// returns the entries it read and, if the file is damaged, a
// *dissect.Error naming the line (text) or byte offset (binary); the
// entries before the damage are returned.
//
// The text format is the one wpa_supplicant writes: the header line, then
// blocks from "START" to "END" of "Name=hex" lines (PAC-Type is decimal).
// Like wpa_supplicant it ignores names it does not know (the "-txt"
// renderings among them); unlike it, it also reads PAC-Info, accepts any
// PAC-Type number, and skips blank lines.
func ParsePACFile(b []byte) ([]PACFileEntry, error) {
	if len(b) >= 4 && uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8|uint32(b[3]) == PACFileBinaryMagic {
		return parseBinaryPACFile(b)
	}
	var (
		out  []PACFileEntry
		cur  *PACFileEntry
		line int
	)
	fail := func(kind dissect.Kind, format string, args ...any) ([]PACFileEntry, error) {
		e := dissect.Errorf(kind, layer, -1, format, args...)
		e.Reason = "PAC file line " + strconv.Itoa(line) + ": " + e.Reason
		return out, e
	}
	rest := b
	for len(rest) > 0 {
		line++
		var l []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			l, rest = rest, nil
		}
		l = bytes.TrimRight(l, "\r")
		if line == 1 {
			if string(l) != PACFileHeader {
				return fail(dissect.Malformed, "not a wpa_supplicant PAC file (header %q)", truncateForError(l))
			}
			continue
		}
		if len(l) == 0 {
			continue
		}
		name, value, hasValue := bytes.Cut(l, []byte{'='})
		switch string(name) {
		case "START":
			if cur != nil {
				return fail(dissect.Malformed, "START inside a PAC block")
			}
			cur = &PACFileEntry{Type: PACTypeTunnel}
			continue
		case "END":
			if cur == nil {
				return fail(dissect.Malformed, "END without START")
			}
			out = append(out, *cur)
			cur = nil
			continue
		}
		if cur == nil {
			return fail(dissect.Malformed, "%q outside a START/END block", truncateForError(name))
		}
		var dst *[]byte
		switch string(name) {
		case "PAC-Type":
			n, err := strconv.ParseUint(string(value), 10, 16)
			if err != nil || !hasValue {
				return fail(dissect.Malformed, "PAC-Type %q is not a number", truncateForError(value))
			}
			cur.Type = PACType(n)
			continue
		case "PAC-Key":
			dst = &cur.Key
		case "PAC-Opaque":
			dst = &cur.Opaque
		case "PAC-Info":
			dst = &cur.Info
		case "A-ID":
			dst = &cur.AID
		case "I-ID":
			dst = &cur.IID
		case "A-ID-Info":
			dst = &cur.AIDInfo
		default:
			continue
		}
		v, err := hex.DecodeString(string(value))
		if err != nil || !hasValue {
			return fail(dissect.Malformed, "%s is not hex", name)
		}
		if dst == &cur.Key && len(v) != PACKeyLen {
			return fail(dissect.Malformed, "PAC-Key of %d bytes, want %d", len(v), PACKeyLen)
		}
		*dst = v
	}
	if line == 0 {
		return nil, dissect.Errorf(dissect.Truncated, layer, 0, "empty PAC file")
	}
	if cur != nil {
		return fail(dissect.Truncated, "PAC block not closed by END")
	}
	return out, nil
}

// parseBinaryPACFile reads the binary format: magic, version 0, then per
// PAC: PAC-Type (2), PAC-Key (32), PAC-Opaque (2-octet length + data),
// PAC-Info (2-octet length + data). A-ID and A-ID-Info come from PAC-Info.
func parseBinaryPACFile(b []byte) ([]PACFileEntry, error) {
	s := cryptobyte.String(b[4:])
	var version uint16
	if !s.ReadUint16(&version) {
		return nil, dissect.Errorf(dissect.Truncated, layer, 4, "binary PAC file without a version")
	}
	if version != 0 {
		return nil, dissect.Errorf(dissect.Unsupported, layer, 4, "binary PAC file version %d", version)
	}
	var out []PACFileEntry
	for !s.Empty() {
		off := len(b) - len(s)
		var e PACFileEntry
		var typ uint16
		var key []byte
		var opaque, info cryptobyte.String
		if !s.ReadUint16(&typ) || !s.ReadBytes(&key, PACKeyLen) ||
			!s.ReadUint16LengthPrefixed(&opaque) || !s.ReadUint16LengthPrefixed(&info) {
			return out, dissect.Errorf(dissect.Truncated, layer, off, "binary PAC entry runs past the end of the file")
		}
		e.Type = PACType(typ)
		e.Key = append([]byte(nil), key...)
		e.Opaque = append([]byte(nil), opaque...)
		e.Info = append([]byte(nil), info...)
		if pi, err := ParsePACInfo(e.Info); err == nil {
			e.AID, e.AIDInfo = pi.AID, pi.AIDInfo
		}
		out = append(out, e)
	}
	return out, nil
}

func truncateForError(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}
