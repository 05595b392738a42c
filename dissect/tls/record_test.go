package tls

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRecordTLS(t *testing.T) {
	// The alert that ends zeek/Traces/tls/tls-1.2-handshake-failure.pcap
	// (frame 6) followed by the first bytes of another record.
	b := mustHex(t, "15 0303 0002 0228 16 0303 00")
	rec, n, err := ParseRecord(b, false)
	if err != nil || n != 7 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	if rec.Type != ContentAlert || rec.Version != VersionTLS12 || rec.Length != 2 || !bytes.Equal(rec.Fragment, []byte{2, 0x28}) {
		t.Errorf("record %+v", rec)
	}
	al, ok := ParseAlert(rec.Fragment)
	if !ok || al.String() != "fatal handshake_failure" {
		t.Errorf("alert %v %v", al, ok)
	}
	if !bytes.Equal(rec.Marshal(false), b[:7]) {
		t.Errorf("Marshal %x", rec.Marshal(false))
	}
	// The partial record after it.
	if _, n, err := ParseRecord(b[7:], false); n != 0 || dissect.KindOf(err) != dissect.Truncated {
		t.Errorf("partial header: n=%d err=%v", n, err)
	}
	if _, n, err := ParseRecord(mustHex(t, "16 0303 0010 0102"), false); n != 0 || dissect.KindOf(err) != dissect.Truncated {
		t.Errorf("partial body: n=%d err=%v", n, err)
	}
	if size, ok := RecordSize(mustHex(t, "16 0303 0010 0102"), false); !ok || size != 21 {
		t.Errorf("RecordSize %d %v", size, ok)
	}
	if size, ok := RecordSize(mustHex(t, "16 0303 0103"), false); !ok || size != 5+0x103 {
		t.Errorf("RecordSize %d %v", size, ok)
	}
	if size, ok := RecordSize(mustHex(t, "16 fefd 0000 000000000000 0103"), true); !ok || size != 13+0x103 {
		t.Errorf("DTLS RecordSize %d %v", size, ok)
	}
	if _, ok := RecordSize(mustHex(t, "16 0303"), false); ok {
		t.Error("RecordSize on 3 bytes")
	}
	for name, in := range map[string]string{
		"too long":     "17 0303 4801", // 2^14+2048+1
		"content type": "63 0303 0001 00",
		"version":      "16 0203 0001 00",
		"http":         "474554202f20485454502f312e31",
		"sslv2 header": "8046 0103 01",
	} {
		if _, n, err := ParseRecord(mustHex(t, in), false); n != 0 || dissect.KindOf(err) != dissect.Malformed {
			t.Errorf("%s: n=%d err=%v", name, n, err)
		}
	}
	// Exactly the limit is accepted.
	big := append(mustHex(t, "17 0303 4800"), make([]byte, MaxRecordLength)...)
	if _, n, err := ParseRecord(big, false); err != nil || n != len(big) {
		t.Errorf("max record: n=%d err=%v", n, err)
	}
}

func TestParseRecordDTLS(t *testing.T) {
	// First datagram of nDPI/pcap/dtls_old_version.pcapng: a ClientHello
	// in a DTLS 0x0100 record (Cisco AnyConnect's pre-RFC DTLS).
	head := mustHex(t, "16 0100 0000 000000000000 0056 01 00004a 0000 000000 00004a 0100")
	rec, n, err := ParseRecord(append(head, make([]byte, 0x56-14)...), true)
	if err != nil || n != 13+0x56 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	if rec.Version != VersionDTLS09 || rec.Version.String() != "DTLS 0.9" || rec.Epoch != 0 || rec.Seq != 0 || len(rec.Header) != 13 {
		t.Errorf("record %+v", rec)
	}
	rec.Epoch, rec.Seq = 1, 0x0000_0102_0304
	out := rec.Marshal(true)
	back, _, err := ParseRecord(out, true)
	if err != nil || back.Epoch != 1 || back.Seq != 0x0102_0304 || !bytes.Equal(back.Fragment, rec.Fragment) {
		t.Errorf("round trip %+v %v", back, err)
	}
	if _, n, err := ParseRecord(mustHex(t, "16 0303 0000 000000000000 0000"), true); n != 0 || dissect.KindOf(err) != dissect.Malformed {
		t.Errorf("TLS version in DTLS: n=%d err=%v", n, err)
	}
	if _, n, err := ParseRecord(head[:12], true); n != 0 || dissect.KindOf(err) != dissect.Truncated {
		t.Errorf("short header: n=%d err=%v", n, err)
	}
}

func TestParseRecordDTLS13Unified(t *testing.T) {
	// zeek/Traces/tls/dtls13-cid.pcap frame 8: flags 0x3e (C, S, L, epoch
	// 2), a connection ID, 16-bit sequence number and length.
	cid := []byte("I am a client CID")
	body := bytes.Repeat([]byte{0xaa}, 31)
	b := append(append(append([]byte{0x3e}, cid...), 0x18, 0xfd, 0x00, 0x1f), body...)
	if _, n, err := ParseRecord(b, true); n != 0 || dissect.KindOf(err) != dissect.Unsupported {
		t.Errorf("unknown CID length: n=%d err=%v", n, err)
	}
	rec, n, err := ParseDTLSRecordCID(b, len(cid))
	if err != nil || n != len(b) {
		t.Fatalf("n=%d err=%v", n, err)
	}
	if !rec.Type.IsDTLS13Ciphertext() || rec.Epoch != 2 || rec.Seq != 0x18fd || !bytes.Equal(rec.CID, cid) || rec.Length != 31 {
		t.Errorf("record %+v", rec)
	}
	if !bytes.Equal(rec.Marshal(true), b) {
		t.Errorf("Marshal %x", rec.Marshal(true))
	}
	// Without C and L: 8-bit sequence number, record to the end.
	short := append([]byte{0x21, 0x07}, body...)
	rec, n, err = ParseRecord(short, true)
	if err != nil || n != len(short) || rec.Seq != 7 || rec.Epoch != 1 || len(rec.Fragment) != 31 {
		t.Errorf("short unified: %+v n=%d err=%v", rec, n, err)
	}
	if !bytes.Equal(rec.Marshal(true), short) {
		t.Errorf("Marshal %x", rec.Marshal(true))
	}
}

func TestRecordMarshalTooLong(t *testing.T) {
	if out := (Record{Type: ContentApplicationData, Version: VersionTLS12, Fragment: make([]byte, 70000)}).Marshal(false); out != nil {
		t.Errorf("oversized fragment marshalled to %d bytes", len(out))
	}
}

// ParseRecord and RecordSize allocate nothing on the hot path.
func TestParseRecordAllocs(t *testing.T) {
	b := append(mustHex(t, "17 0303 0100"), make([]byte, 256)...)
	d := append(mustHex(t, "17 fefd 0001 000000000005 0100"), make([]byte, 256)...)
	allocs := testing.AllocsPerRun(1000, func() {
		if _, _, err := ParseRecord(b, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ParseRecord(d, true); err != nil {
			t.Fatal(err)
		}
		if _, ok := RecordSize(b[:10], false); !ok {
			t.Fatal("RecordSize")
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run", allocs)
	}
}

func BenchmarkParseRecord(b *testing.B) {
	stream := bytes.Repeat(append(mustHex(b, "17 0303 0200"), make([]byte, 512)...), 64)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		rest := stream
		for len(rest) > 0 {
			_, n, err := ParseRecord(rest, false)
			if err != nil {
				b.Fatal(err)
			}
			rest = rest[n:]
		}
	}
}
