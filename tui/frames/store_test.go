package frames

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

func repoFile(t testing.TB, rel string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", rel)
}

// synthFrame is the content of frame n of a synthetic capture: sizes and
// bytes differ per frame, so a frame read at the wrong place shows.
func synthFrame(n int, salt byte) []byte {
	size := 60 + (n*37+int(salt)*3)%700
	b := make([]byte, size)
	binary.BigEndian.PutUint32(b, uint32(n))
	for i := 4; i < size; i++ {
		b[i] = byte(n*7+i) ^ salt
	}
	return b
}

func synthTime(n int) time.Time {
	return time.Unix(1_700_000_000, 0).Add(time.Duration(n) * 1234567 * time.Nanosecond)
}

// writeSynth writes a capture of count frames in the given format.
func writeSynth(t testing.TB, path, format string, count int, salt byte) {
	t.Helper()
	var buf bytes.Buffer
	ci := func(n int, d []byte) gopacket.CaptureInfo {
		return gopacket.CaptureInfo{Timestamp: synthTime(n), CaptureLength: len(d), Length: len(d) + 4}
	}
	switch format {
	case "pcap", "pcap.gz":
		w := pcapgo.NewWriterNanos(&buf)
		if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
			t.Fatal(err)
		}
		for n := 1; n <= count; n++ {
			d := synthFrame(n, salt)
			if err := w.WritePacket(ci(n, d), d); err != nil {
				t.Fatal(err)
			}
		}
	case "pcapng":
		w, err := pcapgo.NewNgWriter(&buf, layers.LinkTypeEthernet)
		if err != nil {
			t.Fatal(err)
		}
		for n := 1; n <= count; n++ {
			d := synthFrame(n, salt)
			if err := w.WritePacket(ci(n, d), d); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	data := buf.Bytes()
	if format == "pcap.gz" {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(data)
		zw.Close()
		data = z.Bytes()
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func checkFrame(t *testing.T, f Frame, n int, salt byte) {
	t.Helper()
	want := synthFrame(n, salt)
	if f.Number != uint64(n) || !bytes.Equal(f.Data, want) || !f.Time.Equal(synthTime(n)) || f.Length != len(want)+4 {
		t.Fatalf("frame %d: got number %d, %d bytes (first 4: %x), time %v", n, f.Number, len(f.Data), f.Data[:min(4, len(f.Data))], f.Time)
	}
}

// Frames read in any order are the frames at those numbers; jumping back
// in a large file resumes near the frame instead of rereading the file.
func TestStoreRandomAccess(t *testing.T) {
	const count = 10000
	for _, format := range []string{"pcap", "pcapng", "pcap.gz"} {
		t.Run(format, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "synth."+format)
			writeSynth(t, path, format, count, 0)
			st := NewStore([]string{path})
			defer st.Close()
			// Read to the end once (as browsing a late session would).
			f, err := st.Frame(0, count)
			if err != nil {
				t.Fatal(err)
			}
			checkFrame(t, f, count, 0)
			rng := rand.New(rand.NewPCG(1, 2))
			for i := 0; i < 200; i++ {
				n := 1 + rng.IntN(count)
				before := st.inputs[0].readCount
				f, err := st.Frame(0, uint64(n))
				if err != nil {
					t.Fatalf("frame %d: %v", n, err)
				}
				checkFrame(t, f, n, 0)
				read := st.inputs[0].readCount - before
				if format != "pcap.gz" && read > resumeEvery+1 {
					t.Fatalf("frame %d needed %d frames read; resume points should bound it by %d", n, read, resumeEvery+1)
				}
			}
			if format == "pcap.gz" && len(st.inputs[0].resume) != 0 {
				t.Error("resume points in a gzip file")
			}
			if _, err := st.Frame(0, count+1); !errors.Is(err, ErrNoFrame) {
				t.Errorf("frame past the end: %v", err)
			}
		})
	}
}

// A file that changed under the store is read again from the start, not
// trusted at the old offsets.
func TestStoreFileChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synth.pcapng")
	writeSynth(t, path, "pcapng", 9000, 0)
	st := NewStore([]string{path})
	if _, err := st.Frame(0, 9000); err != nil {
		t.Fatal(err)
	}
	st.mu.Lock()
	st.inputs[0].close()
	st.mu.Unlock()
	writeSynth(t, path, "pcapng", 9000, 0x5a)
	st.mu.Lock()
	st.lru.Init()
	clear(st.cached)
	st.mu.Unlock()
	f, err := st.Frame(0, 5000)
	if err != nil {
		t.Fatal(err)
	}
	checkFrame(t, f, 5000, 0x5a)
	if st.inputs[0].seekable {
		t.Error("resume points kept after they proved wrong")
	}
}

