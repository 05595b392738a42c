package tls

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// LooksLikeTLS and LooksLikeDTLS recognise the start of every TLS/DTLS
// conversation of the corpus and nothing in the captures without TLS.
func TestSignaturesOnCorpus(t *testing.T) {
	dir := corpusDir(t)
	positives, negatives := 0, 0
	for _, row := range readManifest(t, dir) {
		isTLS := row.has("tls") || row.has("dtls")
		pkts := openCapture(t, filepath.Join(dir, row.File))
		if isTLS {
			for _, c := range reassembleTCP(pkts) {
				d := c.Client.Data
				if len(d) > 5 && (d[0] == 0x16 && d[5] == 1 || d[0]&0x80 != 0 && len(d) > 2 && d[2] == 1) {
					positives++
					if !LooksLikeTLS(d) {
						t.Errorf("%s %s: ClientHello stream %x not recognised", row.File, c.Client.Src, d[:min(16, len(d))])
					}
				}
				if d := c.Server.Data; len(d) > 5 && d[0] == 0x16 && d[5] == 2 {
					positives++
					if !LooksLikeTLS(d) {
						t.Errorf("%s %s: ServerHello stream %x not recognised", row.File, c.Server.Src, d[:16])
					}
				}
			}
			for _, p := range pkts {
				d := p.Payload
				if p.UDP != nil && len(d) > 13 && d[0] == 0x16 && Version(int(d[1])<<8|int(d[2])).IsDTLS() && d[13] <= 3 && d[13] >= 1 {
					positives++
					if !LooksLikeDTLS(d) {
						t.Errorf("%s frame %d: DTLS hello %x not recognised", row.File, p.Frame, d[:25])
					}
				}
			}
			continue
		}
		for _, c := range reassembleTCP(pkts) {
			for _, d := range [][]byte{c.Client.Data, c.Server.Data} {
				negatives++
				if LooksLikeTLS(d) || LooksLikeDTLS(d) {
					t.Errorf("%s: non-TLS stream %x taken for TLS", row.File, d[:min(16, len(d))])
				}
			}
		}
		for _, p := range pkts {
			if len(p.Payload) == 0 {
				continue
			}
			negatives++
			if LooksLikeTLS(p.Payload) || LooksLikeDTLS(p.Payload) {
				t.Errorf("%s frame %d: non-TLS payload taken for TLS", row.File, p.Frame)
			}
		}
	}
	t.Logf("%d hellos recognised, %d non-TLS payloads rejected", positives, negatives)
	if positives < 100 || negatives < 100 {
		t.Errorf("too few cases: %d positives, %d negatives", positives, negatives)
	}
}

// Random bytes, and random bytes behind a plausible first byte, are
// almost never taken for a hello.
func TestSignatureFalsePositives(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 64)
	hits := 0
	const n = 300_000
	for i := 0; i < n; i++ {
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		if i%2 == 0 {
			b[0] = 0x16 // the one byte a stray stream most often shares
		}
		if LooksLikeTLS(b) || LooksLikeDTLS(b) {
			hits++
		}
	}
	if hits > n/10000 {
		t.Errorf("%d of %d random inputs look like TLS", hits, n)
	}
	t.Logf("%d of %d random inputs look like TLS", hits, n)
}

func TestSignatureShortInput(t *testing.T) {
	for i := 0; i < 25; i++ {
		b := make([]byte, i)
		if i > 0 {
			b[0] = 0x16
		}
		if LooksLikeTLS(b) || LooksLikeDTLS(b) {
			t.Errorf("%d zero bytes look like TLS", i)
		}
	}
	allocs := testing.AllocsPerRun(100, func() { LooksLikeTLS(make([]byte, 0)); LooksLikeDTLS(nil) })
	if allocs != 0 {
		t.Errorf("%v allocations", allocs)
	}
}
