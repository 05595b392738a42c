package tui

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/tui/frames"
	"github.com/sessionscope/sscope/tui/model"
)

// commandHelp lists the commands of the command bar for the help screen.
var commandHelp = [][2]string{
	{":export PATH", "write the selected session's frames to a new capture file (.pcap, or .pcapng)"},
	{":export! PATH", "the same, replacing PATH if it exists"},
	{":json PATH", "write the selected session's report (JSON) to a new file"},
	{":json! PATH", "the same, replacing PATH if it exists"},
	{":filter TEXT", "filter the sessions (no TEXT: clear the filter)"},
	{":stop", "stop a live capture (the sessions stay to browse)"},
	{":findings", "the findings view"},
	{":sessions", "back to the sessions"},
	{":help", "this screen"},
	{":quit, :q", "quit"},
}

// command is one parsed command line.
type command struct {
	name  string
	force bool // name!
	arg   string
}

func parseCommand(line string) command {
	line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), ":"))
	name, arg, _ := strings.Cut(line, " ")
	c := command{name: strings.ToLower(name), arg: strings.TrimSpace(arg)}
	if strings.HasSuffix(c.name, "!") {
		c.force = true
		c.name = strings.TrimSuffix(c.name, "!")
	}
	return c
}

// expandPath expands a leading ~/ to the home directory.
func expandPath(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}

// writeSessionJSON writes a session's report as JSON to a new file.
func writeSessionJSON(path string, s *report.Session, overwrite bool) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if overwrite {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s: %w", path, frames.ErrExists)
		}
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// existsHint turns "file exists" into what to type instead.
func existsHint(err error, name, path string) string {
	if errors.Is(err, frames.ErrExists) {
		return fmt.Sprintf("%s exists: use :%s! %s to replace it", path, name, path)
	}
	return err.Error()
}

// runCommand runs a command bar line.
func (a *App) runCommand(line string) {
	c := parseCommand(line)
	switch c.name {
	case "":
	case "q", "quit", "exit":
		a.Stop()
	case "help", "h":
		a.openHelp()
	case "findings", "f":
		a.showPage(pageFindings)
	case "sessions", "s":
		a.showPage(pageMain)
		a.focus(a.sessions)
	case "filter":
		a.applyFilter(model.ParseFilter(c.arg))
		a.filterMessage()
	case "stop":
		switch {
		case !a.inputs.Live || a.inputs.Stop == nil:
			a.say("nothing to stop: this is not a live capture", true)
		case a.done:
			a.say("the capture has stopped already", false)
		default:
			a.inputs.Stop()
			a.say("stopping the capture…", false)
		}
	case "export", "json":
		s := a.commandSession()
		if s == nil {
			a.say("no session selected", true)
			return
		}
		if c.arg == "" {
			a.say(fmt.Sprintf("usage: :%s PATH", c.name), true)
			return
		}
		path := expandPath(c.arg)
		if c.name == "json" {
			if err := writeSessionJSON(path, s, c.force); err != nil {
				a.say(existsHint(err, c.name, c.arg), true)
				return
			}
			a.say(fmt.Sprintf("wrote %s's report to %s", s.ID, path), false)
			return
		}
		a.export(s, path, c.force, c.arg)
	default:
		names := []string{"export", "json", "filter", "stop", "findings", "sessions", "help", "quit"}
		a.say(fmt.Sprintf("unknown command %q (commands: %s)", c.name, strings.Join(names, ", ")), true)
	}
}

// commandSession is the session commands act on: the selected finding's
// in the findings view, else the selected session.
func (a *App) commandSession() *report.Session {
	if a.page == pageFindings {
		if r := a.findings.ref(); r != nil {
			return r.Entry.Session
		}
	}
	if a.current != nil {
		return a.current.Session
	}
	return nil
}

// export writes a session's frames to a capture file, off the UI's
// goroutine.
func (a *App) export(s *report.Session, path string, force bool, typed string) {
	if a.frames.Path(s.Input) == "" {
		a.say("no capture file to read the frames from", true)
		return
	}
	if _, err := os.Stat(path); err == nil && !force {
		a.say(existsHint(frames.ErrExists, "export", typed), true)
		return
	}
	a.say(fmt.Sprintf("writing %s's frames to %s…", s.ID, filepath.Base(path)), false)
	go func() {
		fs, exact, err := frames.SessionFrames(a.frames, s)
		if err == nil {
			err = frames.WriteFile(path, fs, force)
		}
		a.post(func() {
			if err != nil {
				a.say(existsHint(err, "export", typed), true)
			} else {
				note := ""
				if !exact {
					note = " (chosen by address and port: the timeline was cut)"
				}
				a.say(fmt.Sprintf("wrote %d frame%s of %s to %s%s", len(fs), plural(len(fs)), s.ID, path, note), false)
			}
			a.updateStatus()
		})
	}()
}
