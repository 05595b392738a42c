package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
	"github.com/spf13/cobra"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/live"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/tui"
	"github.com/sessionscope/sscope/tui/keymap"
)

type tuiFlags struct {
	reportFlags
	iface     string
	filter    string
	write     string
	idle      time.Duration
	ringSize  string
	noPromisc bool
}

const tuiLong = `Browse captures interactively: clients and their sessions on the left, the
selected session's timeline on the right, the selected event's decoded fields
and hex dump below, a findings view (f), a filter (/) and a command bar (:),
e.g. ":export eap-2.pcap" writes the selected session's frames. Large files can
be browsed while they are read: sessions appear as they complete.

With -i the sessions come from a live capture (as 'sscope live' captures) and
are appended as they close without moving your selection; -w also writes the
capture to a pcapng file, which frame views and :export read; ":stop" ends the
capture and keeps the sessions to browse. Capturing needs CAP_NET_RAW.

? lists every key. Keys are remapped in ~/.config/sscope/keys.json (or the
file $SSCOPE_KEYS names), a JSON object of actions to keys, e.g.
{"down": ["j", "Down", "Ctrl-N"]}. NO_COLOR turns colour off.`

func newTUICmd() *cobra.Command {
	var fl tuiFlags
	cmd := &cobra.Command{
		Use:   "tui FILE... | tui -i IFACE [-f FILTER] [-w FILE.pcapng]",
		Short: "Browse sessions, timelines, frames and findings in a terminal UI",
		Long:  tuiLong,
		Example: `  sscope tui customer.pcapng
  sscope tui --keylog keys.log node1.pcap node2.pcap
  sudo sscope tui -i eth1 -w repro.pcapng`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTUI(cmd, args, &fl)
		},
	}
	fl.registerAnalysis(cmd)
	f := cmd.Flags()
	f.BoolVar(&fl.showSecrets, "show-secrets", false, "show passwords, keys and tokens instead of <redacted>")
	f.StringVarP(&fl.iface, "interface", "i", "", "capture live on `IFACE` instead of reading files")
	f.StringVarP(&fl.filter, "filter", "f", "", "with -i: capture `FILTER` in tcpdump syntax (default: the analyzed protocols)")
	f.StringVarP(&fl.write, "write", "w", "", "with -i: also write the capture to `FILE.pcapng` (frame views and :export read it)")
	f.DurationVar(&fl.idle, "idle", 2*time.Minute, "with -i: close sessions without packets for `D`")
	f.StringVar(&fl.ringSize, "ring-size", "32MB", "with -i: kernel ring `SIZE`")
	f.BoolVarP(&fl.noPromisc, "no-promiscuous", "p", false, "with -i: do not put the interface in promiscuous mode")
	_ = cmd.MarkFlagFilename("write", "pcapng")
	return cmd
}

func runTUI(cmd *cobra.Command, args []string, fl *tuiFlags) error {
	fl.format = "text" // the analysis only; no report is written
	opts, err := fl.options(cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	keys, keyFile, err := keymap.LoadUser()
	if err != nil {
		return &exitError{code: exitUsage, msg: "key file: " + err.Error()}
	}
	if keyFile == "" {
		keyFile = keymap.DefaultPath()
	}
	uo := tui.Options{
		Keys:        keys,
		KeyFile:     keyFile,
		NoColor:     os.Getenv("NO_COLOR") != "",
		ShowSecrets: fl.showSecrets,
		RADIUSPorts: opts.RADIUSPorts,
	}
	if fl.iface != "" {
		if len(args) > 0 {
			return &exitError{code: exitUsage, msg: "tui: give capture files or -i IFACE, not both"}
		}
		return runTUILive(cmd, fl, opts, uo)
	}
	for _, name := range []string{"filter", "write", "idle", "ring-size", "no-promiscuous"} {
		if cmd.Flags().Changed(name) {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("tui: --%s goes with -i IFACE", name)}
		}
	}
	if len(args) == 0 {
		return &exitError{code: exitUsage, msg: "tui: give one or more capture files, or -i IFACE\n" + cmd.UseLine()}
	}
	for _, a := range args {
		if a == "-" {
			return &exitError{code: exitUsage, msg: "tui: standard input cannot be browsed (frames are read back from the file): save the capture to a file first"}
		}
		st, err := os.Stat(a)
		if err != nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("%s: %s", a, cleanErr(err))}
		}
		if st.IsDir() {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("%s: is a directory, not a capture file", a)}
		}
	}
	return runApp(tui.New(tui.Files(args, opts), uo))
}

