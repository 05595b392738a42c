package frames

import (
	"bytes"
	"container/list"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

// Frame is one captured frame read back from its file.
type Frame struct {
	Input  int
	Number uint64
	Time   time.Time
	Link   packet.LinkType
	// Data is the captured bytes; Length the frame's length on the wire.
	Data   []byte
	Length int
}

// Errors of the store.
var (
	// ErrNoFile: the input has no capture file to read frames from (a
	// live capture that is not written to a file, or standard input).
	ErrNoFile = errors.New("no capture file to read frames from")
	// ErrNoFrame: the file ends before the frame.
	ErrNoFrame = errors.New("no such frame in the capture file")
)

// Cache and resume-point sizes.
const (
	defaultCacheBytes = 32 << 20
	defaultCacheCount = 1 << 16
	// resumeEvery is how many frames lie between resume points.
	resumeEvery = 2048
)

// Store reads frames back from capture files. It is safe for concurrent
// use; reads are serialized.
type Store struct {
	// closing makes a read in progress give up (Close does not wait for
	// the rest of a large file).
	closing atomic.Bool
	mu      sync.Mutex
	inputs  []*input

	lru        *list.List // of *Frame, most recent first
	cached     map[frameKey]*list.Element
	cacheBytes int
	maxBytes   int
	maxCount   int
}

type frameKey struct {
	input  int
	number uint64
}

// input is one capture file: an open reader positioned somewhere, and the
// resume points learned while reading it.
type input struct {
	path string
	r    *source.Reader
	// next is the number of the frame r delivers next; skip how many
	// frames it delivers first that are not next (a pcapng resume replays
	// frame 1); delta turns r's positions into file offsets.
	next  uint64
	skip  int
	delta int64

	// pending is a frame already read (to check a resume point) that
	// read delivers first.
	pending *source.Packet

	// readCount counts frames read from the file (for tests).
	readCount int

	seekable bool
	// prefix is what a resumed reader is given before the bytes at a
	// resume point: the pcap file header, or a pcapng file up to the end
	// of frame 1 (section header, interfaces, one packet).
	prefix []byte
	resume []resumePoint
}

// resumePoint is where a frame starts in the file, with what that frame
// looked like, to check that a reader resumed there reads the same frame.
type resumePoint struct {
	frame  uint64
	offset int64
	time   time.Time
	caplen int
	link   packet.LinkType
}

// NewStore returns a store over capture files, by input index (as in the
// report). An empty path is an input without a file.
func NewStore(paths []string) *Store {
	s := &Store{lru: list.New(), cached: make(map[frameKey]*list.Element), maxBytes: defaultCacheBytes, maxCount: defaultCacheCount}
	for _, p := range paths {
		s.inputs = append(s.inputs, &input{path: p})
	}
	return s
}

// Path returns the file of an input ("" when it has none).
func (s *Store) Path(in int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in < 0 || in >= len(s.inputs) {
		return ""
	}
	return s.inputs[in].path
}

// SetPath sets or changes the file of an input (a live capture's file
// once it exists). Inputs up to in are added as needed.
func (s *Store) SetPath(in int, path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.inputs) <= in {
		s.inputs = append(s.inputs, &input{})
	}
	old := s.inputs[in]
	if old.path == path {
		return
	}
	old.close()
	s.inputs[in] = &input{path: path}
	s.dropInput(in)
}

// ErrClosed is returned by reads after Close.
var ErrClosed = errors.New("frame store closed")

// Close closes the open files; a read in progress stops.
func (s *Store) Close() error {
	s.closing.Store(true)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, in := range s.inputs {
		in.close()
	}
	return nil
}

// Frame returns one frame.
func (s *Store) Frame(in int, number uint64) (Frame, error) {
	fs, err := s.Frames(in, []uint64{number})
	if err != nil {
		return Frame{}, err
	}
	if len(fs) == 0 {
		return Frame{}, fmt.Errorf("frame %d: %w", number, ErrNoFrame)
	}
	return fs[0], nil
}

