package radius

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Redacted replaces the value of a secret attribute in formatted output.
const Redacted = "<redacted>"

// Field is one attribute formatted for a report.
type Field struct {
	// Name is the dictionary name (see Attribute.Name).
	Name string
	// Value is the value formatted per its data type: text as is (with
	// non-printable bytes escaped), integers in decimal or by their
	// registered name, addresses and prefixes in the usual notation, time
	// in RFC 3339 UTC, binary data in lowercase hex. A secret's value is
	// Redacted unless secrets are shown.
	Value  string
	Secret bool
	// Type is the attribute type (26 for a vendor sub-attribute); Vendor
	// and VendorType identify a vendor sub-attribute, as in Attribute.
	Type       uint8
	Vendor     uint32
	VendorType uint8
	// Tag is the tunnel tag of a tagged attribute (RFC 2868), 0 if none.
	Tag uint8
	// Problem says why the value does not fit its data type ("" when it
	// does); Value is then the value in hex.
	Problem string
}

// Fields formats every attribute of p, in packet order.
func (p *Packet) Fields(showSecrets bool) []Field {
	out := make([]Field, 0, len(p.Attributes))
	for _, a := range p.Attributes {
		out = append(out, FormatAttribute(a, showSecrets))
	}
	return out
}

// FormatAttribute formats one attribute per its dictionary entry.
func FormatAttribute(a Attribute, showSecrets bool) Field {
	f := Field{Name: a.Name(), Type: a.Type, Vendor: a.Vendor, VendorType: a.VendorType, Secret: IsSecret(a)}
	d, known := a.def()
	if a.Type == AttrVendorSpecific && a.VendorType == 0 {
		// A VSA kept whole: show the vendor data after the vendor number.
		if len(a.Value) >= 4 {
			f.Value = hex.EncodeToString(a.Value[4:])
		} else {
			f.Value = hex.EncodeToString(a.Value)
			f.Problem = fmt.Sprintf("%d bytes, too short for a vendor number", len(a.Value))
		}
		return f
	}
	if tag, ok := a.Tag(); ok {
		f.Tag = tag
	}
	if f.Secret && !showSecrets {
		f.Value = Redacted
		return f
	}
	if !known {
		f.Value = hex.EncodeToString(a.Value)
		return f
	}
	v := a.untagged()
	if f.Tag > 0x1f && (d.typ == DataInteger || d.typ == DataEnum) {
		f.Value = hex.EncodeToString(a.Value)
		f.Problem = fmt.Sprintf("tag 0x%02x is outside 0x00-0x1F", f.Tag)
		return f
	}
	if d.flags&(flagUserPassword|flagSalted) != 0 {
		// Hidden on the wire; without the secret only hex can be shown.
		f.Value = hex.EncodeToString(v)
		return f
	}
	if d.size != 0 && len(a.Value) != int(d.size) {
		f.Value = hex.EncodeToString(a.Value)
		f.Problem = fmt.Sprintf("%d bytes, want %d", len(a.Value), d.size)
		return f
	}
	f.Value, f.Problem = formatValue(d, a, v)
	if f.Problem != "" {
		f.Value = hex.EncodeToString(a.Value)
	}
	return f
}

