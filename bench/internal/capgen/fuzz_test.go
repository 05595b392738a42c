package capgen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzReadTemplate feeds arbitrary files to the template loader and runs
// every frame of a loaded template through the copy rewriter (with a
// secret, in ERSPAN), which must neither panic nor produce a frame larger
// than its buffer.
func FuzzReadTemplate(f *testing.F) {
	for _, rel := range append(corpusTemplates, "tcpdump/RADIUS-RFC5176.pcap", "tcpdump/radius_rfc5447_invalid_length.pcap",
		"tcpdump/eapon1.pcap", "tcpdump/ikev2pI2-segfault.pcapng") {
		if b, err := os.ReadFile(filepath.Join(corpusDir, rel)); err == nil {
			f.Add(b)
		}
	}
	for _, p := range []string{"../../../samples/lab/captures/P1-ipfrag.pcapng", "../../../samples/lab/captures/T1.pcapng"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opt := range []LoadOptions{{MaxGap: time.Second}, {RADIUSOnly: true}} {
			tpl, err := ReadTemplate(bytes.NewReader(data), opt)
			if err != nil {
				continue
			}
			var cp Copier
			buf, m := make([]byte, BufferSize), NewMirror()
			for k, enc := range []Encap{{Kind: EncapERSPAN, VLAN: 7}, {}} {
				c := cp.New(tpl, int64(k), enc, []byte("s"))
				last := int64(-1 << 62)
				for !c.Done() {
					frame, ts := c.Next(buf, m)
					if len(frame) > BufferSize || len(frame) < 34 {
						t.Fatalf("frame of %d bytes", len(frame))
					}
					if ts < last {
						t.Fatalf("time went back: %d after %d", ts, last)
					}
					last = ts
				}
			}
		}
	})
}
