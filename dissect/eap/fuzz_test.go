package eap

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

// seedPackets returns real EAP packets from the FreeRADIUS captures and the
// public corpus.
func seedPackets(t testing.TB) [][]byte {
	var out [][]byte
	files, _ := filepath.Glob("testdata/*.pcap")
	if dir := corpusDirOrEmpty(); dir != "" {
		for _, f := range []string{"tcpdump/RADIUS.pcap", "tcpdump/eapon1.pcap", "nDPI/pcap/fuzz-2020-02-16-11740.pcap", "arkime/pana_synthetic.pcap"} {
			files = append(files, filepath.Join(dir, f))
		}
	}
	for _, file := range files {
		for _, fr := range readFrames(t, file) {
			if raw, ok := eapFromFrame(t, fr); ok {
				out = append(out, raw)
			}
		}
	}
	return out
}

func corpusDirOrEmpty() string {
	for _, d := range []string{"../../../shared/corpus", "/work/shared/corpus"} {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}

// FuzzDecode: any bytes through the packet decoder and every method parser;
// what decodes cleanly must marshal back to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, s := range seedPackets(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Packet
		err := p.DecodeFromBytes(b)
		if err != nil {
			if dissect.KindOf(err) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if got := p.Marshal(); !bytes.Equal(got, p.Raw) {
			t.Fatalf("Marshal %x, decoded %x", got, p.Raw)
		}
		_ = p.MethodName()
		v, err := ParseMethod(&p)
		if err != nil && dissect.KindOf(err) == 0 {
			t.Fatalf("untyped method error %v", err)
		}
		if err != nil {
			return
		}
		var rebuilt []byte
		switch m := v.(type) {
		case TLSFragment:
			rebuilt = m.Marshal()
			var r Reassembler
			r.Add(p.Identifier, m)
		case Nak:
			rebuilt = m.Marshal()
		case MSCHAPv2:
			if m.MSLength == uint16(len(p.Data)) || m.OpCodeOnly {
				rebuilt = m.Marshal()
			} else {
				rebuilt = p.Data
			}
		case SIMAKA:
			rebuilt = m.Marshal()
		case GTC:
			rebuilt = m.Marshal()
		default:
			rebuilt = p.Data
		}
		if !bytes.Equal(rebuilt, p.Data) {
			t.Fatalf("%s data rebuilt %x, decoded %x", p.Type, rebuilt, p.Data)
		}
	})
}

// FuzzReassemble: a byte string read as a sequence of fragments
// (identifier, flags, 2-byte TLS Message Length, 1-byte size, data) must
// never panic or exceed the cap; and the same bytes fragmented by
// FragmentTLS must join back exactly.
func FuzzReassemble(f *testing.F) {
	for _, s := range seedPackets(f) {
		f.Add(s)
	}
	f.Add([]byte{1, 0xc0, 0x01, 0x00, 4, 1, 2, 3, 4, 2, 0x40, 0, 0, 2, 5, 6, 2, 0x00, 0, 0, 1, 7})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := Reassembler{Max: 1 << 10}
		s := b
		for len(s) >= 5 {
			id, flags, mlen, n := s[0], TLSFlags(s[1]), uint32(s[2])<<8|uint32(s[3]), int(s[4])
			s = s[5:]
			if n > len(s) {
				n = len(s)
			}
			frag := TLSFragment{Method: TypeTLS, Flags: flags, HasLength: flags&FlagLength != 0, MessageLength: mlen, Data: s[:n]}
			s = s[n:]
			data, complete, err := r.Add(id, frag)
			if err != nil && dissect.KindOf(err) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			if len(data) > r.Max || r.Pending() > r.Max {
				t.Fatalf("cap %d exceeded: %d joined, %d pending", r.Max, len(data), r.Pending())
			}
			if !complete && data != nil {
				t.Fatal("data without completion")
			}
		}
		if len(b) == 0 {
			return
		}
		size := int(b[0])
		for _, policy := range []LengthPolicy{LengthOnFirst, LengthWhenFragmented, LengthOnEvery} {
			var r Reassembler
			var got [][]byte
			for i, frag := range FragmentTLS(TypePEAP, 0, b, size, policy) {
				p, err := Parse(frag.Packet(CodeRequest, uint8(i)).Marshal())
				if err != nil {
					t.Fatal(err)
				}
				g, err := ParseTLSFragment(p)
				if err != nil {
					t.Fatal(err)
				}
				data, complete, err := r.Add(p.Identifier, g)
				if err != nil {
					t.Fatalf("policy %d size %d: %v", policy, size, err)
				}
				if complete {
					got = append(got, data)
				}
			}
			if len(got) != 1 || !bytes.Equal(got[0], b) {
				t.Fatalf("policy %d size %d: %d messages", policy, size, len(got))
			}
		}
	})
}
