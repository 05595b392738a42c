package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sessionscope/sscope/correlate/source"
)

// The live capture tests run sscope in a network namespace of their own
// with a veth pair: frames written on one end (rp0) with a raw AF_PACKET
// socket arrive on the other (cap0), where `sscope live` captures them.

// helperArgs carries the command line of a helper process.
const helperArgs = "SSCOPE_HELPER_ARGS"

// TestLiveHelperProcess is not a test: it is how the live tests run the
// command as a separate process (inside a namespace, or as another user).
func TestLiveHelperProcess(t *testing.T) {
	args := os.Getenv(helperArgs)
	if args == "" {
		return
	}
	os.Exit(run(strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr))
}

// helperCommand runs the command line args in this test binary, through
// prefix (e.g. "ip netns exec NAME") when given.
func helperCommand(t *testing.T, prefix []string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	argv := append(append([]string{}, prefix...), exe, "-test.run=^TestLiveHelperProcess$", "-test.count=1")
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), helperArgs+"="+strings.Join(args, "\x1f"))
	// TestMain changes to the repository root from here.
	cmd.Dir = filepath.Join("cmd", "sscope")
	return cmd
}

var nsSeq atomic.Int32

type testNetns struct {
	name string
}

// newTestNetns makes a namespace with the veth pair rp0 (replay) and cap0
// (capture), both up, without IPv6 (so no neighbour discovery chatter).
func newTestNetns(t *testing.T) *testNetns {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("live capture needs Linux")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("iproute2 ('ip') is not installed: the live capture tests need network namespaces")
	}
	ns := &testNetns{name: fmt.Sprintf("sscope-test-%d-%d", os.Getpid(), nsSeq.Add(1))}
	if out, err := exec.Command("ip", "netns", "add", ns.name).CombinedOutput(); err != nil {
		t.Skipf("cannot create a network namespace (%v: %s): the live capture tests need root (CAP_SYS_ADMIN, CAP_NET_RAW)",
			err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns.name).Run() })
	_ = exec.Command("ip", "netns", "exec", ns.name, "sh", "-c",
		"echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6").Run()
	ns.ip(t, "link", "add", "rp0", "mtu", "9000", "type", "veth", "peer", "name", "cap0", "mtu", "9000")
	for _, dev := range []string{"rp0", "cap0"} {
		_ = exec.Command("ip", "-n", ns.name, "link", "set", "dev", dev, "addrgenmode", "none").Run()
		ns.ip(t, "link", "set", "dev", dev, "up")
	}
	return ns
}

func (ns *testNetns) ip(t *testing.T, args ...string) {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"-n", ns.name}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// rawSocket opens a packet socket on dev inside the namespace that sends
// and receives nothing else. The thread that entered the namespace ends
// with its goroutine.
func (ns *testNetns) rawSocket(t *testing.T, dev string) int {
	t.Helper()
	type result struct {
		fd  int
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread is discarded
		f, err := os.Open(filepath.Join("/var/run/netns", ns.name))
		if err != nil {
			ch <- result{-1, err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- result{-1, fmt.Errorf("setns: %w", err)}
			return
		}
		ifc, err := net.InterfaceByName(dev)
		if err != nil {
			ch <- result{-1, err}
			return
		}
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			ch <- result{-1, err}
			return
		}
		if err := unix.Bind(fd, &unix.SockaddrLinklayer{Ifindex: ifc.Index}); err != nil {
			unix.Close(fd)
			ch <- result{-1, err}
			return
		}
		ch <- result{fd, nil}
	}()
	r := <-ch
	if r.err != nil {
		t.Fatalf("raw socket on %s: %v", dev, r.err)
	}
	t.Cleanup(func() { unix.Close(r.fd) })
	return r.fd
}

// captureFrames reads every frame of a sample capture.
func captureFrames(t *testing.T, path string) []source.Packet {
	t.Helper()
	r, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []source.Packet
	var p source.Packet
	for r.Next(&p) == nil {
		q := p
		q.Data = append([]byte(nil), p.Data...)
		out = append(out, q)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no frames", path)
	}
	return out
}

// replay writes the frames in order, keeping the capture's gaps but no
// longer than 2 ms (and at least 100 µs).
func replay(t *testing.T, fd int, frames []source.Packet) {
	t.Helper()
	for i, f := range frames {
		if i > 0 {
			gap := f.Timestamp.Sub(frames[i-1].Timestamp)
			time.Sleep(min(max(gap, 100*time.Microsecond), 2*time.Millisecond))
		}
		if _, err := unix.Write(fd, f.Data); err != nil {
			t.Fatalf("replaying frame %d (%d bytes): %v", f.Frame, len(f.Data), err)
		}
	}
}

// liveProcess is a running `sscope live`.
type liveProcess struct {
	t      *testing.T
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	ready  chan struct{}
	done   chan struct{}
	err    error
}

// startLive starts `sscope ARGS...` in the namespace and waits until it
// captures.
func startLive(t *testing.T, ns *testNetns, args ...string) *liveProcess {
	t.Helper()
	lp := &liveProcess{t: t, ready: make(chan struct{}), done: make(chan struct{})}
	lp.cmd = helperCommand(t, []string{"ip", "netns", "exec", ns.name}, args...)
	outPipe, err := lp.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errPipe, err := lp.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		buf := make([]byte, 32<<10)
		for {
			n, err := outPipe.Read(buf)
			lp.mu.Lock()
			lp.stdout.Write(buf[:n])
			lp.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(errPipe)
		once := sync.Once{}
		for sc.Scan() {
			lp.mu.Lock()
			lp.stderr.WriteString(sc.Text() + "\n")
			lp.mu.Unlock()
			if strings.Contains(sc.Text(), "capturing on") {
				once.Do(func() { close(lp.ready) })
			}
		}
	}()
	go func() {
		wg.Wait()
		lp.err = lp.cmd.Wait()
		close(lp.done)
	}()
	t.Cleanup(func() {
		select {
		case <-lp.done:
		default:
			lp.cmd.Process.Kill()
			<-lp.done
		}
	})
	select {
	case <-lp.ready:
	case <-lp.done:
		t.Fatalf("sscope %s ended before capturing: %v\n%s", strings.Join(args, " "), lp.err, lp.Stderr())
	case <-time.After(15 * time.Second):
		t.Fatalf("sscope %s did not start capturing:\n%s", strings.Join(args, " "), lp.Stderr())
	}
	return lp
}

func (lp *liveProcess) Stdout() string {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	return lp.stdout.String()
}

func (lp *liveProcess) Stderr() string {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	return lp.stderr.String()
}

// stop sends sig and returns the exit code.
func (lp *liveProcess) stop(sig syscall.Signal) int {
	lp.t.Helper()
	if err := lp.cmd.Process.Signal(sig); err != nil {
		lp.t.Fatalf("signal: %v", err)
	}
	select {
	case <-lp.done:
	case <-time.After(15 * time.Second):
		lp.t.Fatalf("sscope did not stop on %v:\n%s", sig, lp.Stderr())
	}
	return lp.cmd.ProcessState.ExitCode()
}
