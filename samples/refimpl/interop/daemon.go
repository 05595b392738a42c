package interop

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Daemon is a peer server (FreeRADIUS, hostapd) run as a child process in
// the foreground, its standard output and error collected in memory and
// copied to a log file.
type Daemon struct {
	Name string
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
	err  error // the result of Wait, valid once done is closed
}

// StartDaemon starts path with args, output to logPath (created) and to
// memory. The caller must call Stop.
func StartDaemon(name, logPath, path string, args ...string) (*Daemon, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	d := &Daemon{Name: name, out: &lockedBuffer{copyTo: logFile}, done: make(chan struct{})}
	d.cmd = exec.Command(path, args...)
	d.cmd.Stdout = d.out
	d.cmd.Stderr = d.out
	if err := d.cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		d.err = d.cmd.Wait()
		logFile.Close()
		close(d.done)
	}()
	return d, nil
}

// WaitForLine waits until the output contains substr. It fails when the
// process exits first or the timeout passes.
func (d *Daemon) WaitForLine(substr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if strings.Contains(d.Output(), substr) {
			return nil
		}
		select {
		case <-d.done:
			if strings.Contains(d.Output(), substr) {
				return nil
			}
			return fmt.Errorf("%s exited (%v) before printing %q", d.Name, d.err, substr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not print %q within %v", d.Name, substr, timeout)
		}
	}
}

// Output returns everything the process printed so far.
func (d *Daemon) Output() string { return d.out.String() }

// Running reports whether the process has not exited.
func (d *Daemon) Running() bool {
	select {
	case <-d.done:
		return false
	default:
		return true
	}
}

// Stop ends the process (SIGTERM, then SIGKILL after two seconds) and waits
// for it. A process that had already exited is not an error.
func (d *Daemon) Stop() error {
	if !d.Running() {
		return nil
	}
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-d.done:
		return nil
	case <-time.After(2 * time.Second):
	}
	if err := d.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	<-d.done
	return nil
}

// lockedBuffer collects a child's output: the process writes from the exec
// package's copying goroutine while the test reads.
type lockedBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	copyTo *os.File
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.copyTo != nil {
		b.copyTo.Write(p) // best effort: the log file is for people, memory is for tests
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
