package handshake

import (
	"fmt"
	"strings"

	"github.com/sessionscope/sscope/correlate/report"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

func describeClientHello(ch *tlsd.ClientHello, pac bool) string {
	var parts []string
	parts = append(parts, "max "+ch.MaxVersion().String())
	if len(ch.SessionID) == 0 {
		parts = append(parts, "session ID empty")
	} else {
		parts = append(parts, fmt.Sprintf("session ID %s (%d bytes)", report.ShortHex(hexs(ch.SessionID)), len(ch.SessionID)))
	}
	switch {
	case ch.TicketSupported && len(ch.SessionTicket) > 0 && pac:
		parts = append(parts, fmt.Sprintf("PAC-Opaque of %d bytes", len(ch.SessionTicket)))
	case ch.TicketSupported && len(ch.SessionTicket) > 0:
		parts = append(parts, fmt.Sprintf("session ticket of %d bytes", len(ch.SessionTicket)))
	case ch.TicketSupported:
		parts = append(parts, "supports tickets")
	}
	if len(ch.PSKIdentities) > 0 {
		parts = append(parts, fmt.Sprintf("%d PSK identit(y/ies)", len(ch.PSKIdentities)))
	}
	if ch.ServerName != "" {
		parts = append(parts, "SNI "+ch.ServerName)
	}
	parts = append(parts, fmt.Sprintf("%d cipher suites", len(ch.CipherSuites)))
	if anon := anonymousSuites(ch.CipherSuites); anon > 0 {
		parts = append(parts, fmt.Sprintf("%d anonymous", anon))
	}
	return strings.Join(parts, ", ")
}

func anonymousSuites(suites []uint16) int {
	n := 0
	for _, s := range suites {
		if info, ok := tlsd.CipherSuiteInfo(s); ok && info.Anonymous {
			n++
		}
	}
	return n
}

func describeServerHello(sh *tlsd.ServerHello, status string) string {
	var parts []string
	parts = append(parts, sh.NegotiatedVersion().String(), tlsd.CipherSuiteName(sh.CipherSuite))
	switch status {
	case "empty":
		parts = append(parts, "session ID empty")
	case "same":
		parts = append(parts, "same session ID as offered ("+report.ShortHex(hexs(sh.SessionID))+")")
	default:
		parts = append(parts, "new session ID "+report.ShortHex(hexs(sh.SessionID)))
	}
	if sh.HasSelectedPSK {
		parts = append(parts, "PSK accepted")
	}
	if sh.TicketSupported {
		parts = append(parts, "will issue a ticket")
	}
	return strings.Join(parts, ", ")
}
