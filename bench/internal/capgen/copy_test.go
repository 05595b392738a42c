package capgen

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// innermost returns the last network and transport layers of a packet
// (the mirrored ones for ERSPAN).
func innermost(pkt gopacket.Packet) (net gopacket.NetworkLayer, tr gopacket.Layer) {
	for _, l := range pkt.Layers() {
		switch l := l.(type) {
		case *layers.IPv4, *layers.IPv6:
			net = l.(gopacket.NetworkLayer)
		case *layers.TCP, *layers.UDP:
			tr = l
		}
	}
	return net, tr
}

// templatePorts reads the original ports of a template frame.
func templatePorts(f *Frame) (uint16, uint16) {
	l4 := f.Packet[f.L4:]
	return binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:])
}

// Copies of every corpus template, in every encapsulation, must decode
// with gopacket with valid checksums, carry the copy's addresses and
// ports, keep the template's relative timing and TCP payload, and give each
// copy its own client address and RADIUS identifiers.
func TestCopyRewritesCorpusTemplates(t *testing.T) {
	encaps := []Encap{{}, {Kind: EncapVLAN, VLAN: 20}, {Kind: EncapERSPAN, Session: 1, VLAN: 10}, {Kind: EncapQinQ, OuterVLAN: 1001, VLAN: 30}}
	m := NewMirror()
	buf := make([]byte, BufferSize)
	for ti, rel := range corpusTemplates {
		tpl := loadCorpus(t, rel, LoadOptions{MaxGap: 10 * time.Second})
		tpl.ID = ti + 1
		var cp Copier
		clients := map[netip.Addr]uint32{}
		for k, enc := range encaps {
			start := time.Date(2025, 3, 3, 9, 0, k, 0, time.UTC).UnixNano()
			c := cp.New(tpl, start, enc, nil)
			clientPorts := map[uint16]uint16{}
			for j := range tpl.Frames {
				f := &tpl.Frames[j]
				frame, ts := c.Next(buf, m)
				if ts != start+f.Offset {
					t.Fatalf("%s copy %d frame %d: time %d, want %d", rel, k, j, ts, start+f.Offset)
				}
				pkt := gopacket.NewPacket(append([]byte(nil), frame...), layers.LinkTypeEthernet, gopacket.Default)
				checkChecksums(t, pkt)
				net, tr := innermost(pkt)
				if net == nil || tr == nil {
					t.Fatalf("%s copy %d frame %d: no IP/transport layer: %v", rel, k, j, pkt)
				}
				src, dst := net.NetworkFlow().Endpoints()
				if src.String() != c.HostAddr(f.Src).String() || dst.String() != c.HostAddr(f.Dst).String() {
					t.Fatalf("%s copy %d frame %d: %v -> %v, want %v -> %v", rel, k, j, src, dst, c.HostAddr(f.Src), c.HostAddr(f.Dst))
				}
				for _, h := range []int{f.Src, f.Dst} {
					a := c.HostAddr(h)
					if tpl.Hosts[h].ClientSide {
						if !netip.MustParsePrefix("10.64.0.0/10").Contains(a) {
							t.Fatalf("client address %v outside 10.64.0.0/10", a)
						}
						if owner, ok := clients[a]; ok && owner != c.Index {
							t.Fatalf("%s: copies %d and %d share client address %v", rel, owner, c.Index, a)
						}
						clients[a] = c.Index
					} else if a != netip.AddrFrom4([4]byte{10, 250, byte(tpl.ID), byte(tpl.Hosts[h].Index + 1)}) {
						t.Fatalf("server address %v", a)
					}
				}
				osp, odp := templatePorts(f)
				var sp, dp uint16
				var payload []byte
				switch tr := tr.(type) {
				case *layers.TCP:
					sp, dp, payload = uint16(tr.SrcPort), uint16(tr.DstPort), tr.Payload
				case *layers.UDP:
					sp, dp, payload = uint16(tr.SrcPort), uint16(tr.DstPort), tr.Payload
				}
				for _, p := range [][3]uint16{{osp, sp, b2u(f.RemapSrcPort)}, {odp, dp, b2u(f.RemapDstPort)}} {
					orig, got, remap := p[0], p[1], p[2] == 1
					if !remap {
						if got != orig {
							t.Fatalf("%s frame %d: service port %d changed to %d", rel, j, orig, got)
						}
						continue
					}
					if got < 20000 || got >= 60000 || got != c.Port(orig) {
						t.Fatalf("%s frame %d: client port %d -> %d", rel, j, orig, got)
					}
					if prev, ok := clientPorts[orig]; ok && prev != got {
						t.Fatalf("%s frame %d: client port %d mapped to %d and %d", rel, j, orig, prev, got)
					}
					clientPorts[orig] = got
				}
				origPayload := f.Packet[f.L4+8:]
				if f.Proto == 6 {
					origPayload = f.Packet[f.L4+int(f.Packet[f.L4+12]>>4)*4:]
				}
				if !f.RADIUS && !bytes.Equal(payload, origPayload) {
					t.Fatalf("%s frame %d: payload changed", rel, j)
				}
				if f.RADIUS {
					checkRADIUSCopy(t, pkt, origPayload, c.Index)
				}
			}
			if !c.Done() {
				t.Fatalf("%s: copy not done after all frames", rel)
			}
		}
	}
}

