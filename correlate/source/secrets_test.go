package source

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"testing/iotest"
)

// secretsBlock adds a Decryption Secrets Block.
func (n *ngFile) secretsBlock(typ uint32, data []byte) {
	le := binary.LittleEndian
	body := make([]byte, 8)
	le.PutUint32(body, typ)
	le.PutUint32(body[4:], uint32(len(data)))
	n.block(ngDecryptionSecret, append(body, data...))
}

// bigEndianSection is a whole big-endian section: header, Ethernet
// interface, one secrets block, one packet.
func bigEndianSection(secret, pkt []byte) []byte {
	be := binary.BigEndian
	var out []byte
	block := func(typ uint32, body []byte) {
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
		size := uint32(12 + len(body))
		out = be.AppendUint32(out, typ)
		out = be.AppendUint32(out, size)
		out = append(out, body...)
		out = be.AppendUint32(out, size)
	}
	shb := be.AppendUint32(nil, ngByteOrderMagic)
	shb = be.AppendUint16(shb, 1)
	shb = be.AppendUint16(shb, 0)
	shb = be.AppendUint64(shb, ^uint64(0))
	block(ngSectionHeader, shb)
	idb := be.AppendUint16(nil, 1)
	idb = be.AppendUint16(idb, 0)
	block(1, be.AppendUint32(idb, 65535))
	dsb := be.AppendUint32(nil, SecretsTLSKeyLog)
	block(ngDecryptionSecret, append(be.AppendUint32(dsb, uint32(len(secret))), secret...))
	epb := make([]byte, 20)
	be.PutUint32(epb[12:], uint32(len(pkt)))
	be.PutUint32(epb[16:], uint32(len(pkt)))
	block(6, append(epb, pkt...))
	return out
}

