package main

import (
	"bufio"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"
)

// loadTicketKey reads a 32-byte session ticket key written as 64 hex digits.
func loadTicketKey(path string) ([32]byte, error) {
	var key [32]byte
	b, err := os.ReadFile(path)
	if err != nil {
		return key, err
	}
	raw, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		return key, fmt.Errorf("%s: %v", path, err)
	}
	if len(raw) != len(key) {
		return key, fmt.Errorf("%s: want %d bytes of hex, have %d", path, len(key), len(raw))
	}
	copy(key[:], raw)
	return key, nil
}

// newServerConfig returns a TLS 1.2-only configuration. With a ticket key the
// server issues and accepts RFC 5077 tickets sealed with it; without one it
// has session tickets disabled (Go's server keeps no session-ID cache, so
// then nothing can be resumed).
func newServerConfig(certFile, keyFile, ticketKeyFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		MaxVersion:   tls.VersionTLS12,
	}
	if ticketKeyFile == "" {
		cfg.SessionTicketsDisabled = true
		return cfg, nil
	}
	key, err := loadTicketKey(ticketKeyFile)
	if err != nil {
		return nil, err
	}
	cfg.SetSessionTicketKeys([][32]byte{key})
	return cfg, nil
}

// tlsServer answers each connection with one line saying how the handshake
// went, and logs the same line.
type tlsServer struct {
	name   string
	config *tls.Config
	logger *log.Logger
	count  int
}

func (s *tlsServer) serve(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		s.count++
		go s.handle(tls.Server(c, s.config), s.count)
	}
}

func (s *tlsServer) handle(c *tls.Conn, n int) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if err := c.Handshake(); err != nil {
		s.logger.Printf("%s connection %d from %v: handshake failed: %v", s.name, n, c.RemoteAddr(), err)
		return
	}
	st := c.ConnectionState()
	line := fmt.Sprintf("%s connection %d from %v: handshake complete version=%s cipher=%s did_resume=%t",
		s.name, n, c.RemoteAddr(), tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite), st.DidResume)
	s.logger.Print(line)
	// Read the request head (the lab client sends one short HTTP request).
	r := bufio.NewReader(c)
	for {
		l, err := r.ReadString('\n')
		if err != nil || strings.TrimSpace(l) == "" {
			break
		}
	}
	fmt.Fprintf(c, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n%s\r\n", line)
}