func runApp(app *tui.App) error {
	// SIGTERM (and SIGINT from outside: in the UI Ctrl-C is a key) ends
	// the UI cleanly, restoring the terminal.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		app.Stop()
	}()
	if err := app.Run(); err != nil {
		return &exitError{code: exitUsage, msg: "the terminal UI needs a terminal: " + err.Error()}
	}
	return nil
}

// runTUILive captures on an interface, as 'sscope live' does, and streams
// the sessions into the UI. Quitting the UI stops the capture and closes
// the -w file properly.
func runTUILive(cmd *cobra.Command, fl *tuiFlags, opts correlate.Options, uo tui.Options) error {
	capture, expr, err := openCapture(cmd, captureFlags{fl.iface, fl.filter, fl.ringSize, fl.noPromisc, fl.idle}, &opts)
	if err != nil {
		return err
	}
	defer capture.Close()
	var pw *live.PcapngWriter
	if fl.write != "" {
		pw, err = live.NewPcapngWriter(live.WriterOptions{Path: fl.write, Interface: fl.iface, Filter: expr,
			Link: capture.LinkType(), Application: "sscope " + buildVersion()})
		if err != nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("-w %s: %v", fl.write, cleanErr(err))}
		}
	}

	sessions := make(chan *report.Session, 256)
	cross := make(chan []report.Finding, 1)
	opts.OnSession = func(s *report.Session) { sessions <- s }
	opts.KeepSessions = false
	a := correlate.New(opts)
	input := a.AddInput(fl.iface, "live")

	var delivered, queueDropped atomic.Uint64
	var statsMu sync.Mutex
	var kernel live.KernelStats
	stats := func() tui.LiveStats {
		statsMu.Lock()
		defer statsMu.Unlock()
		if k, err := capture.Stats(); err == nil {
			kernel = k
		}
		return tui.LiveStats{Packets: delivered.Load(), KernelDrops: kernel.Dropped, Drops: queueDropped.Load()}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runDone := make(chan struct{})
	var runErr, writeErr error
	go func() {
		defer close(runDone)
		st, err := live.Run(ctx, capture, live.RunOptions{Handle: func(p *source.Packet) error {
			if pw != nil {
				if err := pw.WritePacket(p); err != nil {
					writeErr = fmt.Errorf("-w %s: %v", fl.write, cleanErr(err))
					return writeErr
				}
			}
			a.Packet(input, p)
			delivered.Add(1)
			return nil
		}, Tick: a.Tick})
		queueDropped.Store(st.QueueDropped)
		runErr = err
		a.Finish()
		cross <- a.CrossFindings()
		close(sessions)
	}()

	src := tui.Stream(sessions, cross, tui.StreamOptions{Name: "live " + fl.iface, CaptureFile: fl.write, Stats: stats, Stop: cancel})
	appErr := runApp(tui.New(src, uo))
	cancel()
	<-runDone
	final := stats()
	capture.Close()
	if pw != nil {
		ended := time.Now()
		isb := pcapgo.NgInterfaceStatistics{LastUpdate: ended, StartTime: capture.Started(), EndTime: ended,
			PacketsReceived: kernel.Received, PacketsDropped: kernel.Dropped}
		if err := pw.Close(&isb); err != nil && writeErr == nil {
			writeErr = fmt.Errorf("-w %s: %v", fl.write, cleanErr(err))
		}
	}
	stderr := cmd.ErrOrStderr()
	fmt.Fprintf(stderr, "sscope: %s: %d packets analyzed, %d dropped by the kernel, %d by sscope\n", fl.iface, final.Packets, final.KernelDrops, final.Drops)
	switch {
	case appErr != nil:
		return appErr
	case writeErr != nil:
		return &exitError{code: exitUsage, msg: writeErr.Error()}
	case runErr != nil:
		return &exitError{code: exitPartial, msg: fmt.Sprintf("capture on %s failed: %v", fl.iface, runErr)}
	}
	return nil
}
