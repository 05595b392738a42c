package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/sessionscope/sscope/bench/internal/capgen"
)

func main() {
	size := flag.String("size", "", "byte budget of the output (K, M, G are powers of 1024)")
	out := flag.String("o", "", "output file")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: pcaphead -size N -o OUT IN.pcap")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *size == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	limit, err := capgen.ParseSize(*size)
	if err != nil {
		fail(err)
	}
	in, err := os.Open(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	defer in.Close()
	f, err := os.Create(*out)
	if err != nil {
		fail(err)
	}
	w := bufio.NewWriterSize(f, 4<<20)
	records, written, err := copyHead(w, bufio.NewReaderSize(in, 4<<20), limit)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		fail(err)
	}
	fmt.Printf("pcaphead: %s: %d records, %d bytes\n", *out, records, written)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pcaphead:", err)
	os.Exit(1)
}
