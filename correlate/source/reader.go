package source

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/dissect/packet"
)

// readBufferSize is the read-ahead buffer. pcapgo reuses a *bufio.Reader of
// at least 4 KiB as is, so this size is what the file is read in.
const readBufferSize = 1 << 20

// Formats of an input.
const (
	FormatPcap   = "pcap"
	FormatPcapng = "pcapng"
)

// Packet is one captured frame. Data is only valid until the next call to
// Next.
type Packet struct {
	Data          []byte
	Timestamp     time.Time
	CaptureLength int
	Length        int
	Link          packet.LinkType
	// Frame is the 1-based frame number within the input, as Wireshark
	// numbers frames.
	Frame uint64
}

// Reader delivers the packets of one input.
type Reader struct {
	path     string
	format   string
	gzipped  bool
	closer   io.Closer
	raw      *countingReader
	counter  *countingReader
	buf      *bufio.Reader
	pcap     *pcapgo.Reader
	ng       *pcapgo.NgReader
	frames   uint64
	bytes    uint64
	links    []packet.LinkType
	err      error
	pcapLink packet.LinkType
	secrets  *secretsScanner // Decryption Secrets Blocks seen go by
}

// Open opens a capture file; "-" reads standard input.
func Open(path string) (*Reader, error) {
	if path == "-" {
		return NewReader("-", os.Stdin, nil)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &InputError{Path: path, Reason: ReasonUnreadable, Detail: cleanOSError(err)}
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, &InputError{Path: path, Reason: ReasonUnreadable, Detail: "is a directory, not a capture file"}
	}
	r, err := NewReader(path, f, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// NewReader reads a capture from r; name is used in messages; closer (may be
// nil) is closed by Close.
func NewReader(name string, r io.Reader, closer io.Closer) (*Reader, error) {
	rd := &Reader{path: name, closer: closer}
	rd.raw = &countingReader{r: r}
	rd.counter = rd.raw
	rd.secrets = newSecretsScanner(rd.counter)
	rd.buf = bufio.NewReaderSize(rd.secrets, readBufferSize)
	magic, err := rd.buf.Peek(4)
	if len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, zerr := gzip.NewReader(rd.buf)
		if zerr != nil {
			return nil, &InputError{Path: name, Reason: ReasonNotCapture, Detail: "gzip data that does not decompress: " + zerr.Error()}
		}
		rd.gzipped = true
		rd.counter = &countingReader{r: zr}
		rd.secrets = newSecretsScanner(rd.counter)
		rd.buf = bufio.NewReaderSize(rd.secrets, readBufferSize)
		magic, err = rd.buf.Peek(4)
	}
	if len(magic) == 0 {
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, &InputError{Path: name, Reason: ReasonUnreadable, Detail: cleanOSError(err)}
		}
		return nil, &InputError{Path: name, Reason: ReasonEmpty, Detail: "empty file (0 bytes), not a capture"}
	}
	if len(magic) < 4 {
		return nil, &InputError{Path: name, Reason: ReasonNotCapture, Detail: fmt.Sprintf("only %d bytes, too short to be a capture file", len(magic))}
	}
	switch binary.LittleEndian.Uint32(magic) {
	case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1:
		rd.format = FormatPcap
		pr, perr := pcapgo.NewReader(rd.buf)
		if perr != nil {
			return nil, rd.headerError(perr)
		}
		rd.pcap = pr
		rd.pcapLink = packet.LinkType(pr.LinkType())
		rd.addLink(rd.pcapLink)
	case 0x0a0d0d0a:
		rd.format = FormatPcapng
		nr, nerr := pcapgo.NewNgReader(rd.buf, pcapgo.NgReaderOptions{WantMixedLinkType: true, SkipUnknownVersion: true})
		if nerr != nil {
			return nil, rd.headerError(nerr)
		}
		rd.ng = nr
	default:
		return nil, &InputError{Path: name, Reason: ReasonNotCapture, Detail: "not a pcap or pcapng capture (starts with " + describeMagic(magic) + ")"}
	}
	return rd, nil
}

func (r *Reader) headerError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &InputError{Path: r.path, Reason: ReasonBadHeader, Detail: "the " + r.format + " file header is cut short"}
	}
	return &InputError{Path: r.path, Reason: ReasonBadHeader, Detail: "bad " + r.format + " file header: " + err.Error()}
}

// Next reads the next packet into p. It returns io.EOF at a clean end of the
// input and an *InputError when the input is damaged; either way no more
// packets follow.
func (r *Reader) Next(p *Packet) error {
	if r.err != nil {
		return r.err
	}
	var (
		data []byte
		ci   gopacket.CaptureInfo
		err  error
	)
	if r.pcap != nil {
		data, ci, err = r.pcap.ZeroCopyReadPacketData()
		p.Link = r.pcapLink
	} else {
		data, ci, err = r.ng.ZeroCopyReadPacketData()
		if err == nil {
			p.Link = ngLinkType(ci)
			r.addLink(p.Link)
		}
	}
	if err != nil {
		r.err = r.readError(err)
		return r.err
	}
	r.frames++
	r.bytes += uint64(len(data))
	p.Data = data
	p.Timestamp = ci.Timestamp
	p.CaptureLength = ci.CaptureLength
	p.Length = ci.Length
	p.Frame = r.frames
	return nil
}

func ngLinkType(ci gopacket.CaptureInfo) packet.LinkType {
	if len(ci.AncillaryData) > 0 {
		if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
			return packet.LinkType(lt)
		}
	}
	return packet.LinkEthernet
}

func (r *Reader) readError(err error) error {
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	ie := &InputError{Path: r.path, Packets: r.frames, Offset: r.Position()}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		ie.Reason = ReasonTruncated
		ie.Detail = "truncated: the file ends in the middle of a record"
	} else {
		ie.Reason = ReasonDamaged
		ie.Detail = "damaged record (" + strings.TrimSpace(err.Error()) + "), reading stopped"
	}
	return ie
}

func (r *Reader) addLink(l packet.LinkType) {
	for _, x := range r.links {
		if x == l {
			return
		}
	}
	r.links = append(r.links, l)
}

// Path is the input's name as given.
func (r *Reader) Path() string { return r.path }

// Format is "pcap" or "pcapng".
func (r *Reader) Format() string { return r.format }

// Gzipped reports whether the input was gzip-compressed.
func (r *Reader) Gzipped() bool { return r.gzipped }

// LinkTypes lists the link types seen so far, in order of appearance.
func (r *Reader) LinkTypes() []packet.LinkType { return r.links }

// Packets is how many packets were delivered.
func (r *Reader) Packets() uint64 { return r.frames }

// Bytes is the sum of the captured lengths of the packets delivered.
func (r *Reader) Bytes() uint64 { return r.bytes }

// Position is the byte offset of the next unread byte of the (decompressed)
// stream.
func (r *Reader) Position() int64 {
	return r.counter.n - int64(r.buf.Buffered())
}

// Consumed is how many bytes of the underlying file were read so far
// (compressed bytes for gzip inputs); for progress reports against the
// file's size.
func (r *Reader) Consumed() int64 { return r.raw.n }

// Close closes the underlying file.
func (r *Reader) Close() error {
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func describeMagic(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	printable := true
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			printable = false
		}
	}
	if printable {
		fmt.Fprintf(&sb, " %q", string(b))
	}
	return sb.String()
}

func cleanOSError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
