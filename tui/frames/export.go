package frames

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
)

// SessionFrames reads the frames of a session from its capture file, as
// correlate.SessionFrames chooses them (the same frames "sscope export"
// writes). exact is false when a RADIUS session's frames had to be chosen
// by address and port (its timeline was cut at its cap).
func SessionFrames(st *Store, s *report.Session) (frames []Frame, exact bool, err error) {
	path := st.Path(s.Input)
	if path == "" {
		return nil, false, ErrNoFile
	}
	numbers, exact, err := correlate.SessionFrames(path, s)
	if err != nil && len(numbers) == 0 {
		return nil, exact, err
	}
	frames, ferr := st.Frames(s.Input, numbers)
	if err == nil {
		err = ferr
	}
	return frames, exact, err
}

// ErrExists is returned when the output file exists and overwriting was
// not asked for.
var ErrExists = errors.New("file exists")

// Capture formats.
const (
	FormatPcap   = "pcap"
	FormatPcapng = "pcapng"
)

// FormatFor picks the capture format from a file name: pcapng for names
// ending in .pcapng or .ntar, pcap otherwise.
func FormatFor(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pcapng", ".ntar":
		return FormatPcapng
	}
	return FormatPcap
}

// WriteFile writes frames to a new capture file (pcap or pcapng by its
// name). An existing file is an ErrExists error unless overwrite is set.
func WriteFile(path string, frames []Frame, overwrite bool) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if overwrite {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s: %w", path, ErrExists)
		}
		return err
	}
	w := bufio.NewWriter(f)
	err = WriteCapture(w, FormatFor(path), frames)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// WriteCapture writes frames as a pcap (nanosecond timestamps) or pcapng
// capture. A pcap file has one link type: frames of several link types
// need pcapng.
func WriteCapture(w io.Writer, format string, frames []Frame) error {
	if format != FormatPcap && format != FormatPcapng {
		return fmt.Errorf("unknown capture format %q", format)
	}
	pkts := make([]source.Packet, len(frames))
	for i, f := range frames {
		pkts[i] = source.Packet{Data: f.Data, Timestamp: f.Time, CaptureLength: len(f.Data), Length: f.Length, Link: f.Link, Frame: f.Number}
	}
	return source.WritePackets(w, pkts, source.WriteOptions{Pcapng: format == FormatPcapng, Application: "sscope"})
}