func b2u(b bool) uint16 {
	if b {
		return 1
	}
	return 0
}

// checkRADIUSCopy compares a rewritten RADIUS packet with the original.
func checkRADIUSCopy(t *testing.T, pkt gopacket.Packet, orig []byte, copyIndex uint32) {
	t.Helper()
	r, _ := pkt.Layer(layers.LayerTypeRADIUS).(*layers.RADIUS)
	if r == nil {
		t.Fatalf("rewritten RADIUS does not decode with gopacket: %v", pkt)
	}
	if byte(r.Identifier) != orig[1]+byte(copyIndex) {
		t.Fatalf("identifier %d, want %d+%d", r.Identifier, orig[1], copyIndex)
	}
	if int(r.Length) != int(binary.BigEndian.Uint16(orig[2:])) {
		t.Fatalf("length %d or attributes %d changed", r.Length, len(r.Attributes))
	}
	for _, a := range r.Attributes {
		if a.Type == layers.RADIUSAttributeTypeCallingStationId {
			want := fmt.Sprintf("02-00-00-%02X-%02X-%02X", byte(copyIndex>>16), byte(copyIndex>>8), byte(copyIndex))
			if string(a.Value) != want {
				t.Fatalf("Calling-Station-Id %q, want %q", a.Value, want)
			}
		}
	}
}

// radiusPayload returns the UDP payload of a rewritten frame.
func radiusPayload(t *testing.T, frame []byte) []byte {
	t.Helper()
	pkt := gopacket.NewPacket(append([]byte(nil), frame...), layers.LinkTypeEthernet, gopacket.Default)
	u, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
	if u == nil {
		t.Fatalf("no UDP: %v", pkt)
	}
	return u.Payload
}

// RFC 3579 §3.2: HMAC-MD5 over the packet with the Message-Authenticator
// value zeroed and, in a response, the Request Authenticator in the
// authenticator field. Returns false when there is none to check.
func messageAuthenticatorValid(p []byte, reqAuth []byte, secret string) (present, valid bool) {
	q := append([]byte(nil), p...)
	if reqAuth != nil {
		copy(q[4:20], reqAuth)
	}
	for off := 20; off+2 <= len(q) && q[off+1] >= 2; off += int(q[off+1]) {
		if q[off] == 80 && q[off+1] == 18 {
			got := append([]byte(nil), q[off+2:off+18]...)
			clear(q[off+2 : off+18])
			h := hmac.New(md5.New, []byte(secret))
			h.Write(q)
			return true, hmac.Equal(h.Sum(nil), got)
		}
	}
	return false, false
}

// RFC 2865 §3: ResponseAuth = MD5(Code+ID+Length+RequestAuth+Attributes+Secret).
func responseAuthenticatorValid(p, reqAuth []byte, secret string) bool {
	h := md5.New()
	h.Write(p[:4])
	h.Write(reqAuth)
	h.Write(p[20:])
	h.Write([]byte(secret))
	return bytes.Equal(h.Sum(nil), p[4:20])
}

// radius_localhost.pcap was signed with the secret "testing123" (its
// Message-Authenticators and, but for the last, its Response
// Authenticators verify). Rewritten with that secret, every copy's
// packets must verify again.
func TestCopyRecomputesRADIUSAuthenticators(t *testing.T) {
	const secret = "testing123"
	tpl := loadCorpus(t, "zeek/Traces/radius/radius_localhost.pcap", LoadOptions{})
	payload := func(f *Frame) []byte { return f.Packet[f.L4+8:] }
	validResponses, mas, validMAs := 0, 0, []int(nil)
	for i, f := range tpl.Frames {
		p := payload(&f)
		var reqAuth []byte
		if f.Request >= 0 {
			reqAuth = payload(&tpl.Frames[f.Request])[4:20]
			if responseAuthenticatorValid(p, reqAuth, secret) {
				validResponses++
			}
		}
		if present, valid := messageAuthenticatorValid(p, reqAuth, secret); present {
			mas++
			if valid {
				validMAs = append(validMAs, i)
			}
		}
	}
	// The retransmitted requests 15-17 (0-based 14-16) and the last
	// exchange were signed with another secret: the server never answered
	// the former and tshark finds the last Response Authenticator invalid
	// with "testing123".
	if validResponses != 7 || mas != 15 || fmt.Sprint(validMAs) != "[0 1 2 3 4 5 6 7 8 10 12]" {
		t.Fatalf("template: %d valid responses, %d Message-Authenticators, valid at %v", validResponses, mas, validMAs)
	}

	var cp Copier
	buf := make([]byte, BufferSize)
	for k := range 3 {
		c := cp.New(tpl, 0, Encap{}, []byte(secret))
		got := make([][]byte, len(tpl.Frames))
		for j := range tpl.Frames {
			frame, _ := c.Next(buf, nil)
			got[j] = radiusPayload(t, frame)
			f := &tpl.Frames[j]
			var reqAuth []byte
			if f.Request >= 0 {
				reqAuth = got[f.Request][4:20]
				if !responseAuthenticatorValid(got[j], reqAuth, secret) {
					t.Errorf("copy %d frame %d: Response Authenticator invalid", k, j)
				}
			}
			if present, valid := messageAuthenticatorValid(got[j], reqAuth, secret); present && !valid {
				t.Errorf("copy %d frame %d: Message-Authenticator invalid", k, j)
			}
		}
	}
}

