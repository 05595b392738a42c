package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
	"github.com/spf13/cobra"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/live"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
)

type liveFlags struct {
	reportFlags
	iface      string
	filter     string
	duration   time.Duration
	count      uint64
	write      string
	rotateSize string
	rotateTime time.Duration
	idle       time.Duration
	ringSize   string
	noPromisc  bool
}

const liveLong = `Capture on a network interface (a span or mirror port during a customer's
reproduction) and analyze as packets arrive: each session is printed (text) or
emitted (ndjson) when it closes; json writes the whole report at the end.

Stop with Ctrl-C (SIGINT) or SIGTERM, --duration or --count: capturing stops,
every open session is closed and reported, the report and the -w file are
written out, and the exit status is 0. Packets lost on the way — dropped by
the kernel because its ring was full, or by sscope because the analysis fell
behind — are counted in the report and on standard error.

Without -f, the filter keeps what sscope analyzes (RADIUS, TLS over TCP on the
--tls-ports, DTLS on UDP 443, IKEv2 on UDP 500/4500, GRE/ERSPAN, and IP
fragments); -f '' keeps everything. Sessions idle for --idle (capture time) are
closed when later packets arrive; the rest are closed when the capture stops.
Capturing needs the CAP_NET_RAW capability (root, or setcap on the binary).

` + live.FilterHelp

