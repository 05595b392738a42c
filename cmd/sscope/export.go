package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
)

type exportFlags struct {
	reportFlags
	sessions []string
	write    string
}

const exportLong = `Analyze FILE as 'sscope analyze' does (give the same --radius-ports,
--tls-ports and --no-tls-detect so that session ids match) and write the frames
of the named sessions to a new capture, for a ticket or for Wireshark.

A RADIUS session's frames are its RADIUS packets (other conversations on the
same NAS socket stay out); a TLS or DTLS session's are every frame of its
connection, handshake to close; IP fragments of a chosen datagram come along.
The output is pcapng when its name ends in .pcapng, pcap otherwise; '-' writes
pcap to standard output.`

func newExportCmd() *cobra.Command {
	var fl exportFlags
	cmd := &cobra.Command{
		Use:   "export FILE --session ID -w OUT.pcap",
		Short: "Write the frames of one session to a pcap or pcapng file",
		Long:  exportLong,
		Example: `  sscope export customer.pcapng --session eap-2 -w eap-2.pcap
  sscope export customer.pcapng --session tls-3,tls-4 -w portal.pcapng
  sscope export customer.pcapng --session eap-2 -w - | wireshark -k -i -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd, args[0], &fl)
		},
	}
	fl.registerAnalysis(cmd)
	f := cmd.Flags()
	f.StringSliceVar(&fl.sessions, "session", nil, "session `ID` to export (as in the report; several: comma-separated)")
	f.StringVarP(&fl.write, "write", "w", "", "write to `OUT` (.pcapng: pcapng, else pcap; '-': pcap on standard output)")
	_ = cmd.MarkFlagFilename("write", "pcap", "pcapng")
	return cmd
}

func runExport(cmd *cobra.Command, path string, fl *exportFlags) error {
	if len(fl.sessions) == 0 {
		return &exitError{code: exitUsage, msg: "export needs --session ID (the ids are in 'sscope analyze' output)\n" + cmd.UseLine()}
	}
	if fl.write == "" {
		return &exitError{code: exitUsage, msg: "export needs -w OUT.pcap ('-' writes pcap to standard output)\n" + cmd.UseLine()}
	}
	if path == "-" {
		return &exitError{code: exitUsage, msg: "export reads FILE more than once: give a file, not standard input"}
	}
	fl.format = "text" // no report is written
	opts, err := fl.options(cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	opts.KeepSessions = true
	a := correlate.New(opts)
	inputErr := a.ReadFile(path, nil)
	rep := a.Finish()
	var inputErrs []error
	if inputErr != nil {
		inputErrs = append(inputErrs, inputErr)
		if len(rep.Sessions) == 0 {
			return inputExit(cmd.ErrOrStderr(), inputErrs, rep)
		}
	}

	byID := make(map[string]*report.Session, len(rep.Sessions))
	for _, s := range rep.Sessions {
		byID[s.ID] = s
	}
	want := map[uint64]bool{}
	var last uint64
	var names []string
	for _, id := range fl.sessions {
		id = strings.TrimSpace(id)
		s := byID[id]
		if s == nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("--session %s: no such session in %s (%s)", id, path, sessionIDs(rep))}
		}
		frames, exact, err := correlate.SessionFrames(path, s)
		if err != nil && len(frames) == 0 {
			return &exitError{code: exitUsage, msg: err.Error()}
		}
		if !exact {
			fmt.Fprintf(cmd.ErrOrStderr(), "sscope: warning: %s has more events than its timeline keeps; its frames were chosen by address and port\n", id)
		}
		for _, n := range frames {
			want[n] = true
			last = max(last, n)
		}
		names = append(names, id)
	}

	n, err := writeFrames(cmd.OutOrStdout(), path, fl.write, want, last)
	if err != nil {
		return &exitError{code: exitUsage, msg: err.Error()}
	}
	if fl.write != "-" {
		fmt.Fprintf(cmd.ErrOrStderr(), "sscope: wrote %d frames of %s to %s\n", n, strings.Join(names, ", "), fl.write)
	}
	return inputExit(cmd.ErrOrStderr(), inputErrs, rep)
}

// sessionIDs lists a report's session ids for an error message.
func sessionIDs(rep *report.Report) string {
	if len(rep.Sessions) == 0 {
		return "it has no sessions"
	}
	ids := make([]string, 0, len(rep.Sessions))
	for i, s := range rep.Sessions {
		if i == 20 {
			ids = append(ids, fmt.Sprintf("… %d more", len(rep.Sessions)-20))
			break
		}
		ids = append(ids, s.ID)
	}
	return "sessions: " + strings.Join(ids, ", ")
}

// packetWriter is a pcap or pcapng writer.
// writeFrames copies the frames in want (none after last) from path to
// out and returns how many it wrote.
func writeFrames(stdout io.Writer, path, out string, want map[uint64]bool, last uint64) (int, error) {
	r, err := source.Open(path)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	// The frames, read first: a pcap file needs one link type.
	var frames []source.Packet
	links := map[packet.LinkType]bool{}
	var p source.Packet
	for r.Next(&p) == nil && p.Frame <= last {
		if want[p.Frame] {
			q := p
			q.Data = append([]byte(nil), p.Data...)
			frames = append(frames, q)
			links[p.Link] = true
		}
	}
	ng := strings.EqualFold(filepath.Ext(out), ".pcapng")
	if !ng && len(links) > 1 {
		return 0, fmt.Errorf("-w %s: the frames have %d link types; a pcap file holds one: name it .pcapng", out, len(links))
	}
	var w io.Writer = stdout
	var f *os.File
	if out != "-" {
		if f, err = os.Create(out); err != nil {
			return 0, fmt.Errorf("-w %s: %v", out, cleanErr(err))
		}
		defer f.Close()
		w = f
	}
	err = source.WritePackets(w, frames, source.WriteOptions{Pcapng: ng, Interface: filepath.Base(path), Application: "sscope " + buildVersion() + " export"})
	if err == nil && f != nil {
		err = f.Close()
	}
	if err != nil {
		if f != nil {
			os.Remove(out)
		}
		return 0, fmt.Errorf("-w %s: %v", out, err)
	}
	return len(frames), nil
}