func TestStoreFramesAndScan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synth.pcap")
	writeSynth(t, path, "pcap", 100, 0)
	st := NewStore([]string{path, ""})
	fs, err := st.Frames(0, []uint64{50, 3, 50, 99, 0})
	if err != nil || len(fs) != 3 {
		t.Fatalf("Frames: %d frames, %v", len(fs), err)
	}
	for i, n := range []int{3, 50, 99} {
		checkFrame(t, fs[i], n, 0)
	}
	var seen []uint64
	err = st.Scan(0, 10, 14, func(f *Frame) bool { seen = append(seen, f.Number); return f.Number < 12 })
	if err != nil || fmt.Sprint(seen) != "[10 11 12]" {
		t.Errorf("Scan: %v %v", seen, err)
	}
	if _, err := st.Frame(1, 1); !errors.Is(err, ErrNoFile) {
		t.Errorf("input without a file: %v", err)
	}
	if _, err := st.Frame(7, 1); !errors.Is(err, ErrNoFile) {
		t.Errorf("unknown input: %v", err)
	}
	st.SetPath(1, path)
	if f, err := st.Frame(1, 7); err != nil {
		t.Error(err)
	} else {
		checkFrame(t, f, 7, 0)
	}
}

// The cache stays within its bounds.
func TestStoreCacheBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synth.pcap")
	writeSynth(t, path, "pcap", 500, 0)
	st := NewStore([]string{path})
	st.maxCount = 50
	all := make([]uint64, 500)
	for i := range all {
		all[i] = uint64(i + 1)
	}
	if fs, err := st.Frames(0, all); err != nil || len(fs) != 500 {
		t.Fatalf("%d %v", len(fs), err)
	}
	if st.lru.Len() != 50 || len(st.cached) != 50 {
		t.Errorf("cache holds %d/%d frames, bound 50", st.lru.Len(), len(st.cached))
	}
}

// Frames read back equal what an independent pcapng reader sees.
func TestStoreMatchesPcapgo(t *testing.T) {
	path := repoFile(t, "samples/lab/captures/T1.pcapng")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	st := NewStore([]string{path})
	for n := uint64(1); ; n++ {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.Frame(0, n)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Data, data) || !got.Time.Equal(ci.Timestamp) || got.Length != ci.Length {
			t.Fatalf("frame %d differs from pcapgo's", n)
		}
	}
}

func TestStoreClosed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synth.pcap")
	writeSynth(t, path, "pcap", 10, 0)
	st := NewStore([]string{path})
	if _, err := st.Frame(0, 5); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := st.Frame(0, 6); !errors.Is(err, ErrClosed) {
		t.Errorf("read after Close: %v", err)
	}
}

// The UI reads frames from several goroutines at once (frame views,
// :export): reads are serialized and each gets its own frames.
func TestStoreConcurrentReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synth.pcapng")
	writeSynth(t, path, "pcapng", 3000, 0)
	st := NewStore([]string{path})
	defer st.Close()
	done := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func(g int) {
			for i := 0; i < 20; i++ {
				n := 1 + (g*977+i*131)%3000
				f, err := st.Frame(0, uint64(n))
				if err == nil && (f.Number != uint64(n) || !bytes.Equal(f.Data, synthFrame(n, 0))) {
					err = fmt.Errorf("frame %d read wrong", n)
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}(g)
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
