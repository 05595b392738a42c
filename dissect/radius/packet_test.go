package radius

import (
	"bytes"
	"errors"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name   string
		hex    string
		kind   dissect.Kind
		offset int
		attrs  int
	}{
		{"empty", "", dissect.Truncated, 0, 0},
		{"19 bytes", "01 07 0014 00112233445566778899aabbccddee", dissect.Truncated, 19, 0},
		{"length 19", "01 07 0013 00112233445566778899aabbccddeeff", dissect.Malformed, 2, 0},
		{"length past the data", "01 07 0020 00112233445566778899aabbccddeeff 01 05 626f62", dissect.Truncated, 2, 1},
		{"attribute length 1", "01 07 001b 00112233445566778899aabbccddeeff 01 05 626f62 04 01", dissect.Malformed, 25, 1},
		{"attribute length 0", "01 07 0016 00112233445566778899aabbccddeeff 50 00", dissect.Malformed, 20, 0},
		{"attribute past the end", "01 07 0018 00112233445566778899aabbccddeeff 01 05 626f", dissect.Truncated, 20, 0},
		{"attribute header cut", "01 07 0015 00112233445566778899aabbccddeeff 01", dissect.Truncated, 20, 0},
		{"empty value is fine", "01 07 0016 00112233445566778899aabbccddeeff 18 02", 0, 0, 1},
		{"padding is ignored", "01 07 0019 00112233445566778899aabbccddeeff 01 05 626f62 ffffffff", 0, 0, 1},
	}
	for _, c := range cases {
		b := mustHex(t, c.hex)
		var p Packet
		err := p.DecodeFromBytes(b)
		if c.kind == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		} else {
			var de *dissect.Error
			if !errors.As(err, &de) || de.Kind != c.kind || de.Offset != c.offset || de.Layer != "radius" {
				t.Errorf("%s: error %#v, want %v at %d", c.name, err, c.kind, c.offset)
			}
		}
		if len(p.Attributes) != c.attrs {
			t.Errorf("%s: %d attributes, want %d", c.name, len(p.Attributes), c.attrs)
		}
	}
	p, _ := Parse(mustHex(t, "01 07 0019 00112233445566778899aabbccddeeff 01 05 626f62 ffffffff"))
	if len(p.Raw) != 25 || p.Length != 25 {
		t.Errorf("Raw %d bytes, Length %d; want 25", len(p.Raw), p.Length)
	}
}

// A packet of only empty attributes stops at MaxAttributes.
func TestDecodeAttributeCap(t *testing.T) {
	n := MaxAttributes + 10
	b := make([]byte, HeaderLen, HeaderLen+2*n)
	b[0] = byte(CodeAccessRequest)
	for range n {
		b = append(b, AttrClass, 2)
	}
	b[2], b[3] = byte(len(b)>>8), byte(len(b))
	var p Packet
	err := p.DecodeFromBytes(b)
	if dissect.KindOf(err) != dissect.CapExceeded || len(p.Attributes) != MaxAttributes {
		t.Errorf("err %v with %d attributes; want cap-exceeded at %d", err, len(p.Attributes), MaxAttributes)
	}
}

// Values alias the input and a reused Packet forgets the previous one.
func TestDecodeReuse(t *testing.T) {
	b := mustHex(t, rfc2865AccessRequest)
	var p Packet
	if err := p.DecodeFromBytes(b); err != nil {
		t.Fatal(err)
	}
	name, _ := p.Get(AttrUserName)
	b[22] = 'N'
	if string(name) != "Nemo" {
		t.Errorf("User-Name %q does not alias the input", name)
	}
	if err := p.DecodeFromBytes(mustHex(t, rfc2865AccessChallenge)); err != nil {
		t.Fatal(err)
	}
	if p.Code != CodeAccessChallenge || len(p.Attributes) != 2 || p.Has(AttrUserName) {
		t.Errorf("reused packet: %v with %d attributes", p.Code, len(p.Attributes))
	}
}

// DecodeFromBytes into a reused Packet allocates nothing, for every
// corpus packet.
func TestDecodeAllocations(t *testing.T) {
	pkts := corpusRADIUSPackets(t)
	var p Packet
	p.Attributes = make([]Attribute, 0, MaxAttributes)
	for _, c := range pkts {
		if _, err := Parse(c.Payload); err != nil {
			continue // errors allocate their message; clean packets must not
		}
		if n := testing.AllocsPerRun(20, func() { _ = p.DecodeFromBytes(c.Payload) }); n != 0 {
			t.Errorf("%v: %v allocations per decode", c, n)
		}
	}
	var eap []byte
	freeradius := readCapture(t, "testdata/freeradius-3.2.1.pcapng")[7]
	_ = p.DecodeFromBytes(freeradius)
	eap, _ = p.AppendEAPMessage(eap)
	if n := testing.AllocsPerRun(20, func() {
		_ = p.DecodeFromBytes(freeradius)
		eap, _ = p.AppendEAPMessage(eap[:0])
		_, _ = p.Get(AttrState)
		_ = p.HasMessageAuthenticator()
	}); n != 0 {
		t.Errorf("decode and join EAP: %v allocations", n)
	}
	buf := make([]byte, 0, MaxPacketLen)
	if n := testing.AllocsPerRun(20, func() { buf, _ = p.AppendMarshal(buf[:0]) }); n != 0 {
		t.Errorf("AppendMarshal into a reused buffer: %v allocations", n)
	}
	if !bytes.Equal(buf, freeradius) {
		t.Error("AppendMarshal did not reproduce the packet")
	}
}

// BenchmarkDecode decodes the corpus packets that decode cleanly.
func BenchmarkDecode(b *testing.B) {
	var pkts []corpusPacket
	for _, c := range corpusRADIUSPackets(b) {
		if _, err := Parse(c.Payload); err == nil {
			pkts = append(pkts, c)
		}
	}
	var total int
	for _, c := range pkts {
		total += len(c.Payload)
	}
	var p Packet
	b.SetBytes(int64(total / len(pkts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		_ = p.DecodeFromBytes(pkts[i%len(pkts)].Payload)
	}
}

func BenchmarkDecodeAccessRequest(b *testing.B) {
	raw := readCapture(b, "testdata/freeradius-3.2.1.pcapng")[1]
	var p Packet
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		_ = p.DecodeFromBytes(raw)
	}
}

func BenchmarkMarshal(b *testing.B) {
	p, _ := Parse(readCapture(b, "testdata/freeradius-3.2.1.pcapng")[2])
	buf := make([]byte, 0, MaxPacketLen)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = p.AppendMarshal(buf[:0])
	}
}
