package capture

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// block is one pcapng block as read back by readBlocks.
type block struct {
	typ  uint32
	body []byte // between the leading and trailing lengths
	raw  []byte // the whole block
}

// readBlocks splits a little-endian pcapng file into blocks, checking each
// block's two length fields; it is written from the specification, apart
// from the writer, to read the writer's output back.
func readBlocks(file []byte) ([]block, error) {
	var out []block
	for len(file) > 0 {
		if len(file) < 12 {
			return nil, errors.New("short block header")
		}
		typ := binary.LittleEndian.Uint32(file)
		n := binary.LittleEndian.Uint32(file[4:])
		if n < 12 || n%4 != 0 || uint64(n) > uint64(len(file)) {
			return nil, errors.New("bad block length")
		}
		if binary.LittleEndian.Uint32(file[n-4:]) != n {
			return nil, errors.New("trailing block length differs")
		}
		out = append(out, block{typ: typ, body: file[8 : n-4], raw: file[:n]})
		file = file[n:]
	}
	return out, nil
}

// option is one pcapng option.
type option struct {
	code  uint16
	value []byte
}

// readOptions reads options up to opt_endofopt, which must end them (or
// no options at all).
func readOptions(b []byte) ([]option, error) {
	var out []option
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, errors.New("short option header")
		}
		code, n := binary.LittleEndian.Uint16(b), int(binary.LittleEndian.Uint16(b[2:]))
		padded := (n + 3) &^ 3
		if len(b) < 4+padded {
			return nil, errors.New("option overruns block")
		}
		if code == 0 {
			if n != 0 || len(b) != 4 {
				return nil, errors.New("bytes after opt_endofopt")
			}
			return out, nil
		}
		for _, p := range b[4+n : 4+padded] {
			if p != 0 {
				return nil, errors.New("nonzero option padding")
			}
		}
		out = append(out, option{code, b[4 : 4+n]})
		b = b[4+padded:]
	}
	if len(out) > 0 {
		return nil, errors.New("options without opt_endofopt")
	}
	return out, nil
}

func TestFileLayout(t *testing.T) {
	s := buildSample(t)
	blocks, err := readBlocks(s.file)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 3+s.frames {
		t.Fatalf("%d blocks, want SHB, IDB, DSB and %d EPBs", len(blocks), s.frames)
	}
	le := binary.LittleEndian

	shb := blocks[0]
	if shb.typ != 0x0a0d0d0a || le.Uint32(shb.body) != 0x1a2b3c4d || le.Uint16(shb.body[4:]) != 1 ||
		le.Uint16(shb.body[6:]) != 0 || le.Uint64(shb.body[8:]) != ^uint64(0) {
		t.Errorf("section header % x", shb.body[:16])
	}
	opts, err := readOptions(shb.body[16:])
	if err != nil || len(opts) != 1 || opts[0].code != 4 || string(opts[0].value) != "sscope samples" {
		t.Errorf("section header options %v %v", opts, err)
	}

	idb := blocks[1]
	if idb.typ != 1 || le.Uint16(idb.body) != 1 || le.Uint32(idb.body[4:]) != 262144 {
		t.Errorf("interface % x", idb.body[:8])
	}
	opts, err = readOptions(idb.body[8:])
	if err != nil || len(opts) != 1 || opts[0].code != 9 || !bytes.Equal(opts[0].value, []byte{9}) {
		t.Errorf("interface options %v %v", opts, err)
	}

	dsb := blocks[2]
	if dsb.typ != 0x0a || le.Uint32(dsb.body) != 0x544c534b {
		t.Fatalf("block 3 type %#x secrets type %#x, want a TLS key log DSB", dsb.typ, le.Uint32(dsb.body))
	}
	n := int(le.Uint32(dsb.body[4:]))
	if n != len(s.keylog) || !bytes.Equal(dsb.body[8:8+n], s.keylog) || len(dsb.body) != 8+(n+3)&^3 {
		t.Errorf("secrets of %d bytes: %q", n, dsb.body[8:])
	}

	for i, b := range blocks[3:] {
		if b.typ != 6 || le.Uint32(b.body) != 0 {
			t.Fatalf("frame %d: block type %#x interface %d", i+1, b.typ, le.Uint32(b.body))
		}
		ts := uint64(le.Uint32(b.body[4:]))<<32 | uint64(le.Uint32(b.body[8:]))
		want := epoch.Add(time.Duration(i) * FrameSpacing).UnixNano()
		if ts != uint64(want) {
			t.Errorf("frame %d: timestamp %d, want %d", i+1, ts, want)
		}
		capLen, wireLen := le.Uint32(b.body[12:]), le.Uint32(b.body[16:])
		if capLen != wireLen || 20+int(capLen+3)&^3 > len(b.body) {
			t.Fatalf("frame %d: lengths %d/%d in a body of %d", i+1, capLen, wireLen, len(b.body))
		}
		opts, err := readOptions(b.body[20+(capLen+3)&^3:])
		if err != nil {
			t.Fatalf("frame %d: %v", i+1, err)
		}
		var got []string
		for _, o := range opts {
			if o.code != 1 {
				t.Errorf("frame %d: option %d", i+1, o.code)
			}
			got = append(got, string(o.value))
		}
		var want2 []string
		if i+1 == s.commented {
			want2 = s.comments
		}
		if !slices.Equal(got, want2) {
			t.Errorf("frame %d: comments %q, want %q", i+1, got, want2)
		}
	}
}

