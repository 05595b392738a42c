package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"
)

// counts is what one pass over a capture found.
type counts struct {
	packets int64
	bytes   int64 // captured packet bytes
}

// zeroCopyReader is what pcapgo's pcap and pcapng readers have in common.
type zeroCopyReader interface {
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// readAll counts the packets of a pcap or pcapng stream. It returns what it
// counted before any error.
func readAll(r io.Reader) (counts, error) {
	var c counts
	br := bufio.NewReaderSize(r, 1<<20)
	magic, err := br.Peek(4)
	if err != nil {
		return c, fmt.Errorf("reading file header: %w", err)
	}
	var zr zeroCopyReader
	if bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		zr, err = pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
	} else {
		zr, err = pcapgo.NewReader(br)
	}
	if err != nil {
		return c, err
	}
	for {
		data, _, err := zr.ZeroCopyReadPacketData()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return c, nil
			}
			return c, err
		}
		c.packets++
		c.bytes += int64(len(data))
	}
}

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: readloop FILE\n\nPrints packets, bytes and throughput (MB = 10^6 bytes, over the file size).")
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	path := flag.Arg(0)
	began := time.Now()
	f, err := os.Open(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		fail(err)
	}
	c, err := readAll(f)
	secs := time.Since(began).Seconds()
	if err != nil {
		fmt.Fprintf(os.Stderr, "readloop: %s: stopped after %d packets: %v\n", path, c.packets, err)
	}
	fmt.Printf("readloop: %s: %d packets, %d packet bytes, %d file bytes in %.3fs: %.1f MB/s, %.0f packets/s\n",
		path, c.packets, c.bytes, fi.Size(), secs, float64(fi.Size())/secs/1e6, float64(c.packets)/secs)
	fmt.Printf("packets=%d bytes=%d file_bytes=%d seconds=%.6f mb_per_s=%.1f packets_per_s=%.0f\n",
		c.packets, c.bytes, fi.Size(), secs, float64(fi.Size())/secs/1e6, float64(c.packets)/secs)
	if err != nil {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "readloop:", err)
	os.Exit(1)
}
