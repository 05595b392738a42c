package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/sessionscope/sscope/bench/internal/capgen"
)

func main() {
	var (
		sizeFlag   = flag.String("size", "300M", "target file size (K, M, G, T are powers of 1024)")
		outFlag    = flag.String("o", "", "output pcap file (required)")
		seedFlag   = flag.Uint64("seed", 1, "random seed: same seed, templates and flags give the same file")
		concurrent = flag.Int("concurrent", 200, "conversations open at once")
		pause      = flag.Duration("pause", 20*time.Millisecond, "mean idle time before a finished conversation is replaced")
		maxGap     = flag.Duration("max-gap", 10*time.Second, "clamp idle gaps inside a template to this (0 keeps exact timing)")
		startFlag  = flag.String("start", "2025-03-03T09:00:00Z", "capture start time (RFC 3339)")
		secret     = flag.String("secret", "", "RADIUS shared secret of the templates; when set, authenticators of rewritten packets are recomputed")
		templates  capgen.TemplateList
	)
	flag.Var(&templates, "template", "template capture (pcap or pcapng); its RADIUS frames are copied; repeatable")
	flag.Parse()
	if *outFlag == "" || len(templates) == 0 {
		fmt.Fprintln(os.Stderr, "gendense: -o FILE and at least one -template are required")
		flag.Usage()
		os.Exit(2)
	}
	size, err := capgen.ParseSize(*sizeFlag)
	if err != nil {
		fail(err)
	}
	start, err := time.Parse(time.RFC3339, *startFlag)
	if err != nil {
		fail(err)
	}
	cfg := config{size: size, seed: *seedFlag, concurrent: *concurrent, pause: *pause,
		start: start, secret: []byte(*secret)}
	for _, p := range templates {
		t, err := capgen.LoadTemplate(p, capgen.LoadOptions{MaxGap: *maxGap, RADIUSOnly: true})
		if err != nil {
			fmt.Fprintf(os.Stderr, "gendense: skipping template %s: %v\n", p, err)
			continue
		}
		t.ID = len(cfg.templates) + 1
		cfg.templates = append(cfg.templates, t)
		fmt.Fprintf(os.Stderr, "gendense: template %s: %d RADIUS frames, %d hosts, %.3fs, %d other frames dropped\n",
			p, len(t.Frames), len(t.Hosts), float64(t.Duration)/1e9, t.Dropped)
	}
	f, err := os.Create(*outFlag)
	if err != nil {
		fail(err)
	}
	began := time.Now()
	st, err := generate(f, cfg)
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		fail(err)
	}
	took := time.Since(began)
	span := float64(st.last-st.first) / 1e9
	fmt.Fprintf(os.Stderr, "gendense: wrote %s: %d bytes, %d packets, %.0fs of capture (%.0f packets/s), %.0f conversations open on average, %d at most, in %.1fs\n",
		*outFlag, st.bytes, st.packets, span, float64(st.packets)/max(span, 1e-9), st.meanOpen, st.maxOpen, took.Seconds())
	for i, t := range cfg.templates {
		fmt.Fprintf(os.Stderr, "gendense: template %s: %d copies\n", t.Path, st.copies[i])
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gendense:", err)
	os.Exit(1)
}