func TestNoSecretsNoBlock(t *testing.T) {
	w := NewWriter(NewClock(epoch))
	w.UDP(Endpoint{client, 1}, Endpoint{server, 2}, []byte("x"))
	w.AddSecrets(nil)
	var out bytes.Buffer
	if err := w.Close(&out); err != nil {
		t.Fatal(err)
	}
	blocks, err := readBlocks(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if b.typ == 0x0a {
			t.Fatal("a Decryption Secrets Block without secrets")
		}
	}
	if len(blocks) != 3 {
		t.Fatalf("%d blocks, want SHB, IDB, EPB", len(blocks))
	}
}

func TestSecretsAccumulate(t *testing.T) {
	w := NewWriter(NewClock(epoch))
	w.AddSecrets([]byte("CLIENT_RANDOM 01 02")) // no newline: one is added
	w.AddSecrets([]byte("CLIENT_RANDOM 03 04\n"))
	if got, want := string(w.secrets), "CLIENT_RANDOM 01 02\nCLIENT_RANDOM 03 04\n"; got != want {
		t.Fatalf("secrets %q, want %q", got, want)
	}
}

func TestPcapgoReads(t *testing.T) {
	s := buildSample(t)
	r, err := pcapgo.NewNgReader(bytes.NewReader(s.file), pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	if r.LinkType() != layers.LinkTypeEthernet {
		t.Errorf("link type %v", r.LinkType())
	}
	if got := r.SectionInfo().Application; got != "sscope samples" {
		t.Errorf("application %q", got)
	}
	frames := 0
	for {
		data, ci, opts, err := r.ReadPacketDataWithOptions()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			break
		}
		frames++
		if want := epoch.Add(time.Duration(frames-1) * FrameSpacing); !ci.Timestamp.Equal(want) {
			t.Errorf("frame %d at %v, want %v", frames, ci.Timestamp, want)
		}
		if ci.CaptureLength != len(data) || ci.Length != len(data) {
			t.Errorf("frame %d: lengths %d/%d for %d bytes", frames, ci.CaptureLength, ci.Length, len(data))
		}
		var want []string
		if frames == s.commented {
			want = s.comments
		}
		if !slices.Equal(opts.Comments, want) {
			t.Errorf("frame %d: comments %q, want %q", frames, opts.Comments, want)
		}
	}
	if frames != s.frames {
		t.Fatalf("pcapgo read %d frames, want %d", frames, s.frames)
	}
	if iface, err := r.Interface(0); err != nil || iface.TimestampResolution != 9 || iface.SnapLength != 262144 {
		t.Errorf("interface %+v %v", iface, err)
	}
}

// sampleSHA256 pins the sample capture's bytes. Committed sample captures
// depend on the writer's output staying the same: change it only with a
// change of the format that is meant, and regenerate the samples with it.
const sampleSHA256 = "bdd011e50b60d5e748e6b5f2614243af48103cd90bcedd1f5aff4ecf42f83d26"

func TestDeterministic(t *testing.T) {
	a, b := buildSample(t), buildSample(t)
	if !bytes.Equal(a.file, b.file) {
		t.Fatal("two identical runs wrote different files")
	}
	if got := fmt.Sprintf("%x", sha256.Sum256(a.file)); got != sampleSHA256 {
		t.Fatalf("sample capture SHA-256 %s, pinned %s", got, sampleSHA256)
	}
}
