package tlsdecrypt

// OpenSSL at both ends (openssl s_client and s_server, an implementation
// independent of ours and of Go's), relayed through a recorder: it
// negotiates encrypt-then-MAC for CBC suites (RFC 7366), which neither
// crypto/tls nor the reference engine does, logs RSA premaster lines, and
// speaks DTLS.

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
)

const pkiDir = "../../samples/refimpl/pki"

// startServer runs openssl s_server for one connection and returns its
// address. Over TCP it says which port it took; for DTLS a free port is
// chosen for it (it does not tell).
func startServer(t *testing.T, dtls bool, args ...string) (addr string, srv *exec.Cmd, stdout *bytes.Buffer) {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	accept := "127.0.0.1:0"
	if dtls {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Skipf("no loopback UDP: %v", err)
		}
		accept = pc.LocalAddr().String()
		pc.Close()
	}
	base := []string{"s_server", "-accept", accept, "-naccept", "1",
		"-cert", filepath.Join(pkiDir, "server.pem"), "-key", filepath.Join(pkiDir, "server.key")}
	srv = exec.Command(path, append(base, args...)...)
	out, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	// Its standard input stays open: at its end an interactive s_server
	// quits.
	stdinW, err := srv.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(out)
	found := make(chan string, 1)
	go func() {
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(found)
				return
			}
			if a, ok := strings.CutPrefix(strings.TrimSpace(line), "ACCEPT"); ok {
				if dtls {
					a = accept
				}
				found <- strings.TrimSpace(a)
				return
			}
		}
	}()
	select {
	case a, ok := <-found:
		if !ok {
			srv.Process.Kill()
			srv.Wait()
			t.Fatal("s_server did not start")
		}
		addr = a
	case <-time.After(10 * time.Second):
		srv.Process.Kill()
		srv.Wait()
		t.Fatal("s_server did not say where it listens")
	}
	stdout = &bytes.Buffer{}
	copied := make(chan struct{})
	go func() {
		io.Copy(stdout, r)
		close(copied)
	}()
	t.Cleanup(func() {
		stdinW.Close()
		srv.Process.Kill()
		<-copied
		srv.Wait()
	})
	return addr, srv, stdout
}

// tcpRelay accepts one connection, connects it to server and records what
// goes through, until both sides close.
func tcpRelay(t *testing.T, server string) (addr string, done func() conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback TCP: %v", err)
	}
	rec := &pipeRecorder{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer ln.Close()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", server)
		if err != nil {
			c.Close()
			return
		}
		var inner sync.WaitGroup
		inner.Add(2)
		pump := func(dst, src net.Conn, dir Dir) {
			defer inner.Done()
			buf := make([]byte, 1<<16)
			for {
				n, err := src.Read(buf)
				if n > 0 {
					rec.mu.Lock()
					for _, r := range rec.streams[dir].add(buf[:n]) {
						rec.c.recs = append(rec.c.recs, dirRecord{dir, r})
					}
					rec.mu.Unlock()
					dst.Write(buf[:n])
				}
				if err != nil {
					if tc, ok := dst.(*net.TCPConn); ok {
						tc.CloseWrite()
					}
					return
				}
			}
		}
		go pump(s, c, ClientToServer)
		go pump(c, s, ServerToClient)
		inner.Wait()
		c.Close()
		s.Close()
	}()
	return ln.Addr().String(), func() conn {
		wg.Wait()
		return rec.c
	}
}

// runOpenSSL has s_client send request through the relay to s_server
// -www and returns the records, the client's key log and what it
// received.
func runOpenSSL(t *testing.T, serverArgs, clientArgs []string, request string) (conn, string, []byte) {
	t.Helper()
	saddr, _, _ := startServer(t, false, append([]string{"-www"}, serverArgs...)...)
	raddr, done := tcpRelay(t, saddr)
	kl := filepath.Join(t.TempDir(), "keys.log")
	args := append([]string{"s_client", "-connect", raddr, "-quiet", "-keylogfile", kl}, clientArgs...)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cl := exec.CommandContext(ctx, "openssl", args...)
	cl.Stdin = strings.NewReader(request)
	var stderr bytes.Buffer
	cl.Stderr = &stderr
	out, err := cl.Output()
	if err != nil {
		t.Fatalf("s_client: %v\n%s", err, stderr.String())
	}
	c := done()
	log, err := os.ReadFile(kl)
	if err != nil {
		t.Fatal(err)
	}
	return c, string(log), out
}

