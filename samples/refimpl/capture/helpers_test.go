package capture

import (
	"bytes"
	"net"
	"net/netip"
	"testing"
	"time"
)

var (
	epoch  = time.Date(2024, 3, 1, 9, 30, 0, 123456789, time.UTC)
	client = &Host{Name: "supplicant", MAC: net.HardwareAddr{0x02, 0, 0, 0, 0, 0x0a}, IP: netip.MustParseAddr("192.0.2.10")}
	nas    = &Host{Name: "nas", MAC: net.HardwareAddr{0x02, 0, 0, 0, 0, 0x14}, IP: netip.MustParseAddr("192.0.2.20")}
	server = &Host{Name: "server", MAC: net.HardwareAddr{0x02, 0, 0, 0, 0, 0x1e}, IP: netip.MustParseAddr("198.51.100.30")}
)

// payloadOf returns n bytes of a recognisable pattern.
func payloadOf(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7) + byte(i>>8)
	}
	return b
}

// sample is everything the sample capture sent, to check readers against.
type sample struct {
	file       []byte
	frames     int
	udpSmall   []byte // one frame
	udpLarge   []byte // fragmented
	tcpToSrv   []byte // everything the client sent on the TCP connection
	tcpToCli   []byte
	keylog     []byte
	commented  int // frame with comments
	comments   []string
	largeFirst int // first frame of the fragmented datagram
}

// buildSample writes a capture with a RADIUS-like UDP exchange (one
// datagram fragmented), and a TCP connection with data both ways, several
// flights and a close, plus secrets and comments.
func buildSample(t testing.TB) sample {
	t.Helper()
	var s sample
	w := NewWriter(NewClock(epoch))
	radC, radS := Endpoint{nas, 50000}, Endpoint{server, 1812}
	s.udpSmall = payloadOf(300, 1)
	w.UDP(radC, radS, s.udpSmall)
	s.udpLarge = payloadOf(4000, 2)
	s.largeFirst = w.UDP(radS, radC, s.udpLarge)

	conn := w.DialTCP(Endpoint{client, 41000}, Endpoint{server, 443})
	hello := payloadOf(517, 3)
	s.commented = conn.Send(true, hello)
	s.comments = []string{"scenario T1: ClientHello", "second comment, odd length"}
	for _, c := range s.comments {
		w.AddComment(s.commented, c)
	}
	flight := payloadOf(5000, 4)
	conn.Send(false, flight)
	big := payloadOf(30000, 5) // three flights
	conn.Send(true, big)
	conn.Send(false, []byte("ok"))
	conn.Close(true)
	s.tcpToSrv = append(append([]byte{}, hello...), big...)
	s.tcpToCli = append(append([]byte{}, flight...), "ok"...)

	var kl KeyLog
	kl.Add(bytes.Repeat([]byte{0xab}, 32), bytes.Repeat([]byte{0xcd}, 48))
	kl.Add(bytes.Repeat([]byte{0x01}, 32), bytes.Repeat([]byte{0x02}, 48))
	s.keylog = kl.Bytes()
	w.AddSecrets(s.keylog)

	var out bytes.Buffer
	if err := w.Close(&out); err != nil {
		t.Fatal(err)
	}
	s.file = out.Bytes()
	s.frames = w.Frames()
	return s
}
