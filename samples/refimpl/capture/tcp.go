package capture

import (
	"encoding/binary"
	"errors"
	"hash/fnv"

	"github.com/sessionscope/sscope/dissect/packet"
)

const (
	tcpHeaderLen = 20
	// tcpWindow is the receive window both ends advertise (no scaling).
	tcpWindow = 65535
	// flightSegments is how many segments a side sends before the peer's
	// ACK is written (RFC 6928's initial window), so the data in flight
	// stays well inside the window.
	flightSegments = 10
)

// TCPConn is one TCP connection between a client and a server endpoint. It
// tracks both sides' sequence numbers; every segment it writes carries the
// right sequence and acknowledgment numbers.
type TCPConn struct {
	w              *Writer
	client, server Endpoint
	mss            int
	next           [2]uint32 // next sequence number to send: [client, server]
	closed         bool
}

// side indexes TCPConn.next.
func side(fromClient bool) int {
	if fromClient {
		return 0
	}
	return 1
}

// DialTCP writes a three-way handshake from client to server (SYN,
// SYN-ACK, ACK, each SYN with an MSS option of MTU-40, 1460 by default) and
// returns the connection. Initial sequence numbers are derived from the two
// endpoints, so the same connection gets the same numbers on every run. On
// error (see Writer) the connection it returns writes nothing.
func (w *Writer) DialTCP(client, server Endpoint) *TCPConn {
	t := &TCPConn{w: w, client: client, server: server, mss: w.mtu - ipv4HeaderLen - tcpHeaderLen}
	if err := w.checkPair(client, server); err != nil {
		w.fail(err)
		t.closed = true
		return t
	}
	t.next[0] = initialSequence(client, server)
	t.next[1] = initialSequence(server, client)
	mss := make([]byte, tcpHeaderLen, tcpHeaderLen+4)
	mss = append(mss, 2, 4) // kind MSS, length 4
	mss = binary.BigEndian.AppendUint16(mss, uint16(t.mss))
	t.segment(true, packet.TCPFlagSYN, mss, nil)
	t.next[0]++
	t.segment(false, packet.TCPFlagSYN|packet.TCPFlagACK, mss, nil)
	t.next[1]++
	t.segment(true, packet.TCPFlagACK, nil, nil)
	return t
}

// initialSequence derives an initial sequence number from the sending and
// receiving endpoints.
func initialSequence(from, to Endpoint) uint32 {
	h := fnv.New32a()
	a, b := from.Host.IP.As4(), to.Host.IP.As4()
	h.Write(a[:])
	h.Write(binary.BigEndian.AppendUint16(nil, from.Port))
	h.Write(b[:])
	h.Write(binary.BigEndian.AppendUint16(nil, to.Port))
	return h.Sum32()
}

// Send writes data from one side as segments of at most the MSS, PSH set on
// the last, and after every flight of up to ten segments the peer's pure
// ACK. It returns the number of the first data frame; empty data writes
// nothing and returns the number the next frame will get. Data after Close
// or Reset is an error (see Writer) and returns 0.
func (t *TCPConn) Send(fromClient bool, data []byte) (firstFrame int) {
	if t.closed {
		t.w.fail(errors.New("capture: TCP data on a closed connection"))
		return 0
	}
	first := t.w.NextFrame()
	inFlight := 0
	for len(data) > 0 {
		n := min(len(data), t.mss)
		flags := packet.TCPFlagACK
		if n == len(data) {
			flags |= packet.TCPFlagPSH
		}
		t.segment(fromClient, flags, nil, data[:n])
		t.next[side(fromClient)] += uint32(n)
		data = data[n:]
		if inFlight++; inFlight == flightSegments || len(data) == 0 {
			t.segment(!fromClient, packet.TCPFlagACK, nil, nil)
			inFlight = 0
		}
	}
	return first
}

// Close writes the orderly release started by one side: its FIN, the
// peer's FIN that also acknowledges it, and the last ACK.
func (t *TCPConn) Close(fromClient bool) {
	if t.closed {
		return
	}
	t.closed = true
	t.segment(fromClient, packet.TCPFlagFIN|packet.TCPFlagACK, nil, nil)
	t.next[side(fromClient)]++
	t.segment(!fromClient, packet.TCPFlagFIN|packet.TCPFlagACK, nil, nil)
	t.next[side(!fromClient)]++
	t.segment(fromClient, packet.TCPFlagACK, nil, nil)
}

// Reset writes an abortive release: one RST|ACK from the given side.
func (t *TCPConn) Reset(fromClient bool) {
	if t.closed {
		return
	}
	t.closed = true
	t.segment(fromClient, packet.TCPFlagRST|packet.TCPFlagACK, nil, nil)
}

// segment writes one segment from a side with the current sequence numbers:
// its own next sequence number, and the peer's as acknowledgment when ACK
// is set. raw, when longer than 20 bytes, carries TCP options after them.
func (t *TCPConn) segment(fromClient bool, flags uint8, raw, payload []byte) int {
	src, dst := t.client, t.server
	if !fromClient {
		src, dst = dst, src
	}
	f := t.w.ipv4(src.Host, dst.Host, packet.ProtoTCP)
	f.HasTransport = true
	f.SrcPort, f.DstPort = src.Port, dst.Port
	f.TCP = packet.TCPHeader{Seq: t.next[side(fromClient)], Flags: flags, Window: tcpWindow, Raw: raw}
	if flags&packet.TCPFlagACK != 0 {
		f.TCP.Ack = t.next[side(!fromClient)]
	}
	f.Payload = payload
	n, err := t.w.marshal(&f)
	if err != nil {
		t.w.fail(err)
	}
	return n
}
