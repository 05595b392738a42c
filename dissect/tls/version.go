package tls

import "fmt"

// Version is a protocol version as carried in records, hellos and the
// supported_versions extension.
type Version uint16

// Protocol versions. VersionDTLS09 (0x0100) is the pre-RFC DTLS of OpenSSL
// before 0.9.8f that Cisco AnyConnect still uses for its DTLS channel.
const (
	VersionSSL20  Version = 0x0002
	VersionSSL30  Version = 0x0300
	VersionTLS10  Version = 0x0301
	VersionTLS11  Version = 0x0302
	VersionTLS12  Version = 0x0303
	VersionTLS13  Version = 0x0304
	VersionDTLS09 Version = 0x0100
	VersionDTLS10 Version = 0xfeff
	VersionDTLS12 Version = 0xfefd
	VersionDTLS13 Version = 0xfefc
)

// String names the version the way engineers read it: "TLS 1.2",
// "DTLS 0.9", "TLS 1.3 (draft 23)", "GREASE (0x0a0a)", or "0x%04x".
func (v Version) String() string {
	switch v {
	case VersionSSL20:
		return "SSL 2.0"
	case VersionSSL30:
		return "SSL 3.0"
	case VersionTLS10:
		return "TLS 1.0"
	case VersionTLS11:
		return "TLS 1.1"
	case VersionTLS12:
		return "TLS 1.2"
	case VersionTLS13:
		return "TLS 1.3"
	case VersionDTLS09:
		return "DTLS 0.9"
	case VersionDTLS10:
		return "DTLS 1.0"
	case VersionDTLS12:
		return "DTLS 1.2"
	case VersionDTLS13:
		return "DTLS 1.3"
	}
	if IsGREASE(uint16(v)) {
		return fmt.Sprintf("GREASE (0x%04x)", uint16(v))
	}
	if n, ok := v.googleExperiment(); ok {
		return fmt.Sprintf("TLS 1.3 (Google experiment %d)", n)
	}
	if d, ok := v.tls13Draft(); ok {
		if v>>8 == 0xfb {
			return fmt.Sprintf("TLS 1.3 (Facebook draft %d)", d)
		}
		return fmt.Sprintf("TLS 1.3 (draft %d)", d)
	}
	return fmt.Sprintf("0x%04x", uint16(v))
}

// tls13Draft reports the draft number of a pre-standard TLS 1.3 version
// (0x7fNN, and Facebook's 0xfbNN variants). Google's experiment variants
// (0x7e01-0x7e03, Chrome 63-65 with BoringSSL) followed draft 22's formats
// with middlebox-compatibility changes, so they count as draft 22.
func (v Version) tls13Draft() (int, bool) {
	switch v >> 8 {
	case 0x7f:
		return int(v & 0xff), true
	case 0xfb:
		return int(v & 0xff), true
	}
	if _, ok := v.googleExperiment(); ok {
		return 22, true
	}
	return 0, false
}

// googleExperiment reports the number of one of Google's TLS 1.3
// experiment versions (0x7e01, 0x7e02, 0x7e03).
func (v Version) googleExperiment() (int, bool) {
	if v>>8 == 0x7e && v&0xff >= 1 && v&0xff <= 3 {
		return int(v & 0xff), true
	}
	return 0, false
}

// IsDTLS reports whether v is a DTLS version (including the pre-RFC 0x0100).
func (v Version) IsDTLS() bool {
	switch v {
	case VersionDTLS09, VersionDTLS10, VersionDTLS12, VersionDTLS13:
		return true
	}
	return false
}

// IsGREASE reports whether v is one of the RFC 8701 reserved GREASE values.
func (v Version) IsGREASE() bool { return IsGREASE(uint16(v)) }

// TLSEquivalent maps a version to the TLS version with the same message
// formats: DTLS 1.0 and 0.9 to TLS 1.1 and 1.0, DTLS 1.2 to TLS 1.2,
// DTLS 1.3 and the TLS 1.3 drafts to TLS 1.3. Other versions map to
// themselves.
func (v Version) TLSEquivalent() Version {
	switch v {
	case VersionDTLS09:
		return VersionTLS10
	case VersionDTLS10:
		return VersionTLS11
	case VersionDTLS12:
		return VersionTLS12
	case VersionDTLS13:
		return VersionTLS13
	}
	if _, ok := v.tls13Draft(); ok {
		return VersionTLS13
	}
	return v
}

// IsTLS13 reports whether v uses TLS 1.3 message formats (TLS 1.3, DTLS 1.3
// and the TLS 1.3 drafts).
func (v Version) IsTLS13() bool { return v.TLSEquivalent() == VersionTLS13 }

// rank orders versions by age so that the newest of a list can be chosen;
// final versions rank above drafts of the same version. Unknown versions
// rank 0.
func (v Version) rank() int {
	if v.IsGREASE() {
		return 0
	}
	if _, ok := v.tls13Draft(); ok {
		return int(VersionTLS13)<<1 - 1
	}
	e := v.TLSEquivalent()
	if e < VersionSSL30 || e > VersionTLS13 {
		if e == VersionSSL20 {
			return 1
		}
		return 0
	}
	return int(e) << 1
}

// IsGREASE reports whether a 16-bit code point (cipher suite, extension,
// named group, version, signature scheme) is an RFC 8701 GREASE value:
// 0x0a0a, 0x1a1a, ... 0xfafa.
func IsGREASE(v uint16) bool {
	return v&0x0f0f == 0x0a0a && v>>8 == v&0xff
}
