package radius

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// sampleValue returns a valid value for a dictionary entry and how
// FormatAttribute shows it with secrets shown.
func sampleValue(t *testing.T, d attrDef) ([]byte, string) {
	t.Helper()
	hexOf := func(b []byte) ([]byte, string) { return b, hex.EncodeToString(b) }
	counting := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(0x10 + i)
		}
		return b
	}
	if d.flags&(flagUserPassword|flagSalted) != 0 {
		b := counting(32) // hidden values are whole 16-octet blocks (plus tag, salt)
		if d.flags&flagTagged != 0 {
			return b, hex.EncodeToString(b[1:]) // the tag is Field.Tag
		}
		return hexOf(b)
	}
	if d.size != 0 {
		return hexOf(counting(int(d.size)))
	}
	switch d.format {
	case formatEgressVLANID:
		return []byte{0x31, 0, 0x0f, 0xff}, "Tagged 4095"
	case formatEgressVLANName:
		return []byte("2voice"), "Untagged voice"
	case formatOperatorName:
		return []byte("1example.com"), "[REALM] example.com"
	case formatMIP6HomeLinkPrefix:
		a := netip.MustParseAddr("2001:db8:1::").As16()
		return append([]byte{48}, a[:]...), "2001:db8:1::/48"
	}
	tag := d.flags&flagTagged != 0
	switch d.typ {
	case DataText:
		if tag {
			return []byte("\x07tunnel-7"), "tunnel-7"
		}
		return []byte("h\u00e9llo, world"), "h\u00e9llo, world"
	case DataInteger, DataEnum:
		v, want := uint32(3600), "3600"
		if d.values != nil {
			keys := make([]uint32, 0, len(d.values))
			for k := range d.values {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			v, want = keys[len(keys)-1], d.values[keys[len(keys)-1]]
		}
		b := binary.BigEndian.AppendUint32(nil, v)
		if tag {
			b[0] = 0x05
		}
		return b, want
	case DataInteger64:
		return binary.BigEndian.AppendUint64(nil, 1<<40), "1099511627776"
	case DataShort:
		return []byte{2, 1}, "513"
	case DataTime:
		return binary.BigEndian.AppendUint32(nil, 1700000000), "2023-11-14T22:13:20Z"
	case DataIPv4Addr:
		return []byte{192, 0, 2, 1}, "192.0.2.1"
	case DataIPv6Addr:
		a := netip.MustParseAddr("2001:db8::1").As16()
		return a[:], "2001:db8::1"
	case DataIPv6Prefix:
		return []byte{0, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2}, "2001:db8:1:2::/64"
	case DataIPv4Prefix:
		return []byte{0, 24, 192, 0, 2, 0}, "192.0.2.0/24"
	case DataIfID:
		return []byte{0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}, "0011:2233:4455:6677"
	}
	return hexOf(counting(5))
}

// dictionaryAttributes returns one sample attribute for every dictionary
// entry, with the formatted value expected.
func dictionaryAttributes(t *testing.T) ([]Attribute, []string) {
	var attrs []Attribute
	var want []string
	for typ, d := range standardAttributes {
		if d.name == "" || typ == int(AttrVendorSpecific) {
			continue
		}
		v, w := sampleValue(t, d)
		attrs = append(attrs, Attribute{Type: uint8(typ), Value: v})
		want = append(want, w)
	}
	// A Vendor-Specific attribute kept whole.
	attrs = append(attrs, Attribute{Type: AttrVendorSpecific, Vendor: 4242, Value: []byte{0, 0, 0x10, 0x92, 0xff}})
	want = append(want, "ff")
	vendorIDs := make([]uint32, 0, len(vendors))
	for id := range vendors {
		vendorIDs = append(vendorIDs, id)
	}
	slices.Sort(vendorIDs)
	for _, id := range vendorIDs {
		types := make([]int, 0, len(vendors[id].attrs))
		for typ := range vendors[id].attrs {
			types = append(types, int(typ))
		}
		slices.Sort(types)
		for _, typ := range types {
			v, w := sampleValue(t, vendors[id].attrs[uint8(typ)])
			attrs = append(attrs, VendorAttribute(id, uint8(typ), v))
			want = append(want, w)
		}
	}
	return attrs, want
}

