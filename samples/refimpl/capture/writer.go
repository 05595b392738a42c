package capture

import (
	"fmt"
	"hash/fnv"
	"io"
	"net/netip"
	"time"

	"github.com/sessionscope/sscope/dissect/packet"
)

// FrameSpacing is how far the clock moves after each frame, so that frame
// times are strictly increasing even within one flight.
const FrameSpacing = 50 * time.Microsecond

// DefaultMTU is the IPv4 MTU of a new Writer (Ethernet).
const DefaultMTU = 1500

// minMTU is the smallest MTU SetMTU accepts: every IPv4 host must forward a
// 68-byte datagram without fragmenting it further (RFC 791).
const minMTU = 68

// maxMTU is the largest IPv4 datagram.
const maxMTU = 0xffff

// ttl is the TTL (hop limit) of every IPv4 packet written.
const ttl = 64

// Writer collects the frames of one capture and writes them as pcapng at
// Close. Frames are numbered from 1 in the order they are written, as
// Wireshark numbers them. Each frame is stamped with the clock's time, and
// the clock then moves on by FrameSpacing; callers advance the clock
// themselves for the time an endpoint takes to answer.
//
// The first error (an unusable endpoint, a datagram too large for IPv4, data
// on a closed connection) is kept: the call that caused it writes nothing,
// later calls still work, and Close returns the error without writing.
type Writer struct {
	clock   *Clock
	mtu     int
	frames  []frame
	secrets []byte
	ipID    map[netip.Addr]uint16
	err     error
}

// frame is one captured frame and the comments attached to it.
type frame struct {
	time     time.Time
	data     []byte
	comments []string
}

// NewWriter returns an empty capture stamped by clock.
func NewWriter(clock *Clock) *Writer {
	return &Writer{clock: clock, mtu: DefaultMTU, ipID: make(map[netip.Addr]uint16)}
}

// SetMTU sets the largest IPv4 datagram (header included) written without
// fragmenting, clamped to 68..65535. It applies to datagrams written
// afterwards and to TCP connections dialled afterwards.
func (w *Writer) SetMTU(n int) { w.mtu = min(max(n, minMTU), maxMTU) }

// NextFrame is the number the next frame written will get.
func (w *Writer) NextFrame() int { return len(w.frames) + 1 }

// Frames is how many frames were written.
func (w *Writer) Frames() int { return len(w.frames) }

// Err is the first error met so far, or nil.
func (w *Writer) Err() error { return w.err }

// AddComment attaches a comment (pcapng opt_comment) to frame n; a frame
// may have several. A frame number not written yet, or a comment longer
// than 65535 bytes, is an error.
func (w *Writer) AddComment(n int, text string) {
	if n < 1 || n > len(w.frames) {
		w.fail(fmt.Errorf("capture: comment on frame %d, which does not exist (%d frames)", n, len(w.frames)))
		return
	}
	if len(text) > maxOptionLen {
		w.fail(fmt.Errorf("capture: comment of %d bytes on frame %d (max %d)", len(text), n, maxOptionLen))
		return
	}
	w.frames[n-1].comments = append(w.frames[n-1].comments, text)
}

// AddSecrets appends an NSS key log (see KeyLog) to the capture's
// Decryption Secrets Block. Several calls give one block with their lines in
// order.
func (w *Writer) AddSecrets(nssKeyLog []byte) {
	if len(nssKeyLog) == 0 {
		return
	}
	if n := len(w.secrets); n > 0 && w.secrets[n-1] != '\n' {
		w.secrets = append(w.secrets, '\n')
	}
	w.secrets = append(w.secrets, nssKeyLog...)
}

// Close writes the capture to out: the section header, the interface, the
// Decryption Secrets Block when secrets were added, and the frames. It
// writes nothing when an error was met before.
func (w *Writer) Close(out io.Writer) error {
	if w.err != nil {
		return w.err
	}
	_, err := out.Write(w.pcapng())
	return err
}

func (w *Writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// add appends one frame at the clock's time and moves the clock on; it
// returns the frame's number.
func (w *Writer) add(data []byte) int {
	w.frames = append(w.frames, frame{time: w.clock.Now(), data: data})
	w.clock.Advance(FrameSpacing)
	return len(w.frames)
}

// marshal builds f and adds it as a frame.
func (w *Writer) marshal(f *packet.Frame) (int, error) {
	b, err := f.Marshal()
	if err != nil {
		return 0, err
	}
	return w.add(b), nil
}

// ipv4 returns an Ethernet/IPv4 frame from src to dst carrying proto, with
// the source host's next IP identification.
func (w *Writer) ipv4(src, dst *Host, proto uint8) packet.Frame {
	return packet.Frame{
		Link:      packet.LinkEthernet,
		SrcMAC:    src.mac(),
		DstMAC:    dst.mac(),
		IPVersion: 4,
		Src:       src.IP,
		Dst:       dst.IP,
		Proto:     proto,
		TTL:       ttl,
		IPID:      uint32(w.nextIPID(src.IP)),
	}
}

// nextIPID gives each source address its own identification counter,
// starting from a value derived from the address.
func (w *Writer) nextIPID(a netip.Addr) uint16 {
	id, ok := w.ipID[a]
	if !ok {
		h := fnv.New32a()
		b := a.As4()
		h.Write(b[:])
		id = uint16(h.Sum32())
	}
	w.ipID[a] = id + 1
	return id
}