func TestOpenSSL(t *testing.T) {
	const request = "GET / HTTP/1.0\r\n\r\n"
	for _, tc := range []struct {
		name         string
		server       []string
		client       []string
		suite        uint16
		etm, rsaOnly bool
	}{
		{"TLS 1.2 RSA AES-128-CBC encrypt-then-MAC", []string{"-tls1_2"}, []string{"-cipher", "AES128-SHA"}, 0x002f, true, true},
		{"TLS 1.2 RSA AES-128-CBC MAC-then-encrypt", []string{"-tls1_2"}, []string{"-cipher", "AES128-SHA", "-no_etm"}, 0x002f, false, true},
		{"TLS 1.2 ECDHE AES-256-CBC-SHA384 encrypt-then-MAC", []string{"-tls1_2"}, []string{"-cipher", "ECDHE-RSA-AES256-SHA384"}, 0xc028, true, false},
		{"TLS 1.2 ECDHE ChaCha20-Poly1305", []string{"-tls1_2"}, []string{"-cipher", "ECDHE-RSA-CHACHA20-POLY1305"}, 0xcca8, false, false},
		{"TLS 1.0 ECDHE AES-128-CBC encrypt-then-MAC", []string{"-tls1", "-cipher", "ALL:@SECLEVEL=0"}, []string{"-tls1", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"}, 0xc013, true, false},
		{"TLS 1.1 RSA AES-256-CBC encrypt-then-MAC", []string{"-tls1_1", "-cipher", "ALL:@SECLEVEL=0"}, []string{"-tls1_1", "-cipher", "AES256-SHA:@SECLEVEL=0"}, 0x0035, true, true},
		{"TLS 1.3 ChaCha20-Poly1305", []string{"-tls1_3"}, []string{"-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"}, 0x1303, false, false},
		{"TLS 1.3 AES-256-GCM", []string{"-tls1_3"}, []string{"-ciphersuites", "TLS_AES_256_GCM_SHA384"}, 0x1302, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, keylog, response := runOpenSSL(t, tc.server, tc.client, request)
			if !bytes.HasPrefix(response, []byte("HTTP/1.0 200 ok")) {
				t.Fatalf("s_client received %.80q", response)
			}
			var sh tls.ServerHello
			for _, r := range c.recs {
				if r.dir == ServerToClient && r.rec.Type == tls.ContentHandshake && len(r.rec.Fragment) > 4 && r.rec.Fragment[0] == 2 {
					sh.Unmarshal(r.rec.Fragment[4:])
					break
				}
			}
			if sh.CipherSuite != tc.suite || sh.EncryptThenMAC != tc.etm {
				t.Fatalf("negotiated %s, encrypt-then-MAC %v", tls.CipherSuiteName(sh.CipherSuite), sh.EncryptThenMAC)
			}
			check := func(how string, o Options) {
				d := New(o)
				app, res := decryptAll(d, c)
				if errs := errorsOf(res); len(errs) > 0 {
					t.Fatalf("%s: %d records not decrypted: %v", how, len(errs), errs[0])
				}
				if string(app[ClientToServer]) != request || !bytes.Equal(app[ServerToClient], response) {
					t.Fatalf("%s: decrypted %q / %d bytes, s_client got %d", how, app[0], len(app[1]), len(response))
				}
			}
			check("key log", Options{Keys: storeOf(t, keylog)})
			if tc.rsaOnly {
				s := keys.NewStore()
				s.AddRSAKey(pki.Server().Key)
				check("RSA key", Options{Keys: s})
				// OpenSSL also logs an RSA premaster line; alone it does.
				var rsaLines strings.Builder
				for _, l := range strings.SplitAfter(keylog, "\n") {
					if strings.HasPrefix(l, "RSA ") {
						rsaLines.WriteString(l)
					}
				}
				check("RSA key log line", Options{Keys: storeOf(t, rsaLines.String())})
			}
		})
	}
}

// TestOpenSSLDTLS relays DTLS 1.2 and DTLS 1.0 connections (datagrams
// recorded as they pass) and decrypts what the client sent to what
// s_server printed.
func TestOpenSSLDTLS(t *testing.T) {
	for _, tc := range []struct {
		version, cipher string
		suite           uint16
	}{
		{"-dtls1_2", "ECDHE-RSA-AES128-GCM-SHA256", 0xc02f},
		{"-dtls1_2", "ECDHE-RSA-AES256-SHA", 0xc014},
		{"-dtls1", "ECDHE-RSA-AES128-SHA", 0xc013},
	} {
		v := tc.version
		t.Run(v+" "+tc.cipher, func(t *testing.T) {
			saddr, srv, stdout := startServer(t, true, v, "-cipher", "ALL:@SECLEVEL=0")
			ua, err := net.ResolveUDPAddr("udp", saddr)
			if err != nil {
				t.Fatal(err)
			}
			relay, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
			if err != nil {
				t.Skipf("no loopback UDP: %v", err)
			}
			defer relay.Close()
			up, err := net.DialUDP("udp", nil, ua)
			if err != nil {
				t.Fatal(err)
			}
			defer up.Close()
			rec := &pipeRecorder{}
			rec.streams[0].dtls, rec.streams[1].dtls = true, true
			var client net.Addr
			var mu sync.Mutex
			record := func(dir Dir, b []byte) {
				rec.mu.Lock()
				defer rec.mu.Unlock()
				for _, r := range rec.streams[dir].add(b) {
					rec.c.recs = append(rec.c.recs, dirRecord{dir, r})
				}
				rec.streams[dir].buf = nil // a datagram holds whole records
			}
			go func() {
				buf := make([]byte, 1<<16)
				for {
					n, from, err := relay.ReadFrom(buf)
					if err != nil {
						return
					}
					mu.Lock()
					client = from
					mu.Unlock()
					record(ClientToServer, buf[:n])
					up.Write(buf[:n])
				}
			}()
			go func() {
				buf := make([]byte, 1<<16)
				for {
					n, err := up.Read(buf)
					if err != nil {
						return
					}
					record(ServerToClient, buf[:n])
					mu.Lock()
					to := client
					mu.Unlock()
					relay.WriteTo(buf[:n], to)
				}
			}()
			kl := filepath.Join(t.TempDir(), "keys.log")
			const message = "hello over DTLS\n"
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cl := exec.CommandContext(ctx, "openssl", "s_client", v, "-connect", relay.LocalAddr().String(), "-quiet", "-no_ign_eof",
				"-keylogfile", kl, "-cipher", tc.cipher+":@SECLEVEL=0")
			cl.Stdin = strings.NewReader(message)
			if out, err := cl.CombinedOutput(); err != nil {
				t.Fatalf("s_client: %v %s", err, out)
			}
			waitExit(srv, 5*time.Second)
			log, err := os.ReadFile(kl)
			if err != nil {
				t.Fatal(err)
			}
			rec.mu.Lock()
			c := rec.c
			rec.mu.Unlock()
			d := New(Options{DTLS: true, Keys: storeOf(t, string(log))})
			app, res := decryptAll(d, c)
			if errs := errorsOf(res); len(errs) > 0 {
				t.Fatalf("%d records not decrypted: %v", len(errs), errs[0])
			}
			if string(app[ClientToServer]) != message || !strings.Contains(stdout.String(), strings.TrimSpace(message)) {
				t.Fatalf("decrypted %q, s_server printed %q", app[ClientToServer], stdout.String())
			}
			if st := d.Status(); st.Decrypted < 3 || st.CipherSuite != tc.suite {
				t.Fatalf("%+v", st)
			}
		})
	}
}

// waitExit waits for a process to end, killing it after d.
func waitExit(c *exec.Cmd, d time.Duration) {
	done := make(chan struct{})
	go func() { c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		c.Process.Kill()
		<-done
	}
}