// RFC 2865 §7.1: the Access-Accept answering the Access-Request with
// authenticator 0f403f94... under secret "xyzzy5461" has the Response
// Authenticator 86fe220e7624ba2a1005f6bf9b55e0b2.
func TestSignRADIUSRFC2865Example(t *testing.T) {
	accept := []byte{0x02, 0x00, 0x00, 0x26, 0x86, 0xfe, 0x22, 0x0e, 0x76, 0x24, 0xba, 0x2a, 0x10, 0x05, 0xf6, 0xbf,
		0x9b, 0x55, 0xe0, 0xb2, 0x06, 0x06, 0x00, 0x00, 0x00, 0x01, 0x0f, 0x06, 0x00, 0x00, 0x00, 0x00,
		0x0e, 0x06, 0xc0, 0xa8, 0x01, 0x03}
	reqAuth := [16]byte{0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57, 0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a}
	want := append([]byte(nil), accept[4:20]...)
	p := append([]byte(nil), accept...)
	clear(p[4:20])
	signRADIUS(p, -1, []byte("xyzzy5461"), &reqAuth)
	if !bytes.Equal(p[4:20], want) {
		t.Fatalf("Response Authenticator %x, want %x", p[4:20], want)
	}
	// Without the request's authenticator a response cannot be signed and
	// is left alone.
	q := append([]byte(nil), accept...)
	signRADIUS(q, -1, []byte("xyzzy5461"), nil)
	if !bytes.Equal(q, accept) {
		t.Fatal("response changed without a request authenticator")
	}
}

func TestStamps(t *testing.T) {
	for _, c := range []struct {
		fn      func([]byte, uint32)
		in, out string
		copy    uint32
	}{
		{stampCallingStation, "00-14-22-E9-54-5E", "02-00-00-12-34-56", 0x123456},
		{stampCallingStation, "00:14:22:e9:54:5e", "02:00:00:ab:cd:ef", 0xabcdef},
		{stampCallingStation, "001422E9545E", "020000000007", 7},
		{stampCallingStation, "0014.22e9.545e", "0200.0000.0102", 0x102},
		{stampCallingStation, "+15551234567", "+15550000042", 42},
		{stampText, "0000001A", "00000ABC", 0xabc},
		{stampText, "5f3a9c01", "5f00000f", 15},
		{stampText, "", "", 9},
		{stampBinary, "\x01\x02\x03\x04", "\x01\x02\x03\x03", 6},
		{stampBinary, "\xff", "\xfe", 0},
	} {
		b := []byte(c.in)
		c.fn(b, c.copy)
		if string(b) != c.out {
			t.Errorf("stamp(%q, %#x) = %q, want %q", c.in, c.copy, b, c.out)
		}
	}
	// Cisco-AVPair audit-session-id inside a Vendor-Specific value.
	av := "audit-session-id=0A0000010000001B2C3D4E5F"
	v := append([]byte{0, 0, 0, 9, 1, byte(2 + len(av))}, av...)
	stampCiscoAudit(v, 0x42)
	if got := string(v[6:]); got != "audit-session-id=0A0000010000001B2C000042" {
		t.Errorf("audit-session-id stamped to %q", got)
	}
}

// Copy.Next is the generators' hot path: it must not allocate.
func TestCopyNextDoesNotAllocate(t *testing.T) {
	for _, rel := range corpusTemplates {
		tpl := loadCorpus(t, rel, LoadOptions{})
		c := &Copy{T: tpl, Encap: Encap{Kind: EncapERSPAN}}
		buf, m := make([]byte, BufferSize), NewMirror()
		allocs := testing.AllocsPerRun(200, func() {
			if c.Done() {
				c.next = 0
			}
			c.Next(buf, m)
		})
		if allocs != 0 {
			t.Errorf("%s: Copy.Next allocates %.1f times per frame", rel, allocs)
		}
	}
}

func BenchmarkCopyNext(b *testing.B) {
	for _, rel := range corpusTemplates[1:3] {
		tpl := loadCorpus(b, rel, LoadOptions{})
		b.Run(rel, func(b *testing.B) {
			c := &Copy{T: tpl, Encap: Encap{Kind: EncapVLAN, VLAN: 10}}
			buf, m := make([]byte, BufferSize), NewMirror()
			var n int64
			for b.Loop() {
				if c.Done() {
					c.next = 0
					c.Index++
				}
				f, _ := c.Next(buf, m)
				n += int64(len(f))
			}
			b.SetBytes(n / int64(b.N))
		})
	}
}