// Every attribute of the dictionary, with a value of its type, survives
// Marshal and DecodeFromBytes and formats as its type says.
func TestMarshalRoundTripEveryAttribute(t *testing.T) {
	attrs, want := dictionaryAttributes(t)
	if len(attrs) < 450 {
		t.Fatalf("only %d dictionary entries", len(attrs))
	}
	types := map[DataType]int{}
	for start := 0; start < len(attrs); {
		// As many attributes as fit one packet.
		n, size := 0, HeaderLen
		for start+n < len(attrs) {
			a := attrs[start+n]
			l := 2 + len(a.Value)
			if a.IsVendorSub() {
				l += 6
			}
			if size+l > MaxPacketLen {
				break
			}
			size += l
			n++
		}
		p := Packet{Code: CodeAccessAccept, Identifier: 7, Authenticator: [16]byte{1, 2, 3}, Attributes: slices.Clone(attrs[start : start+n])}
		raw, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) != size || int(p.Length) != size || int(binary.BigEndian.Uint16(raw[2:])) != size {
			t.Fatalf("packet of %d bytes, Length %d, want %d", len(raw), p.Length, size)
		}
		var q Packet
		if err := q.DecodeFromBytes(raw); err != nil {
			t.Fatal(err)
		}
		if q.Code != p.Code || q.Identifier != p.Identifier || q.Authenticator != p.Authenticator || len(q.Attributes) != n {
			t.Fatalf("decoded %v %d %x with %d attributes, want %d", q.Code, q.Identifier, q.Authenticator, len(q.Attributes), n)
		}
		for i, a := range q.Attributes {
			orig := p.Attributes[i]
			if a.Type != orig.Type || a.Vendor != orig.Vendor || a.VendorType != orig.VendorType || !bytes.Equal(a.Value, orig.Value) || a.Offset != orig.Offset {
				t.Errorf("attribute %d decoded as %+v, built %+v", start+i, a, orig)
			}
			f := FormatAttribute(a, true)
			if f.Value != want[start+i] || f.Problem != "" {
				t.Errorf("%s (%s): formatted %q (problem %q), want %q", f.Name, a.DataType(), f.Value, f.Problem, want[start+i])
			}
			if strings.HasPrefix(f.Name, "Attr-") {
				t.Errorf("dictionary attribute %+v has no name", a)
			}
			if IsSecret(a) {
				if g := FormatAttribute(a, false); g.Value != Redacted || !g.Secret {
					t.Errorf("%s: secret formatted as %q", f.Name, g.Value)
				}
			}
			types[a.DataType()]++
		}
		again, err := q.Marshal()
		if err != nil || !bytes.Equal(again, raw) {
			t.Errorf("re-marshal differs: %v", err)
		}
		start += n
	}
	for dt := DataString; dt <= DataLongExtended; dt++ {
		if types[dt] == 0 {
			t.Errorf("no attribute of type %s tested", dt)
		}
	}
}

// Marshal reproduces every corpus packet that decodes cleanly, byte for
// byte, except that a Vendor-Specific attribute holding several
// sub-attributes comes back as one attribute per sub-attribute.
func TestMarshalCorpus(t *testing.T) {
	exact, regrouped := 0, 0
	for _, c := range corpusRADIUSPackets(t) {
		p, err := Parse(c.Payload)
		if err != nil || int(p.Length) > MaxPacketLen {
			continue
		}
		orig := slices.Clone(p.Attributes)
		raw, err := p.Marshal()
		if err != nil {
			t.Errorf("%v: %v", c, err)
			continue
		}
		if bytes.Equal(raw, p.Raw) {
			exact++
			continue
		}
		q, err := Parse(raw)
		if err != nil || len(q.Attributes) != len(orig) {
			t.Errorf("%v: re-marshaled packet decodes to %d attributes (%v), want %d", c, len(q.Attributes), err, len(orig))
			continue
		}
		for i := range orig {
			a, b := orig[i], q.Attributes[i]
			if a.Type != b.Type || a.Vendor != b.Vendor || a.VendorType != b.VendorType || !bytes.Equal(a.Value, b.Value) {
				t.Errorf("%v attribute %d: %+v became %+v", c, i, a, b)
			}
		}
		regrouped++
	}
	if exact < 150 {
		t.Errorf("only %d corpus packets re-marshal exactly", exact)
	}
	t.Logf("%d corpus packets re-marshal byte for byte, %d with regrouped vendor sub-attributes", exact, regrouped)
}

