package main

import (
	"io"
	"log"
	"net"
	"sync"
)

// roundRobinProxy hands each accepted connection to the next backend.
type roundRobinProxy struct {
	backends []string
	logger   *log.Logger
	count    int
}

// serve accepts connections until the listener fails.
func (p *roundRobinProxy) serve(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		backend := p.backends[p.count%len(p.backends)]
		p.logger.Printf("connection %d from %v -> backend %d (%s)", p.count, c.RemoteAddr(), p.count%len(p.backends), backend)
		p.count++
		go p.pipe(c, backend)
	}
}

// pipe copies bytes both ways between the client and the chosen backend,
// passing half-closes along so each side sees the other's FIN.
func (p *roundRobinProxy) pipe(client net.Conn, backend string) {
	defer client.Close()
	server, err := net.Dial("tcp", backend)
	if err != nil {
		p.logger.Printf("dial %s: %v", backend, err)
		return
	}
	defer server.Close()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); copyAndCloseWrite(server, client) }()
	go func() { defer wg.Done(); copyAndCloseWrite(client, server) }()
	wg.Wait()
}

func copyAndCloseWrite(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}
