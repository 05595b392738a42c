package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/dissect/packet"
)

// decodeFile reads a written capture with pcapgo and decodes every frame
// with dissect/packet.
func decodeFile(t testing.TB, file []byte) []packet.Frame {
	t.Helper()
	r, err := pcapgo.NewNgReader(bytes.NewReader(file), pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	d := packet.NewDecoder()
	var out []packet.Frame
	for {
		data, _, err := r.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		var f packet.Frame
		if err := d.Decode(packet.LinkEthernet, data, &f); err != nil {
			t.Fatalf("frame %d: %v", len(out)+1, err)
		}
		out = append(out, f)
	}
}

// internetChecksum is RFC 1071's checksum, here apart from dissect/packet's.
func internetChecksum(parts ...[]byte) uint16 {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	if len(b)%2 == 1 {
		b = append(b, 0)
	}
	var s uint32
	for i := 0; i < len(b); i += 2 {
		s += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// reassembleUDP joins the fragments of one datagram in order and checks
// RFC 791's rules on the way; it returns the UDP header and payload.
func reassembleUDP(t testing.TB, frags []packet.Frame, mtu int) []byte {
	t.Helper()
	var data []byte
	for i, f := range frags {
		if f.IPID != frags[0].IPID || f.Proto != packet.ProtoUDP {
			t.Fatalf("fragment %d: ID %#x proto %d, first ID %#x", i, f.IPID, f.Proto, frags[0].IPID)
		}
		if int(f.FragOffset) != len(data) || f.FragOffset%8 != 0 {
			t.Fatalf("fragment %d at offset %d after %d bytes", i, f.FragOffset, len(data))
		}
		if last := i == len(frags)-1; f.MoreFragments == last {
			t.Fatalf("fragment %d of %d: MF=%v", i, len(frags), f.MoreFragments)
		}
		if 20+len(f.IPPayload) > mtu {
			t.Fatalf("fragment %d: %d-byte datagram over MTU %d", i, 20+len(f.IPPayload), mtu)
		}
		data = append(data, f.IPPayload...)
	}
	return data
}

func TestFragmentation(t *testing.T) {
	for _, c := range []struct{ mtu, size, frames int }{
		{1500, 1472, 1}, // exactly the MTU
		{1500, 1473, 2}, // one byte over: 1480 + 1
		{1500, 4000, 3}, // 1480 + 1480 + 1048
		{576, 1000, 2},  // 552 + 456
		{68, 100, 3},    // 48-byte pieces
		{1001, 3000, 4}, // 976-byte pieces: the MTU is not a multiple of 8
		{1500, maxUDPPayload, 45},
		{1500, 0, 1},
	} {
		t.Run(fmt.Sprintf("mtu%d_%d", c.mtu, c.size), func(t *testing.T) {
			w := NewWriter(NewClock(epoch))
			w.SetMTU(c.mtu)
			w.UDP(Endpoint{client, 1000}, Endpoint{server, 2000}, []byte("before"))
			payload := payloadOf(c.size, byte(c.mtu))
			first := w.UDP(Endpoint{client, 1000}, Endpoint{server, 2000}, payload)
			var out bytes.Buffer
			if err := w.Close(&out); err != nil {
				t.Fatal(err)
			}
			if first != 2 || w.Frames() != 1+c.frames {
				t.Fatalf("first frame %d, %d frames; want 2 and %d", first, w.Frames(), 1+c.frames)
			}
			frames := decodeFile(t, out.Bytes())
			if frames[0].IPID+1 != frames[1].IPID {
				t.Errorf("IP IDs %#x then %#x, want consecutive", frames[0].IPID, frames[1].IPID)
			}
			var udp []byte
			if c.frames == 1 {
				if frames[1].Fragment {
					t.Fatal("a datagram within the MTU was fragmented")
				}
				udp = frames[1].IPPayload
			} else {
				udp = reassembleUDP(t, frames[1:], c.mtu)
			}
			if len(udp) != 8+c.size || !bytes.Equal(udp[8:], payload) {
				t.Fatalf("reassembled %d bytes, want %d", len(udp), 8+c.size)
			}
			if binary.BigEndian.Uint16(udp) != 1000 || binary.BigEndian.Uint16(udp[2:]) != 2000 || int(binary.BigEndian.Uint16(udp[4:])) != len(udp) {
				t.Errorf("UDP header % x", udp[:8])
			}
			src, dst := client.IP.As4(), server.IP.As4()
			pseudo := append(append(src[:], dst[:]...), 0, packet.ProtoUDP, byte(len(udp)>>8), byte(len(udp)))
			if sum := internetChecksum(pseudo, udp); sum != 0 {
				t.Errorf("UDP checksum does not verify (%#04x)", sum)
			}
		})
	}
}

// tcpCheck follows one connection's segments in both directions.
type tcpCheck struct {
	isn, next [2]uint32 // by direction: 0 client to server, 1 server to client
	data      [2][]byte
	pushes    [2]int
	unacked   [2]int // data segments since the peer's last ACK
}

func TestTCPSegments(t *testing.T) {
	s := buildSample(t)
	frames := decodeFile(t, s.file)
	var c tcpCheck
	seenSYN := [2]bool{}
	fins := 0
	for i, f := range frames {
		if f.Proto != packet.ProtoTCP {
			continue
		}
		n := i + 1
		dir := 0
		if f.SrcPort == 443 {
			dir = 1
		}
		h := f.TCP
		if h.Flags&packet.TCPFlagSYN != 0 {
			if seenSYN[dir] || len(h.Raw) != 24 || !bytes.Equal(h.Raw[20:], []byte{2, 4, 0x05, 0xb4}) {
				t.Fatalf("frame %d: SYN again or without MSS 1460: % x", n, h.Raw[20:])
			}
			seenSYN[dir] = true
			c.isn[dir], c.next[dir] = h.Seq, h.Seq+1
			if dir == 1 && h.Ack != c.next[0] {
				t.Fatalf("frame %d: SYN-ACK acknowledges %d, want %d", n, h.Ack, c.next[0])
			}
			continue
		}
		if h.Seq != c.next[dir] {
			t.Fatalf("frame %d: seq %d, want %d", n, h.Seq, c.next[dir])
		}
		if h.Flags&packet.TCPFlagACK == 0 || h.Ack != c.next[1-dir] {
			t.Fatalf("frame %d: flags %#x ack %d, want ACK of %d", n, h.Flags, h.Ack, c.next[1-dir])
		}
		if h.Window != 65535 {
			t.Errorf("frame %d: window %d", n, h.Window)
		}
		if len(f.Payload) > 1460 {
			t.Fatalf("frame %d: %d bytes over the MSS", n, len(f.Payload))
		}
		if len(f.Payload) > 0 {
			c.unacked[dir]++
			if c.unacked[dir] > 10 {
				t.Fatalf("frame %d: more than ten segments without an ACK", n)
			}
		} else {
			c.unacked[1-dir] = 0
		}
		if h.Flags&packet.TCPFlagPSH != 0 {
			c.pushes[dir]++
		}
		c.data[dir] = append(c.data[dir], f.Payload...)
		c.next[dir] += uint32(len(f.Payload))
		if h.Flags&packet.TCPFlagFIN != 0 {
			c.next[dir]++
			fins++
		}
	}
	if !bytes.Equal(c.data[0], s.tcpToSrv) || !bytes.Equal(c.data[1], s.tcpToCli) {
		t.Fatalf("streams of %d and %d bytes, want %d and %d", len(c.data[0]), len(c.data[1]), len(s.tcpToSrv), len(s.tcpToCli))
	}
	if c.pushes != [2]int{2, 2} {
		t.Errorf("PSH on %v segments, want one per Send: [2 2]", c.pushes)
	}
	if fins != 2 || c.unacked != [2]int{} {
		t.Errorf("%d FINs, unacknowledged segments %v", fins, c.unacked)
	}
	if c.isn[0] == c.isn[1] {
		t.Error("both sides chose the same initial sequence number")
	}
}

func TestTCPFollowsMTU(t *testing.T) {
	w := NewWriter(NewClock(epoch))
	w.SetMTU(576)
	conn := w.DialTCP(Endpoint{client, 5000}, Endpoint{server, 443})
	first := conn.Send(false, payloadOf(1200, 9))
	if first != 4 {
		t.Errorf("first data frame %d, want 4 (after the handshake)", first)
	}
	if got := conn.Send(true, nil); got != w.NextFrame() {
		t.Errorf("empty Send returned %d, want the next frame %d", got, w.NextFrame())
	}
	conn.Reset(true)
	var out bytes.Buffer
	if err := w.Close(&out); err != nil {
		t.Fatal(err)
	}
	frames := decodeFile(t, out.Bytes())
	if !bytes.Equal(frames[0].TCP.Raw[20:], []byte{2, 4, 0x02, 0x18}) {
		t.Errorf("SYN options % x, want MSS 536", frames[0].TCP.Raw[20:])
	}
	var sizes []int
	for _, f := range frames[3:6] {
		sizes = append(sizes, len(f.Payload))
	}
	if fmt.Sprint(sizes) != "[536 536 128]" {
		t.Errorf("segments of %v bytes, want [536 536 128]", sizes)
	}
	if len(frames) != 8 || frames[7].TCP.Flags != packet.TCPFlagRST|packet.TCPFlagACK {
		t.Errorf("%d frames, last flags %#x; want 8 ending in RST|ACK", len(frames), frames[len(frames)-1].TCP.Flags)
	}
}

func TestClock(t *testing.T) {
	c := NewClock(epoch)
	c.Advance(-time.Second)
	c.Advance(0)
	if !c.Now().Equal(epoch) {
		t.Fatalf("clock moved to %v without a positive advance", c.Now())
	}
	c.Advance(time.Second)
	w := NewWriter(c)
	w.UDP(Endpoint{client, 1}, Endpoint{server, 2}, nil)
	if !c.Now().Equal(epoch.Add(time.Second + FrameSpacing)) {
		t.Fatalf("clock at %v after one frame", c.Now())
	}
}

func TestErrors(t *testing.T) {
	bad := []struct {
		name string
		do   func(w *Writer)
	}{
		{"nil host", func(w *Writer) { w.UDP(Endpoint{nil, 1}, Endpoint{server, 2}, nil) }},
		{"short MAC", func(w *Writer) {
			h := *client
			h.MAC = h.MAC[:4]
			w.UDP(Endpoint{&h, 1}, Endpoint{server, 2}, nil)
		}},
		{"IPv6 host", func(w *Writer) {
			h := *server
			h.IP = netip.MustParseAddr("2001:db8::1")
			w.DialTCP(Endpoint{client, 1}, Endpoint{&h, 2}).Send(true, []byte("x"))
		}},
		{"oversized datagram", func(w *Writer) { w.UDP(Endpoint{client, 1}, Endpoint{server, 2}, make([]byte, maxUDPPayload+1)) }},
		{"data after close", func(w *Writer) {
			c := w.DialTCP(Endpoint{client, 1}, Endpoint{server, 2})
			c.Close(false)
			if c.Send(true, []byte("late")) != 0 {
				t.Error("Send after Close returned a frame")
			}
		}},
		{"comment on a missing frame", func(w *Writer) { w.AddComment(w.NextFrame(), "x") }},
		{"comment too long", func(w *Writer) {
			w.AddComment(w.UDP(Endpoint{client, 1}, Endpoint{server, 2}, nil), string(make([]byte, 70000)))
		}},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			w := NewWriter(NewClock(epoch))
			c.do(w)
			var out bytes.Buffer
			if err := w.Close(&out); err == nil || out.Len() != 0 {
				t.Fatalf("Close gave %v after writing %d bytes, want an error and nothing", err, out.Len())
			}
		})
	}
}