func readSecrets(t *testing.T, name string, rd io.Reader) (*Reader, []Packet) {
	t.Helper()
	r, err := NewReader(name, rd, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r, readAll(t, r)
}

func TestDecryptionSecretsBlocks(t *testing.T) {
	keyA := []byte("CLIENT_RANDOM 01 02\n")   // 20 bytes: no padding
	keyB := []byte("CLIENT_RANDOM 0304 05\n") // padded to 24
	var n ngFile
	n.section()
	n.secretsBlock(SecretsTLSKeyLog, keyA) // before the interface, as editcap writes it
	n.iface(1, 9)
	n.packet(0, 1, frame)
	n.secretsBlock(SecretsWireGuard, []byte("wg")) // another type, kept as is
	n.packet(0, 2, frame)
	n.secretsBlock(SecretsTLSKeyLog, keyB) // after packets
	n.packet(0, 3, frame)
	file := append(n.b.Bytes(), bigEndianSection(keyA, frame)...)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(file)
	zw.Close()
	want := []Secret{{SecretsTLSKeyLog, keyA}, {SecretsWireGuard, []byte("wg")}, {SecretsTLSKeyLog, keyB}, {SecretsTLSKeyLog, keyA}}
	for name, rd := range map[string]func() io.Reader{
		"whole":        func() io.Reader { return bytes.NewReader(file) },
		"byte by byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(file)) },
		"gzip":         func() io.Reader { return bytes.NewReader(gz.Bytes()) },
	} {
		t.Run(name, func(t *testing.T) {
			r, ps := readSecrets(t, name, rd())
			if len(ps) != 4 {
				t.Fatalf("%d packets", len(ps))
			}
			got := r.Secrets()
			if len(got) != len(want) || r.SecretsDropped() != 0 {
				t.Fatalf("%d secrets (%d dropped): %v", len(got), r.SecretsDropped(), got)
			}
			for i := range want {
				if got[i].Type != want[i].Type || !bytes.Equal(got[i].Data, want[i].Data) {
					t.Errorf("secret %d: %x %q", i, got[i].Type, got[i].Data)
				}
			}
		})
	}

	// OnSecret: each block before the packets that follow it.
	r, err := NewReader("callback", iotest.OneByteReader(bytes.NewReader(file)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var delivered []uint64
	r.OnSecret(func(Secret) { delivered = append(delivered, r.Packets()) })
	readAll(t, r)
	if len(delivered) != 4 || delivered[0] != 0 || delivered[1] > 1 || delivered[2] > 2 || delivered[3] > 3 {
		t.Errorf("secrets delivered after %v packets", delivered)
	}
}

func TestDecryptionSecretsBlocksDamagedOrCapped(t *testing.T) {
	var n ngFile
	n.section()
	n.iface(1, 9)
	// A secrets length beyond the block.
	body := binary.LittleEndian.AppendUint32(nil, SecretsTLSKeyLog)
	body = binary.LittleEndian.AppendUint32(body, 1000)
	n.block(ngDecryptionSecret, append(body, "short"...))
	// A block over the cap: skipped, not kept.
	n.secretsBlock(SecretsTLSKeyLog, make([]byte, MaxSecretsBlock+4))
	n.secretsBlock(SecretsTLSKeyLog, []byte("kept"))
	n.packet(0, 1, frame)
	r, ps := readSecrets(t, "damaged", bytes.NewReader(n.b.Bytes()))
	if len(ps) != 1 || r.SecretsDropped() != 2 || len(r.Secrets()) != 1 || string(r.Secrets()[0].Data) != "kept" {
		t.Fatalf("%d packets, %d dropped, %v", len(ps), r.SecretsDropped(), r.Secrets())
	}
	// Not pcapng: nothing is looked for.
	r, _ = readSecrets(t, "pcap", bytes.NewReader(bigEndianPcap(false, 1, t0, frame)))
	if len(r.Secrets()) != 0 || r.SecretsDropped() != 0 {
		t.Fatal("secrets in a pcap file")
	}
}

// TestDecryptionSecretsOfTheSamples reads the keys the reference
// implementation writes after the interface block, and the same capture
// rewritten by editcap --inject-secrets, which puts them before it.
func TestDecryptionSecretsOfTheSamples(t *testing.T) {
	captures, _ := filepath.Glob("../../samples/scenarios/*.pcapng")
	if len(captures) == 0 {
		t.Skip("no sample captures")
	}
	editcap, _ := exec.LookPath("editcap")
	for _, c := range captures {
		keylog, err := os.ReadFile(c[:len(c)-len(".pcapng")] + ".keylog")
		if err != nil {
			continue
		}
		files := map[string]string{"reference": c}
		if editcap != "" {
			out := filepath.Join(t.TempDir(), filepath.Base(c))
			stripped := out + ".stripped"
			kl := out + ".keylog"
			os.WriteFile(kl, keylog, 0o600)
			if err := exec.Command(editcap, "--discard-all-secrets", c, stripped).Run(); err != nil {
				t.Fatalf("editcap: %v", err)
			}
			if err := exec.Command(editcap, "--inject-secrets", "tls,"+kl, stripped, out).Run(); err != nil {
				t.Fatalf("editcap: %v", err)
			}
			files["editcap"] = out
		}
		for how, f := range files {
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := readSecrets(t, f, fh)
			fh.Close()
			if s := r.Secrets(); len(s) != 1 || s[0].Type != SecretsTLSKeyLog || !bytes.Equal(s[0].Data, keylog) {
				t.Errorf("%s (%s): secrets %d, want the .keylog", filepath.Base(c), how, len(s))
			}
		}
	}
	if editcap == "" {
		t.Log("editcap not installed: the DSB-before-IDB layout is covered by TestDecryptionSecretsBlocks only")
	}
}

// refSecrets is a whole-buffer reading of the blocks, to compare the
// streaming scanner with.
func refSecrets(b []byte) []Secret {
	var out []Secret
	var order binary.ByteOrder
	for first := true; len(b) >= 12; first = false {
		if binary.BigEndian.Uint32(b) == ngSectionHeader {
			switch {
			case binary.LittleEndian.Uint32(b[8:]) == ngByteOrderMagic:
				order = binary.LittleEndian
			case binary.BigEndian.Uint32(b[8:]) == ngByteOrderMagic:
				order = binary.BigEndian
			default:
				return out
			}
			if l := order.Uint32(b[4:]); l < ngMinSectionHeader || l%4 != 0 {
				return out
			}
		} else if first {
			return out
		}
		typ, l := order.Uint32(b), order.Uint32(b[4:])
		if l < 12 || l%4 != 0 || uint64(l) > uint64(len(b)) {
			return out
		}
		body := b[8:l]
		if typ == ngDecryptionSecret && len(body) >= 12 && l-8 <= MaxSecretsBlock+12 {
			if n := order.Uint32(body[4:]); uint64(n) <= uint64(len(body)-12) {
				out = append(out, Secret{order.Uint32(body), body[8 : 8+n]})
			}
		}
		b = b[l:]
	}
	return out
}

// FuzzSecretsScanner passes arbitrary bytes through the scanner in chunks
// of every size: the bytes come out unchanged and the blocks found are
// those of a whole-buffer reading.
func FuzzSecretsScanner(f *testing.F) {
	var n ngFile
	n.section()
	n.secretsBlock(SecretsTLSKeyLog, []byte("CLIENT_RANDOM 01 02\n"))
	n.iface(1, 9)
	n.packet(0, 1, frame)
	f.Add(n.b.Bytes(), uint8(1))
	f.Add(bigEndianSection([]byte("x"), frame), uint8(7))
	if b, err := os.ReadFile("../../samples/scenarios/P1.pcapng"); err == nil {
		f.Add(b, uint8(200))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		s := newSecretsScanner(iotest.OneByteReader(bytes.NewReader(data)))
		if chunk > 1 {
			s = newSecretsScanner(&chunkReader{data: data, n: int(chunk)})
		}
		out, err := io.ReadAll(s)
		if err != nil || !bytes.Equal(out, data) {
			t.Fatalf("bytes changed: %v", err)
		}
		want := refSecrets(data)
		if len(s.secrets) != len(want) {
			t.Fatalf("%d secrets, whole-buffer reading %d", len(s.secrets), len(want))
		}
		for i := range want {
			if s.secrets[i].Type != want[i].Type || !bytes.Equal(s.secrets[i].Data, want[i].Data) {
				t.Fatalf("secret %d differs", i)
			}
		}
	})
}

type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := min(c.n, len(p), len(c.data))
	copy(p, c.data[:k])
	c.data = c.data[k:]
	return k, nil
}