// formatValue formats v (the value without any tag octet) per d.
func formatValue(d attrDef, a Attribute, v []byte) (string, string) {
	switch d.format {
	case formatEgressVLANID:
		return formatEgressVLAN(v)
	case formatEgressVLANName:
		if len(v) < 1 {
			return "", "empty"
		}
		ind, problem := tagIndication(v[0])
		return ind + " " + escapeText(v[1:]), problem
	case formatOperatorName:
		return formatOperator(v)
	case formatMIP6HomeLinkPrefix:
		if len(v) != 17 || v[0] > 128 {
			return "", fmt.Sprintf("%d bytes, want a prefix length up to 128 and 16 bytes of prefix", len(v))
		}
		return netip.PrefixFrom(netip.AddrFrom16([16]byte(v[1:])), int(v[0])).String(), ""
	}
	switch d.typ {
	case DataText:
		return escapeText(v), ""
	case DataInteger, DataEnum:
		var n uint32
		switch {
		case d.flags&flagTagged != 0 && len(a.Value) == 4:
			n = binary.BigEndian.Uint32(a.Value) & 0x00ffffff
		case len(v) == 4:
			n = binary.BigEndian.Uint32(v)
		default:
			return "", fmt.Sprintf("%d bytes, want 4", len(v))
		}
		if name, ok := d.values[n]; ok {
			return name, ""
		}
		return strconv.FormatUint(uint64(n), 10), ""
	case DataInteger64:
		if len(v) != 8 {
			return "", fmt.Sprintf("%d bytes, want 8", len(v))
		}
		return strconv.FormatUint(binary.BigEndian.Uint64(v), 10), ""
	case DataShort:
		if len(v) != 2 {
			return "", fmt.Sprintf("%d bytes, want 2", len(v))
		}
		return strconv.FormatUint(uint64(binary.BigEndian.Uint16(v)), 10), ""
	case DataTime:
		if len(v) != 4 {
			return "", fmt.Sprintf("%d bytes, want 4", len(v))
		}
		return time.Unix(int64(binary.BigEndian.Uint32(v)), 0).UTC().Format(time.RFC3339), ""
	case DataIPv4Addr:
		if len(v) != 4 {
			return "", fmt.Sprintf("%d bytes, want 4", len(v))
		}
		return netip.AddrFrom4([4]byte(v)).String(), ""
	case DataIPv6Addr:
		if len(v) != 16 {
			return "", fmt.Sprintf("%d bytes, want 16", len(v))
		}
		return netip.AddrFrom16([16]byte(v)).String(), ""
	case DataIPv6Prefix:
		return formatIPv6Prefix(v)
	case DataIPv4Prefix:
		return formatIPv4Prefix(v)
	case DataIfID:
		if len(v) != 8 {
			return "", fmt.Sprintf("%d bytes, want 8", len(v))
		}
		return fmt.Sprintf("%04x:%04x:%04x:%04x", binary.BigEndian.Uint16(v), binary.BigEndian.Uint16(v[2:]),
			binary.BigEndian.Uint16(v[4:]), binary.BigEndian.Uint16(v[6:])), ""
	}
	return hex.EncodeToString(v), ""
}

// formatIPv6Prefix formats reserved | prefix-length | prefix (RFC 3162
// §2.3): 2 to 18 octets, prefix length at most 128, missing prefix octets
// zero.
func formatIPv6Prefix(v []byte) (string, string) {
	if len(v) < 2 || len(v) > 18 {
		return "", fmt.Sprintf("%d bytes, want 2 to 18", len(v))
	}
	if v[1] > 128 {
		return "", fmt.Sprintf("prefix length %d exceeds 128", v[1])
	}
	var a [16]byte
	copy(a[:], v[2:])
	return netip.PrefixFrom(netip.AddrFrom16(a), int(v[1])).String(), ""
}

// formatIPv4Prefix formats reserved | prefix-length | address (RFC 6572
// §3.10): 6 octets, prefix length at most 32.
func formatIPv4Prefix(v []byte) (string, string) {
	if len(v) != 6 {
		return "", fmt.Sprintf("%d bytes, want 6", len(v))
	}
	if v[1]&0x3f > 32 {
		return "", fmt.Sprintf("prefix length %d exceeds 32", v[1]&0x3f)
	}
	return netip.PrefixFrom(netip.AddrFrom4([4]byte(v[2:])), int(v[1]&0x3f)).String(), ""
}

// tagIndication names the RFC 4675 tag indication octet.
func tagIndication(b byte) (string, string) {
	switch b {
	case 0x31:
		return "Tagged", ""
	case 0x32:
		return "Untagged", ""
	}
	return "", fmt.Sprintf("unknown tag indication 0x%02x", b)
}

// formatEgressVLAN formats an Egress-VLANID value (RFC 4675 §2.1).
func formatEgressVLAN(v []byte) (string, string) {
	if len(v) != 4 {
		return "", fmt.Sprintf("%d bytes, want 4", len(v))
	}
	ind, problem := tagIndication(v[0])
	return ind + " " + strconv.Itoa(int(binary.BigEndian.Uint32(v)&0xfff)), problem
}

// operatorNamespaces are the namespace IDs of RFC 5580 §4.1.
var operatorNamespaces = map[byte]string{'0': "TADIG", '1': "REALM", '2': "E212", '3': "ICC"}

// formatOperator formats an Operator-Name value (RFC 5580 §4.1).
func formatOperator(v []byte) (string, string) {
	if len(v) < 1 {
		return "", "empty"
	}
	ns, ok := operatorNamespaces[v[0]]
	if !ok {
		return fmt.Sprintf("[namespace 0x%02x] %s", v[0], escapeText(v[1:])), ""
	}
	return "[" + ns + "] " + escapeText(v[1:]), ""
}

// escapeText returns text as is when it is valid UTF-8 of printable
// characters, otherwise with Go string escapes for what is not.
func escapeText(b []byte) string {
	if utf8.Valid(b) && !strings.ContainsFunc(string(b), func(r rune) bool { return !unicode.IsPrint(r) }) {
		return string(b)
	}
	q := strconv.Quote(string(b))
	return q[1 : len(q)-1]
}
