package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/sessionscope/sscope/bench/internal/capgen"
)

func main() {
	var (
		sizeFlag  = flag.String("size", "1G", "target file size (K, M, G, T are powers of 1024)")
		outFlag   = flag.String("o", "", "output pcap file (required)")
		seedFlag  = flag.Uint64("seed", 1, "random seed: same seed, templates and flags give the same file")
		rateFlag  = flag.Float64("rate", 200, "average line rate in Mbit/s; sets the timestamps")
		perGiB    = flag.Float64("copies-per-gib", 100, "template copies started per GiB of output")
		maxGap    = flag.Duration("max-gap", 10*time.Second, "clamp idle gaps inside a template to this (0 keeps exact timing)")
		flows     = flag.Int("flows", 3000, "concurrently open background TCP flows")
		startFlag = flag.String("start", "2025-03-03T09:00:00Z", "capture start time (RFC 3339)")
		secret    = flag.String("secret", "", "RADIUS shared secret of the templates; when set, authenticators of rewritten RADIUS packets are recomputed")
		templates capgen.TemplateList
	)
	flag.Var(&templates, "template", "template capture (pcap or pcapng) whose conversations are copied; repeatable")
	flag.Parse()
	if *outFlag == "" {
		fmt.Fprintln(os.Stderr, "genspan: -o FILE is required")
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
	cfg := config{
		size: size, seed: *seedFlag, rate: *rateFlag * 1e6, copiesPerGiB: *perGiB,
		start: start, flows: *flows, secret: []byte(*secret),
	}
	for i, p := range templates {
		t, err := capgen.LoadTemplate(p, capgen.LoadOptions{MaxGap: *maxGap})
		if err != nil {
			fail(err)
		}
		t.ID = i + 1
		cfg.templates = append(cfg.templates, t)
		fmt.Fprintf(os.Stderr, "genspan: template %s: %d frames (%d RADIUS), %d hosts, %.3fs, %d frames dropped\n",
			p, len(t.Frames), t.RADIUSFrames, len(t.Hosts), float64(t.Duration)/1e9, t.Dropped)
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
	report(bufio.NewWriter(os.Stderr), *outFlag, st, cfg, time.Since(began))
}

func report(w *bufio.Writer, path string, st *stats, cfg config, took time.Duration) {
	defer w.Flush()
	fmt.Fprintf(w, "genspan: wrote %s: %d bytes, %d packets (avg frame %.0f B), %.1fs of capture, in %.1fs (%.0f MB/s)\n",
		path, st.bytes, st.packets, float64(st.bytes-24)/float64(st.packets)-16,
		float64(max(st.last, 0)-st.first)/1e9, took.Seconds(), float64(st.bytes)/took.Seconds()/1e6)
	fmt.Fprintf(w, "genspan: tcp flows:")
	for k, n := range st.flows {
		fmt.Fprintf(w, " %s=%d", kindNames[k], n)
	}
	fmt.Fprintf(w, "\ngenspan: tls handshakes: full=%d resumed=%d refused=%d tls13=%d alert=%d\n",
		st.tls[tls12Full], st.tls[tls12Resumed], st.tls[tls12Refused], st.tls[tls13], st.tls[tlsAlert])
	fmt.Fprintf(w, "genspan: events:")
	for k, n := range st.events {
		fmt.Fprintf(w, " %s=%d", eventNames[k], n)
	}
	fmt.Fprintln(w)
	for i, t := range cfg.templates {
		fmt.Fprintf(w, "genspan: template %s: %d copies (%d not started: too long for the remaining capture)\n",
			t.Path, st.copies[i], st.skipped[i])
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "genspan:", err)
	os.Exit(1)
}
