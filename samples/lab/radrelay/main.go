package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
)

// backendList collects repeated -backend flags.
type backendList []string

func (b *backendList) String() string     { return strings.Join(*b, ",") }
func (b *backendList) Set(v string) error { *b = append(*b, v); return nil }

func main() {
	listen := flag.String("listen", "127.0.0.1:1812", "front UDP address (host:port)")
	var backends backendList
	flag.Var(&backends, "backend", "backend RADIUS server host:port (repeat)")
	flag.Parse()
	if len(backends) == 0 {
		fmt.Fprintln(os.Stderr, "radrelay: at least one -backend is required")
		os.Exit(2)
	}
	logger := log.New(os.Stdout, "radrelay: ", log.LstdFlags|log.Lmicroseconds)
	la, err := net.ResolveUDPAddr("udp", *listen)
	if err != nil {
		logger.Fatal(err)
	}
	front, err := net.ListenUDP("udp", la)
	if err != nil {
		logger.Fatal(err)
	}
	conns, err := dialBackends(backends)
	if err != nil {
		logger.Fatal(err)
	}
	logger.Printf("listening on %v, backends %v", front.LocalAddr(), backends)
	logger.Fatal(newRelay(front, conns, logger).run())
}
