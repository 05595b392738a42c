package live

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

// WriterOptions configure a PcapngWriter.
type WriterOptions struct {
	// Path is the file to write. With rotation, files are named as
	// dumpcap names its ring buffer: NAME_00001_20060102150405.pcapng
	// (number, then the time of the file's first packet).
	Path string
	// RotateSize starts a new file once the current one holds this many
	// bytes (0: never).
	RotateSize int64
	// RotateTime starts a new file once the current one spans this much
	// capture time (0: never).
	RotateTime time.Duration
	// Interface, Filter and Link describe the capture in each file's
	// interface block.
	Interface string
	Filter    string
	Link      packet.LinkType
	// Application is written in each file's section header.
	Application string
}

// PcapngWriter writes captured packets to pcapng files, rotating them by
// size or time.
type PcapngWriter struct {
	opt     WriterOptions
	file    *os.File
	ng      *pcapgo.NgWriter
	size    int64
	first   time.Time
	seq     int
	files   []string
	packets uint64
}

// sectionBytes approximates the section and interface blocks' size.
const sectionBytes = 256

// NewPcapngWriter creates the first file (so that a path that cannot be
// written fails before the capture starts).
func NewPcapngWriter(o WriterOptions) (*PcapngWriter, error) {
	w := &PcapngWriter{opt: o}
	if err := w.open(time.Now()); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *PcapngWriter) name(at time.Time) string {
	if w.opt.RotateSize <= 0 && w.opt.RotateTime <= 0 {
		return w.opt.Path
	}
	ext := filepath.Ext(w.opt.Path)
	base := strings.TrimSuffix(w.opt.Path, ext)
	if ext == "" {
		ext = ".pcapng"
	}
	return fmt.Sprintf("%s_%05d_%s%s", base, w.seq, at.Local().Format("20060102150405"), ext)
}

func (w *PcapngWriter) open(at time.Time) error {
	w.seq++
	path := w.name(at)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	intf := pcapgo.NgInterface{
		Name:                w.opt.Interface,
		Filter:              w.opt.Filter,
		OS:                  "Linux",
		LinkType:            layers.LinkType(w.opt.Link),
		TimestampResolution: 9,
		SnapLength:          0,
	}
	ng, err := pcapgo.NewNgWriterInterface(f, intf, pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{
		Application: w.opt.Application,
		OS:          "Linux",
	}})
	if err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	w.file, w.ng, w.size, w.first = f, ng, sectionBytes, time.Time{}
	w.files = append(w.files, path)
	return nil
}

// WritePacket appends one packet, first starting a new file when the
// current one is full or old enough.
func (w *PcapngWriter) WritePacket(p *source.Packet) error {
	rec := int64(32 + (len(p.Data)+3)&^3)
	if w.packets > 0 && (w.opt.RotateSize > 0 && w.size+rec > w.opt.RotateSize ||
		w.opt.RotateTime > 0 && !w.first.IsZero() && p.Timestamp.Sub(w.first) >= w.opt.RotateTime) {
		if err := w.finish(nil); err != nil {
			return err
		}
		if err := w.open(p.Timestamp); err != nil {
			return err
		}
		w.packets = 0
	}
	length := p.Length
	if length < len(p.Data) {
		length = len(p.Data)
	}
	ci := gopacket.CaptureInfo{Timestamp: p.Timestamp, CaptureLength: len(p.Data), Length: length}
	if err := w.ng.WritePacket(ci, p.Data); err != nil {
		return err
	}
	if w.first.IsZero() {
		w.first = p.Timestamp
	}
	w.size += rec
	w.packets++
	return nil
}

// finish ends the current file, with an interface statistics block when
// stats is given.
func (w *PcapngWriter) finish(stats *pcapgo.NgInterfaceStatistics) error {
	if w.ng == nil {
		return nil
	}
	var err error
	if stats != nil {
		err = w.ng.WriteInterfaceStats(0, *stats)
	}
	if ferr := w.ng.Flush(); err == nil {
		err = ferr
	}
	if cerr := w.file.Close(); err == nil {
		err = cerr
	}
	w.ng, w.file = nil, nil
	return err
}

// Close ends the last file. When stats is not nil, the file ends with an
// interface statistics block: the capture's start and end, packets the
// kernel received and dropped.
func (w *PcapngWriter) Close(stats *pcapgo.NgInterfaceStatistics) error {
	return w.finish(stats)
}

// Files lists the files written, in order.
func (w *PcapngWriter) Files() []string { return w.files }