func TestMarshalLimits(t *testing.T) {
	cases := []struct {
		name  string
		attrs []Attribute
		ok    bool
	}{
		{"253-byte value", []Attribute{BytesAttribute(AttrClass, make([]byte, 253))}, true},
		{"254-byte value", []Attribute{BytesAttribute(AttrClass, make([]byte, 254))}, false},
		{"247-byte vendor value", []Attribute{VendorAttribute(VendorCisco, CiscoAVPair, make([]byte, 247))}, true},
		{"248-byte vendor value", []Attribute{VendorAttribute(VendorCisco, CiscoAVPair, make([]byte, 248))}, false},
		{"4096-byte packet", append(slices.Repeat([]Attribute{BytesAttribute(AttrClass, make([]byte, 253))}, 15),
			BytesAttribute(AttrClass, make([]byte, 4096-20-15*255-2))), true},
		{"4097-byte packet", append(slices.Repeat([]Attribute{BytesAttribute(AttrClass, make([]byte, 253))}, 15),
			BytesAttribute(AttrClass, make([]byte, 4096-20-15*255-1))), false},
	}
	for _, c := range cases {
		p := Packet{Code: CodeAccessAccept, Attributes: c.attrs}
		prefix := []byte("keep")
		out, err := p.AppendMarshal(prefix)
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v, want ok %v", c.name, err, c.ok)
		}
		if err != nil && !bytes.Equal(out, prefix) {
			t.Errorf("%s: failed AppendMarshal left %d bytes, want the 4-byte prefix", c.name, len(out))
		}
		if err == nil && !bytes.HasPrefix(out, prefix) {
			t.Errorf("%s: AppendMarshal lost the prefix", c.name)
		}
	}
}

// A VSA kept whole (vendor data that is not type-length sub-attributes,
// or too short for a vendor number) is written back as it was.
func TestMarshalWholeVSA(t *testing.T) {
	raw := mustHex(t, `01 09 00 2a 000102030405060708090a0b0c0d0e0f
		1a 0a 00 00 01 37 ff 10 aa bb
		1a 04 00 01
		1a 08 00 00 00 09 00 02`)
	p, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := []Attribute{
		{Type: 26, Vendor: 311, Value: mustHex(t, "00000137ff10aabb"), Offset: 20},
		{Type: 26, Vendor: 0, Value: mustHex(t, "0001"), Offset: 30},
		{Type: 26, Vendor: 9, Value: mustHex(t, "0000000900 02"), Offset: 34},
	}
	if len(p.Attributes) != len(want) {
		t.Fatalf("%+v", p.Attributes)
	}
	for i, w := range want {
		a := p.Attributes[i]
		if a.Type != w.Type || a.Vendor != w.Vendor || a.VendorType != 0 || !bytes.Equal(a.Value, w.Value) || a.Offset != w.Offset {
			t.Errorf("attribute %d = %+v, want %+v", i, a, w)
		}
		if f := FormatAttribute(a, false); f.Name != "Vendor-Specific" {
			t.Errorf("attribute %d named %s", i, f.Name)
		}
	}
	if f := FormatAttribute(p.Attributes[0], false); f.Value != "ff10aabb" || f.Problem != "" {
		t.Errorf("whole VSA formatted %+v", f)
	}
	if f := FormatAttribute(p.Attributes[1], false); f.Problem == "" {
		t.Errorf("2-byte VSA formatted without a problem: %+v", f)
	}
	out, err := p.Marshal()
	if err != nil || !bytes.Equal(out, raw) {
		t.Errorf("Marshal = %x, %v; want %x", out, err, raw)
	}
}

func TestEAPMessageAttributes(t *testing.T) {
	eap := make([]byte, 600)
	for i := range eap {
		eap[i] = byte(i)
	}
	attrs := EAPMessageAttributes(eap)
	if len(attrs) != 3 || len(attrs[0].Value) != 253 || len(attrs[1].Value) != 253 || len(attrs[2].Value) != 94 {
		t.Fatalf("split into %d attributes", len(attrs))
	}
	p := Packet{Code: CodeAccessChallenge, Attributes: append(attrs, BytesAttribute(AttrMessageAuthenticator, make([]byte, 16)))}
	raw, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := q.EAPMessage()
	if !ok || !bytes.Equal(got, eap) {
		t.Errorf("joined %d bytes, want %d", len(got), len(eap))
	}
	if EAPMessageAttributes(nil) != nil {
		t.Error("attributes for an empty EAP packet")
	}
	// Appending to one returned value must not write into the next.
	_ = append(attrs[0].Value, 0xff)
	if attrs[1].Value[0] != eap[253] {
		t.Error("EAP-Message values share capacity")
	}
}

func TestEAPMessageCap(t *testing.T) {
	var p Packet
	chunk := make([]byte, 253)
	for range 260 { // 260 * 253 = 65780 > 65535
		p.Attributes = append(p.Attributes, BytesAttribute(AttrEAPMessage, chunk))
	}
	if _, ok := p.EAPMessage(); ok {
		t.Error("EAPMessage joined past the cap")
	}
	out, err := p.AppendEAPMessage(nil)
	if err == nil || len(out) > 65535 {
		t.Errorf("AppendEAPMessage: %d bytes, %v", len(out), err)
	}
	if err != nil && !strings.Contains(err.Error(), "cap-exceeded") {
		t.Errorf("error %v is not cap-exceeded", err)
	}
}
