package tlsdecrypt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/dissect/tls"
)

// serialize writes a connection as the fuzz input format: for each record
// a direction byte, then the record with its header.
func serialize(c conn, dtls bool) []byte {
	var out []byte
	for _, r := range c.recs {
		out = append(out, byte(r.dir))
		out = append(out, r.rec.Marshal(dtls)...)
	}
	return out
}

// FuzzDecrypter feeds arbitrary records, seeded with real connections (the
// samples, synthetic TLS 1.3 and DTLS), to a Decrypter that has the keys
// of those connections. Whatever comes: no panic, every result is either
// a plaintext or an error of a protected record, and no plaintext is
// longer than its record.
func FuzzDecrypter(f *testing.F) {
	var keylog strings.Builder
	for _, name := range []string{"P1", "P2", "T1", "T2"} {
		b, err := os.ReadFile(filepath.Join(samplesDir, name+".keylog"))
		if err != nil {
			continue
		}
		keylog.Write(b)
		path := filepath.Join(samplesDir, name+".pcapng")
		var conns []conn
		if name[0] == 'P' {
			conns = eapConns(f, path)
		} else {
			conns = tcpConns(f, path)
		}
		for _, c := range conns[:min(2, len(conns))] {
			f.Add(serialize(c, false), false)
		}
	}
	t13 := newTLS13Conn(f, true, true)
	keylog.WriteString(t13.keylog)
	f.Add(serialize(t13.c, false), false)
	f.Add([]byte{0, 23, 3, 3, 0, 3, 1, 2, 3}, false)
	f.Add([]byte{1, 22, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2}, true)
	store := storeOf(f, keylog.String())
	f.Fuzz(func(t *testing.T, data []byte, dtls bool) {
		d := New(Options{DTLS: dtls, Keys: store, Sessions: NewSessionCache(8),
			MasterSecret: func(h *Hello) []byte {
				if len(h.SessionTicket) > 0 && h.SessionTicket[0] == 0xfa {
					return make([]byte, 48)
				}
				return nil
			}})
		for len(data) > 1 {
			dir := Dir(data[0] & 1)
			rec, n, err := tls.ParseRecord(data[1:], dtls)
			if err != nil {
				return
			}
			data = data[1+n:]
			if len(data) > 0 && data[0]&0x80 != 0 {
				d.Gap(dir)
			}
			r := d.Record(dir, rec)
			if r.Err != nil && (!r.Protected || r.Plaintext != nil) {
				t.Fatalf("error %v on a record that was not protected or has a plaintext", r.Err)
			}
			if len(r.Plaintext) > len(rec.Fragment) {
				t.Fatalf("plaintext of %d bytes from a %d-byte fragment", len(r.Plaintext), len(rec.Fragment))
			}
			if r.Err != nil && r.Err.Error() == "" {
				t.Fatal("empty error")
			}
		}
		d.Status()
	})
}
