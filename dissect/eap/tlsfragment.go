package eap

import (
	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// TLSFlags is the flags octet of a TLS-based method (RFC 5216 §3.1,
// RFC 5281 §9.1, RFC 4851 §4.1, RFC 7170 §4.1). For EAP-TTLS, PEAP, EAP-FAST
// and TEAP the low three bits carry the method version.
type TLSFlags uint8

// Flag bits.
const (
	FlagLength   TLSFlags = 0x80 // L: TLS Message Length present
	FlagMore     TLSFlags = 0x40 // M: more fragments follow
	FlagStart    TLSFlags = 0x20 // S: start
	FlagOuterTLV TLSFlags = 0x10 // O (TEAP only): Outer TLV Length present
	versionMask  TLSFlags = 0x07
)

// Has reports whether every bit of x is set.
func (f TLSFlags) Has(x TLSFlags) bool { return f&x == x }

// String renders the set flags as Wireshark's column does, e.g. "LM", "S", "-".
func (f TLSFlags) String() string {
	var b []byte
	for _, x := range []struct {
		bit TLSFlags
		c   byte
	}{{FlagLength, 'L'}, {FlagMore, 'M'}, {FlagStart, 'S'}, {FlagOuterTLV, 'O'}} {
		if f&x.bit != 0 {
			b = append(b, x.c)
		}
	}
	if len(b) == 0 {
		return "-"
	}
	return string(b)
}

// EAP-FAST and TEAP TLV types this package reads.
const (
	fastTLVAuthorityID = 4 // RFC 4851 §4.1.1, Start: Authority-ID data
	teapTLVAuthorityID = 1 // RFC 7170 §4.2.2
	tlvTypeMask        = 0x3fff
)

// TLSFragment is the type data of one packet of a TLS-based method.
type TLSFragment struct {
	Method  Type
	Flags   TLSFlags
	Version uint8 // low 3 flag bits; always 0 for EAP-TLS, where they are reserved

	MessageLength uint32 // TLS Message Length, when HasLength (L)
	HasLength     bool

	OuterTLVLength uint32 // TEAP Outer TLV Length, when HasOuterTLVs (O)
	HasOuterTLVs   bool

	// Data is the TLS record bytes of this fragment. On a Start packet it is
	// the method's start payload instead (EAP-FAST: the Authority-ID TLV).
	Data []byte
	// OuterTLVs are TEAP's outer TLVs (after the TLS data).
	OuterTLVs []byte
	// AuthorityID is the Authority-ID of an EAP-FAST Start (TLV type 4) or
	// of a TEAP outer Authority-ID TLV (type 1).
	AuthorityID []byte
}

// IsStart reports a Start packet (S flag).
func (f TLSFragment) IsStart() bool { return f.Flags&FlagStart != 0 }

// IsAck reports an empty fragment acknowledging the previous one (or, from
// the server, asking for the next one).
func (f TLSFragment) IsAck() bool {
	return f.Flags&(FlagStart|FlagMore|FlagLength) == 0 && len(f.Data) == 0 && !f.HasOuterTLVs
}

// MoreFragments reports the M flag.
func (f TLSFragment) MoreFragments() bool { return f.Flags&FlagMore != 0 }

// ParseTLSFragment decodes the type data of a TLS-based method packet.
func ParseTLSFragment(p *Packet) (TLSFragment, error) {
	f := TLSFragment{Method: p.Type}
	if !IsTLSBased(p.Type) {
		return f, dissect.Errorf(dissect.Unsupported, layer, typeHeaderLen-1, "%s is not a TLS-based method", p.Type)
	}
	base := p.HeaderLen()
	s := cryptobyte.String(p.Data)
	var flags uint8
	if !s.ReadUint8(&flags) {
		return f, dissect.Errorf(dissect.Truncated, layer, base, "%s without flags", p.Type)
	}
	f.Flags = TLSFlags(flags)
	if p.Type != TypeTLS {
		f.Version = uint8(f.Flags & versionMask)
	}
	if f.Flags&FlagLength != 0 {
		if !s.ReadUint32(&f.MessageLength) {
			f.Data = s
			return f, dissect.Errorf(dissect.Truncated, layer, base+1, "L flag without the 4-byte TLS Message Length")
		}
		f.HasLength = true
	}
	if p.Type == TypeTEAP && f.Flags&FlagOuterTLV != 0 {
		off := base + len(p.Data) - len(s)
		if !s.ReadUint32(&f.OuterTLVLength) {
			f.Data = s
			return f, dissect.Errorf(dissect.Truncated, layer, off, "O flag without the 4-byte Outer TLV Length")
		}
		f.HasOuterTLVs = true
		if uint64(f.OuterTLVLength) > uint64(len(s)) {
			f.Data = s
			return f, dissect.Errorf(dissect.Truncated, layer, off, "Outer TLV Length %d, %d bytes left", f.OuterTLVLength, len(s))
		}
		split := len(s) - int(f.OuterTLVLength)
		f.Data, f.OuterTLVs = nonEmpty(s[:split]), nonEmpty(s[split:])
		id, err := findTLV(f.OuterTLVs, teapTLVAuthorityID)
		f.AuthorityID = id
		if err != nil {
			err.Offset += base + len(p.Data) - len(f.OuterTLVs)
			return f, err
		}
		return f, nil
	}
	f.Data = nonEmpty(s)
	if p.Type == TypeFAST && f.IsStart() && len(f.Data) > 0 {
		id, err := findTLV(f.Data, fastTLVAuthorityID)
		f.AuthorityID = id
		if err != nil {
			err.Offset += base + len(p.Data) - len(f.Data)
			return f, err
		}
	}
	return f, nil
}

func nonEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// findTLV walks 2-byte-type, 2-byte-length TLVs (the M and R bits of the
// type are ignored) and returns the value of the first one of type want.
// Offsets in the error are relative to b.
func findTLV(b []byte, want uint16) ([]byte, *dissect.Error) {
	s := cryptobyte.String(b)
	for !s.Empty() {
		off := len(b) - len(s)
		var t uint16
		var v cryptobyte.String
		if !s.ReadUint16(&t) || !s.ReadUint16LengthPrefixed(&v) {
			return nil, dissect.Errorf(dissect.Truncated, layer, off, "TLV at %d runs past its %d bytes", off, len(b))
		}
		if t&tlvTypeMask == want {
			return v, nil
		}
	}
	return nil, nil
}

// appendTLV appends a 2-byte-type, 2-byte-length TLV (value cut to 65535).
func appendTLV(dst []byte, t uint16, v []byte) []byte {
	if len(v) > 0xffff {
		v = v[:0xffff]
	}
	dst = append(dst, byte(t>>8), byte(t), byte(len(v)>>8), byte(len(v)))
	return append(dst, v...)
}

// Marshal builds the type data of the fragment. The L and O bits follow
// HasLength and HasOuterTLVs (O also when OuterTLVs is set), the version bits
// follow Version (except for EAP-TLS); the other flag bits are taken from
// Flags. MessageLength is written as given; Outer TLV Length is computed. An
// EAP-FAST Start with AuthorityID and no Data gets the Authority-ID TLV; a
// TEAP fragment with AuthorityID and no OuterTLVs gets an outer
// Authority-ID TLV.
func (f TLSFragment) Marshal() []byte {
	flags := f.Flags &^ FlagLength
	if f.HasLength {
		flags |= FlagLength
	}
	outer := f.OuterTLVs
	if f.Method == TypeTEAP {
		if outer == nil && f.AuthorityID != nil {
			outer = appendTLV(nil, teapTLVAuthorityID, f.AuthorityID)
		}
		flags &^= FlagOuterTLV
		if f.HasOuterTLVs || outer != nil {
			flags |= FlagOuterTLV
		}
	}
	if f.Method != TypeTLS {
		flags = flags&^versionMask | TLSFlags(f.Version)&versionMask
	}
	data := f.Data
	if f.Method == TypeFAST && flags&FlagStart != 0 && len(data) == 0 && f.AuthorityID != nil {
		data = appendTLV(nil, fastTLVAuthorityID, f.AuthorityID)
	}
	b := make([]byte, 0, 9+len(data)+len(outer))
	b = append(b, byte(flags))
	if flags&FlagLength != 0 {
		b = append(b, byte(f.MessageLength>>24), byte(f.MessageLength>>16), byte(f.MessageLength>>8), byte(f.MessageLength))
	}
	if flags&FlagOuterTLV != 0 && f.Method == TypeTEAP {
		n := uint32(len(outer))
		b = append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	b = append(b, data...)
	return append(b, outer...)
}

// Packet wraps the fragment in an EAP packet of the given code and identifier.
func (f TLSFragment) Packet(code Code, identifier uint8) *Packet {
	return &Packet{Code: code, Identifier: identifier, Type: f.Method, Data: f.Marshal()}
}

// LengthPolicy says on which fragments FragmentTLS sets L and the TLS
// Message Length.
type LengthPolicy uint8

const (
	// LengthOnFirst: on the first fragment, also when the message fits in
	// one (FreeRADIUS with include_length = yes; RFC 5216 allows it).
	LengthOnFirst LengthPolicy = iota
	// LengthWhenFragmented: on the first fragment of a fragmented message
	// only (hostapd, Windows).
	LengthWhenFragmented
	// LengthOnEvery: on every fragment (some older servers).
	LengthOnEvery
	// LengthNever: never; breaks RFC 5216 for fragmented messages.
	LengthNever
)

// FragmentTLS splits TLS data into fragments of at most maxData TLS bytes
// each, as a server or peer does: M on all but the last, L according to
// policy. maxData <= 0 means one fragment. The fragments' Data alias tlsData.
func FragmentTLS(method Type, version uint8, tlsData []byte, maxData int, policy LengthPolicy) []TLSFragment {
	if maxData <= 0 || maxData > len(tlsData) {
		maxData = len(tlsData)
	}
	n := 1
	if maxData > 0 {
		n = (len(tlsData) + maxData - 1) / maxData
	}
	if n == 0 {
		n = 1
	}
	frags := make([]TLSFragment, 0, n)
	for i := 0; i < n; i++ {
		lo, hi := i*maxData, (i+1)*maxData
		if hi > len(tlsData) {
			hi = len(tlsData)
		}
		f := TLSFragment{Method: method, Data: tlsData[lo:hi:hi]}
		if method != TypeTLS {
			f.Version = version & uint8(versionMask)
		}
		if i < n-1 {
			f.Flags |= FlagMore
		}
		switch policy {
		case LengthOnFirst:
			f.HasLength = i == 0
		case LengthWhenFragmented:
			f.HasLength = i == 0 && n > 1
		case LengthOnEvery:
			f.HasLength = true
		}
		if f.HasLength {
			f.Flags |= FlagLength
			f.MessageLength = uint32(len(tlsData))
		}
		f.Flags |= TLSFlags(f.Version)
		frags = append(frags, f)
	}
	return frags
}
