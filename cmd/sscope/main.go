// Command sscope analyzes packet captures of authentication and VPN
// handshakes — RADIUS, EAP, TLS — and writes per-client session timelines
// with verdicts and findings an engineer can paste into a ticket.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
