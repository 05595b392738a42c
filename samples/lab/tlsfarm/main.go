package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
)

// addrList collects repeated -backend flags.
type addrList []string

func (a *addrList) String() string     { return strings.Join(*a, ",") }
func (a *addrList) Set(v string) error { *a = append(*a, v); return nil }

func usage() {
	fmt.Fprintln(os.Stderr, "usage: tlsfarm proxy -listen ADDR -backend ADDR [-backend ADDR ...]")
	fmt.Fprintln(os.Stderr, "       tlsfarm server -listen ADDR -cert FILE -key FILE [-ticket-key FILE] [-name NAME]")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	logger := log.New(os.Stdout, "tlsfarm: ", log.LstdFlags|log.Lmicroseconds)
	switch os.Args[1] {
	case "proxy":
		fs := flag.NewFlagSet("proxy", flag.ExitOnError)
		listen := fs.String("listen", "127.0.0.1:8443", "front TCP address")
		var backends addrList
		fs.Var(&backends, "backend", "backend host:port (repeat)")
		_ = fs.Parse(os.Args[2:])
		if len(backends) == 0 {
			usage()
		}
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			logger.Fatal(err)
		}
		logger.Printf("proxy listening on %v, backends %v", ln.Addr(), backends)
		p := &roundRobinProxy{backends: backends, logger: logger}
		logger.Fatal(p.serve(ln))
	case "server":
		fs := flag.NewFlagSet("server", flag.ExitOnError)
		listen := fs.String("listen", "127.0.0.1:9443", "TCP address")
		certFile := fs.String("cert", "", "certificate chain (PEM)")
		keyFile := fs.String("key", "", "private key (PEM)")
		ticketKey := fs.String("ticket-key", "", "file with a 32-byte session ticket key in hex; none disables tickets")
		name := fs.String("name", "backend", "name used in logs and answers")
		_ = fs.Parse(os.Args[2:])
		cfg, err := newServerConfig(*certFile, *keyFile, *ticketKey)
		if err != nil {
			logger.Fatal(err)
		}
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			logger.Fatal(err)
		}
		logger.Printf("%s listening on %v (TLS 1.2, tickets %t)", *name, ln.Addr(), !cfg.SessionTicketsDisabled)
		s := &tlsServer{name: *name, config: cfg, logger: logger}
		logger.Fatal(s.serve(ln))
	default:
		usage()
	}
}