func newLiveCmd() *cobra.Command {
	var fl liveFlags
	cmd := &cobra.Command{
		Use:   "live -i IFACE [-f FILTER] [--duration D] [--count N] [-w FILE.pcapng]",
		Short: "Capture on an interface and analyze as packets arrive",
		Long:  liveLong,
		Example: `  sudo sscope live -i eth1
  sudo sscope live -i eth1 -w reauth.pcapng --format ndjson -o sessions.ndjson
  sudo sscope live -i ens1f0 -f 'udp port 1812 and host 10.20.0.10' --duration 10m
  sudo sscope live -i eth1 -w span.pcapng --rotate-size 100MB --rotate-time 15m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLive(cmd, &fl)
		},
	}
	fl.register(cmd)
	f := cmd.Flags()
	f.StringVarP(&fl.iface, "interface", "i", "", "capture on `IFACE` (required)")
	f.StringVarP(&fl.filter, "filter", "f", "", "capture `FILTER` in tcpdump syntax (default: the analyzed protocols; '' for everything)")
	f.DurationVar(&fl.duration, "duration", 0, "stop after `D` (e.g. 30s, 10m)")
	f.Uint64Var(&fl.count, "count", 0, "stop after `N` packets")
	f.StringVarP(&fl.write, "write", "w", "", "also write the captured packets to `FILE.pcapng`")
	f.StringVar(&fl.rotateSize, "rotate-size", "", "with -w, start a new file every `SIZE` (e.g. 100MB, 1GiB)")
	f.DurationVar(&fl.rotateTime, "rotate-time", 0, "with -w, start a new file every `D` of capture")
	f.DurationVar(&fl.idle, "idle", 2*time.Minute, "close sessions without packets for `D`")
	f.StringVar(&fl.ringSize, "ring-size", "32MB", "kernel ring `SIZE`: a bigger ring rides out longer bursts")
	f.BoolVarP(&fl.noPromisc, "no-promiscuous", "p", false, "do not put the interface in promiscuous mode")
	_ = cmd.MarkFlagFilename("write", "pcapng")
	return cmd
}

func runLive(cmd *cobra.Command, fl *liveFlags) error {
	stderr := cmd.ErrOrStderr()
	if fl.iface == "" {
		return &exitError{code: exitUsage, msg: "live needs an interface: -i IFACE\n" + cmd.UseLine()}
	}
	opts, err := fl.options(cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	rotateSize, err := parseSize("rotate-size", fl.rotateSize)
	if err != nil {
		return err
	}
	if fl.write == "" && (rotateSize > 0 || fl.rotateTime > 0) {
		return &exitError{code: exitUsage, msg: "--rotate-size and --rotate-time need -w FILE.pcapng"}
	}
	if fl.duration < 0 || fl.rotateTime < 0 {
		return &exitError{code: exitUsage, msg: "--duration and --rotate-time must not be negative"}
	}
	capture, expr, err := openCapture(cmd, captureFlags{fl.iface, fl.filter, fl.ringSize, fl.noPromisc, fl.idle}, &opts)
	if err != nil {
		return err
	}
	defer capture.Close()

	var pw *live.PcapngWriter
	if fl.write != "" {
		pw, err = live.NewPcapngWriter(live.WriterOptions{Path: fl.write, RotateSize: rotateSize, RotateTime: fl.rotateTime,
			Interface: fl.iface, Filter: expr, Link: capture.LinkType(), Application: "sscope " + buildVersion()})
		if err != nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("-w %s: %v", fl.write, cleanErr(err))}
		}
	}
	out, err := openReport(cmd, &fl.reportFlags, &opts, true)
	if err != nil {
		if pw != nil {
			pw.Close(nil)
		}
		return err
	}

	a := correlate.New(opts)
	input := a.AddInput(fl.iface, "live")
	shown := expr
	if strings.TrimSpace(shown) == "" {
		shown = "none, every packet"
	}
	fmt.Fprintf(stderr, "sscope: capturing on %s (filter: %s); stop with Ctrl-C\n", fl.iface, shown)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var writeErr error
	st, runErr := live.Run(ctx, capture, live.RunOptions{
		Count:    fl.count,
		Duration: fl.duration,
		Handle: func(p *source.Packet) error {
			if pw != nil {
				if err := pw.WritePacket(p); err != nil {
					writeErr = fmt.Errorf("-w %s: %v", fl.write, cleanErr(err))
					return writeErr
				}
			}
			a.Packet(input, p)
			return nil
		},
		Tick: a.Tick,
	})
	stop()
	ended := time.Now()
	kst, kerr := capture.Stats()
	capture.Close()
	if kerr != nil {
		fmt.Fprintf(stderr, "sscope: warning: kernel counters unavailable: %v\n", kerr)
	}

	var inputErrs []error
	if runErr != nil && writeErr == nil {
		ie := &source.InputError{Path: fl.iface, Reason: source.ReasonDamaged, Detail: "capture failed: " + runErr.Error(), Packets: st.Delivered}
		a.EndInput(input, nil, ie)
		inputErrs = append(inputErrs, ie)
	}
	var files []string
	if pw != nil {
		isb := pcapgo.NgInterfaceStatistics{LastUpdate: ended, StartTime: capture.Started(), EndTime: ended,
			PacketsReceived: kst.Received, PacketsDropped: kst.Dropped}
		if kerr != nil {
			isb.PacketsReceived, isb.PacketsDropped = pcapgo.NgNoValue64, pcapgo.NgNoValue64
		}
		if err := pw.Close(&isb); err != nil && writeErr == nil {
			writeErr = fmt.Errorf("-w %s: %v", fl.write, cleanErr(err))
		}
		files = pw.Files()
	}

	rep := a.Finish()
	in := &rep.Inputs[input]
	in.LinkTypes = append(in.LinkTypes[:0], capture.LinkType().String())
	in.Capture = &report.Capture{Interface: fl.iface, Filter: expr, Stopped: st.Stopped,
		KernelReceived: kst.Received, KernelDropped: kst.Dropped, QueueDropped: st.QueueDropped, Files: files}
	if in.Capture.Files == nil {
		in.Capture.Files = []string{}
	}
	if lost := kst.Dropped + st.QueueDropped; lost > 0 {
		rep.Problems = append(rep.Problems, report.Problem{Input: input, Layer: "capture", Kind: "dropped", Count: 1,
			Detail: fmt.Sprintf("%d packets lost (%d dropped by the kernel, %d by sscope): sessions around them may be incomplete", lost, kst.Dropped, st.QueueDropped)})
	}
	if err := out.write(rep, a.CrossFindings()); err != nil {
		return err
	}
	liveSummary(stderr, fl.iface, st, kst, len(files))
	if writeErr != nil {
		return &exitError{code: exitUsage, msg: writeErr.Error()}
	}
	return inputExit(stderr, inputErrs, rep)
}

// liveSummary says on standard error what the capture did, and warns about
// lost packets.
func liveSummary(w io.Writer, iface string, st live.RunStats, k live.KernelStats, files int) {
	fmt.Fprintf(w, "sscope: %s: %d packets captured, %d analyzed (stopped: %s)", iface, st.Captured, st.Delivered, st.Stopped)
	if files > 0 {
		fmt.Fprintf(w, ", %s written", pluralWord(files, "file", "files"))
	}
	fmt.Fprintln(w)
	if lost := k.Dropped + st.QueueDropped; lost > 0 {
		fmt.Fprintf(w, "sscope: warning: %d packets lost: %d dropped by the kernel (ring full; try --ring-size or a narrower -f), %d by sscope (analysis behind); sessions around them may be incomplete\n",
			lost, k.Dropped, st.QueueDropped)
	}
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// parseSize reads a byte count with an optional unit: k/K/KB (1000),
// KiB (1024), M/MB, MiB, G/GB, GiB.
func parseSize(flag, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
		{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
		{"kB", 1000}, {"k", 1000}, {"K", 1000}, {"M", 1000 * 1000}, {"G", 1000 * 1000 * 1000}, {"B", 1},
	}
	mult := int64(1)
	num := s
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<50)/mult {
		return 0, &exitError{code: exitUsage, msg: fmt.Sprintf("--%s %q: give a size such as 100MB or 1GiB", flag, s)}
	}
	return n * mult, nil
}

// captureFlags are the capture settings live and tui -i share.
type captureFlags struct {
	iface     string
	filter    string
	ringSize  string
	noPromisc bool
	idle      time.Duration
}

// openCapture checks the capture flags, compiles the filter (the default
// one unless -f was given) and opens the interface. It returns the filter
// expression used, for the pcapng written alongside.
func openCapture(cmd *cobra.Command, cf captureFlags, opts *correlate.Options) (*live.Capture, string, error) {
	if cf.idle <= 0 {
		return nil, "", &exitError{code: exitUsage, msg: "--idle must be positive"}
	}
	opts.Idle = cf.idle
	ring, err := parseSize("ring-size", cf.ringSize)
	if err != nil {
		return nil, "", err
	}
	expr := live.DefaultFilter(opts.RADIUSPorts, opts.TLSPorts)
	if cmd.Flags().Changed("filter") {
		expr = cf.filter
	}
	filter, err := live.CompileFilter(expr)
	if err != nil {
		var fe *live.FilterError
		if errors.As(err, &fe) {
			return nil, "", &exitError{code: exitUsage, msg: fmt.Sprintf("-f: %s\n  %s", fe.Error(), strings.ReplaceAll(fe.Marked(), "\n", "\n  "))}
		}
		return nil, "", &exitError{code: exitUsage, msg: "-f: " + err.Error()}
	}
	capture, err := live.Open(live.Config{Interface: cf.iface, Filter: filter, RingBytes: int(ring), NoPromiscuous: cf.noPromisc})
	if err != nil {
		return nil, "", &exitError{code: exitUsage, msg: err.Error()}
	}
	return capture, expr, nil
}