// Frames returns the frames with the given numbers that the file holds, in
// ascending order, reading the file at most once. Frames are cached.
func (s *Store) Frames(in int, numbers []uint64) ([]Frame, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	want := uniqueSorted(numbers)
	out := make([]Frame, 0, len(want))
	var missing []uint64
	for _, n := range want {
		if el, ok := s.cached[frameKey{in, n}]; ok {
			s.lru.MoveToFront(el)
			out = append(out, *el.Value.(*Frame))
		} else {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		err := s.scan(in, missing[0], missing[len(missing)-1], func(p *source.Packet, number uint64) bool {
			i := sort.Search(len(missing), func(i int) bool { return missing[i] >= number })
			if i < len(missing) && missing[i] == number {
				f := Frame{Input: in, Number: number, Time: p.Timestamp, Link: p.Link, Data: bytes.Clone(p.Data), Length: p.Length}
				s.remember(&f)
				out = append(out, f)
			}
			return true
		})
		sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// Scan calls fn for every frame from first to last (inclusive) in order,
// until fn returns false. The frame's Data is valid only during the call.
// Scanned frames are not cached.
func (s *Store) Scan(in int, first, last uint64, fn func(f *Frame) bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var f Frame
	return s.scan(in, first, last, func(p *source.Packet, number uint64) bool {
		f = Frame{Input: in, Number: number, Time: p.Timestamp, Link: p.Link, Data: p.Data, Length: p.Length}
		return fn(&f)
	})
}

// scan positions the input's reader at or before first and reads on to
// last. It returns an error only when the input could not be read; a file
// that ends before last is not an error.
func (s *Store) scan(in int, first, last uint64, fn func(p *source.Packet, number uint64) bool) error {
	if s.closing.Load() {
		return ErrClosed
	}
	if in < 0 || in >= len(s.inputs) || s.inputs[in].path == "" || s.inputs[in].path == "-" {
		return ErrNoFile
	}
	if first == 0 {
		first = 1
	}
	if last < first {
		return nil
	}
	st := s.inputs[in]
	if err := st.seek(first); err != nil {
		return err
	}
	var p source.Packet
	for st.next <= last {
		if s.closing.Load() {
			return ErrClosed
		}
		number, err := st.read(&p)
		if err != nil {
			st.close()
			if errors.Is(err, io.EOF) {
				return nil
			}
			var ie *source.InputError
			if errors.As(err, &ie) && !ie.Fatal() {
				// A damaged or still growing file: frames before the
				// damage were delivered.
				return nil
			}
			return err
		}
		if number >= first && !fn(&p, number) {
			return nil
		}
	}
	return nil
}

// seek makes r deliver first, or an earlier frame, next.
func (st *input) seek(first uint64) error {
	if st.r != nil && st.next <= first {
		// Reading on is no slower than jumping back to a resume point
		// unless one lies between.
		if rp, ok := st.resumeBefore(first); !ok || rp.frame <= st.next {
			return nil
		}
	}
	st.close()
	if rp, ok := st.resumeBefore(first); ok && st.seekable {
		if err := st.openAt(rp); err == nil {
			return nil
		}
		// The file is not what the resume points describe (it changed,
		// or its structure defeats resuming): read from the start.
		st.seekable = false
		st.resume = nil
	}
	return st.openStart()
}

func (st *input) resumeBefore(frame uint64) (resumePoint, bool) {
	i := sort.Search(len(st.resume), func(i int) bool { return st.resume[i].frame > frame })
	if i == 0 {
		return resumePoint{}, false
	}
	return st.resume[i-1], true
}

func (st *input) openStart() error {
	r, err := source.Open(st.path)
	if err != nil {
		return err
	}
	st.r, st.next, st.skip, st.delta = r, 1, 0, 0
	if st.prefix == nil && !r.Gzipped() {
		st.seekable = true
		if r.Format() == source.FormatPcap {
			// The 24-byte file header is all a resumed pcap reader needs.
			st.prefix = make([]byte, r.Position())
			if err := readAt(st.path, 0, st.prefix); err != nil {
				st.seekable = false
			}
		}
	}
	return nil
}

// openAt opens a reader that delivers rp.frame first, after checking that
// it is the frame the resume point describes.
func (st *input) openAt(rp resumePoint) error {
	f, err := os.Open(st.path)
	if err != nil {
		return err
	}
	rest := io.NewSectionReader(f, rp.offset, 1<<62)
	r, err := source.NewReader(st.path, io.MultiReader(bytes.NewReader(st.prefix), rest), f)
	if err != nil {
		f.Close()
		return err
	}
	st.r, st.next, st.delta, st.skip = r, rp.frame, rp.offset-int64(len(st.prefix)), 0
	if r.Format() == source.FormatPcapng {
		// The prefix replays frame 1.
		st.skip = 1
	}
	var p source.Packet
	for i := 0; i <= st.skip; i++ {
		if err := r.Next(&p); err != nil {
			st.close()
			return err
		}
	}
	st.skip = 0
	if !p.Timestamp.Equal(rp.time) || p.CaptureLength != rp.caplen || p.Link != rp.link {
		st.close()
		return errors.New("resume point does not match the file")
	}
	// p stays valid until the reader's next call: read delivers it first.
	st.pending = &p
	return nil
}

// read delivers the next frame and its number, noting resume points on
// the way.
func (st *input) read(p *source.Packet) (uint64, error) {
	if st.pending != nil {
		*p, st.pending = *st.pending, nil
		st.next++
		return st.next - 1, nil
	}
	for st.skip > 0 {
		if err := st.r.Next(p); err != nil {
			return 0, err
		}
		st.skip--
	}
	number := st.next
	var start int64
	note := st.seekable && (number-1)%resumeEvery == 0 && number > 1
	if note {
		start = st.r.Position() + st.delta
	}
	if err := st.r.Next(p); err != nil {
		return 0, err
	}
	st.readCount++
	st.next++
	if number == 1 && st.seekable && st.r.Format() == source.FormatPcapng && st.prefix == nil {
		st.prefix = make([]byte, st.r.Position())
		if err := readAt(st.path, 0, st.prefix); err != nil {
			st.seekable = false
		}
	}
	if note && (len(st.resume) == 0 || st.resume[len(st.resume)-1].frame < number) {
		st.resume = append(st.resume, resumePoint{frame: number, offset: start, time: p.Timestamp, caplen: p.CaptureLength, link: p.Link})
	}
	return number, nil
}

func (st *input) close() {
	st.pending = nil
	if st.r != nil {
		st.r.Close()
		st.r = nil
	}
}

func readAt(path string, off int64, buf []byte) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.ReadAt(buf, off)
	return err
}

func (s *Store) remember(f *Frame) {
	k := frameKey{f.Input, f.Number}
	if el, ok := s.cached[k]; ok {
		s.lru.MoveToFront(el)
		return
	}
	s.cached[k] = s.lru.PushFront(f)
	s.cacheBytes += len(f.Data)
	for s.lru.Len() > 1 && (s.cacheBytes > s.maxBytes || s.lru.Len() > s.maxCount) {
		old := s.lru.Remove(s.lru.Back()).(*Frame)
		delete(s.cached, frameKey{old.Input, old.Number})
		s.cacheBytes -= len(old.Data)
	}
}

func (s *Store) dropInput(in int) {
	for k, el := range s.cached {
		if k.input == in {
			s.cacheBytes -= len(el.Value.(*Frame).Data)
			s.lru.Remove(el)
			delete(s.cached, k)
		}
	}
}

func uniqueSorted(ns []uint64) []uint64 {
	out := make([]uint64, 0, len(ns))
	for _, n := range ns {
		if n > 0 {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	w := 0
	for i, n := range out {
		if i == 0 || n != out[w-1] {
			out[w] = n
			w++
		}
	}
	return out[:w]
}
