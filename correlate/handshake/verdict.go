package handshake

import (
	"fmt"
	"strings"

	"github.com/sessionscope/sscope/correlate/report"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// Verdict judges a handshake for the report.
func (h *Handshake) Verdict() report.TLSHandshake {
	v := report.TLSHandshake{
		Version:           "unknown",
		ClientCertificate: report.ClientCertUnknown,
		Renegotiation:     h.Renegotiation,
		FirstFrame:        h.First.Frame,
		LastFrame:         h.Last.Frame,
		Messages:          append([]string{}, h.Messages...),
		TicketIssued:      h.TicketIssued,
		ServerCerts:       certInfos(h.reg, h.ServerCerts),
		ClientCerts:       certInfos(h.reg, h.ClientCerts),
	}
	if h.chRef.Frame != 0 {
		v.FirstFrame = h.chRef.Frame
	}
	v.ServerHelloFrame = h.shRef.Frame
	ch := h.FirstClientHello
	if ch == nil {
		ch = h.ClientHello
	}
	if ch != nil {
		v.ClientSessionID = hexs(ch.SessionID)
		v.Offered.SessionID = v.ClientSessionID
		offeredTicket := ch.TicketSupported && len(ch.SessionTicket) > 0
		v.Offered.PACOpaque = offeredTicket && h.pacInTicket
		v.Offered.Ticket = offeredTicket && !h.pacInTicket
		v.Offered.PSK = len(ch.PSKIdentities) > 0
		v.Offered.AnonymousSuite = offersAnonymous(ch)
		v.ClientVersion = ch.MaxVersion().String()
		v.ExtendedMaster = ch.ExtendedMasterSecret
		v.ClientRandom = hexs(ch.Random[:])
		if ch.ServerName != "" {
			s := ch.ServerName
			v.ServerName = &s
		}
	}
	sh := h.ServerHello
	if sh != nil {
		v.Version = sh.NegotiatedVersion().String()
		v.ServerSessionID = hexs(sh.SessionID)
		if sh.Version != tlsd.VersionSSL20 {
			name := tlsd.CipherSuiteName(sh.CipherSuite)
			v.CipherSuite = &name
			if info, ok := tlsd.CipherSuiteInfo(sh.CipherSuite); ok {
				v.Anonymous = info.Anonymous
			}
		}
		v.ExtendedMaster = v.ExtendedMaster && sh.ExtendedMasterSecret
	} else if ch != nil && h.Encrypted {
		v.Version = "unknown"
	}
	if h.Encrypted && sh == nil {
		v.ExtendedMaster = false
	}
	if h.Alert != nil {
		v.Alert = alertReport(h.Alert)
	}

	// Kind.
	switch {
	case h.Complete():
		v.Kind = report.HandshakeFull
		if h.abbreviated() {
			v.Kind = report.HandshakeAbbreviated
		}
	case h.Alert != nil || h.ended:
		v.Kind = report.HandshakeFailed
	default:
		v.Kind = report.HandshakeIncomplete
	}

	// Client certificate.
	switch {
	case h.Encrypted:
		v.ClientCertificate = report.ClientCertUnknown
	case h.clientCertMsg && len(h.ClientCerts) > 0:
		v.ClientCertificate = report.ClientCertSent
	case h.clientCertMsg:
		v.ClientCertificate = report.ClientCertEmpty
	case h.CertRequested:
		v.ClientCertificate = report.ClientCertUnknown
	case sh != nil && sh.NegotiatedVersion().IsTLS13():
		// The CertificateRequest would be encrypted.
		v.ClientCertificate = report.ClientCertUnknown
	case h.ServerHelloDone || h.abbreviated() && h.Complete():
		v.ClientCertificate = report.ClientCertNotRequested
	case sh == nil && h.Alert != nil && !h.Alert.Encrypted && h.Alert.Dir == ServerToClient:
		// The server refused the ClientHello outright: nothing was
		// requested.
		v.ClientCertificate = report.ClientCertNotRequested
	}

	h.judgeResumption(&v, ch, sh)
	return v
}

// judgeResumption fills resumption, resumption_refused and its note.
func (h *Handshake) judgeResumption(v *report.TLSHandshake, ch *tlsd.ClientHello, sh *tlsd.ServerHello) {
	f := false
	t := true
	abbrev := h.abbreviated() && (h.Complete() || sh != nil || h.Encrypted)
	if ch == nil {
		if abbrev {
			v.ResumptionRefused = &f
		}
		if h.Encrypted {
			v.RefusalNote = "the handshake ran encrypted inside the connection; its ClientHello cannot be read"
		}
		return
	}
	offeredSomething := v.Offered.SessionID != "" || v.Offered.Ticket || v.Offered.PACOpaque || v.Offered.PSK
	if abbrev {
		var mech string
		switch {
		case sh != nil && sh.NegotiatedVersion().IsTLS13():
			mech = report.ResumePSK
		case v.Offered.PACOpaque:
			mech = report.ResumePAC
		case v.Offered.Ticket:
			mech = report.ResumeTicket
		case v.Offered.SessionID != "" && v.Offered.SessionID == v.ServerSessionID:
			mech = report.ResumeSessionID
		}
		if mech != "" {
			v.Resumption = &mech
		}
		v.ResumptionRefused = &f
		return
	}
	if !offeredSomething {
		v.ResumptionRefused = &f
		return
	}
	if sh == nil {
		v.RefusalNote = "no ServerHello was seen, so whether the offer would have been accepted is unknown"
		return
	}
	// A full handshake (or one that failed after the ServerHello).
	switch {
	case v.Offered.PACOpaque:
		v.ResumptionRefused = &t
		v.RefusalNote = fmt.Sprintf("the client presented a PAC-Opaque (%d bytes) and the server did not build the tunnel from it", len(ch.SessionTicket))
	case v.Offered.Ticket:
		v.ResumptionRefused = &t
		v.RefusalNote = fmt.Sprintf("the client offered a session ticket (%d bytes) and the server answered with a full handshake", len(ch.SessionTicket))
	case v.Offered.PSK:
		v.ResumptionRefused = &t
		v.RefusalNote = "the client offered a TLS 1.3 PSK and the server did not accept it"
	case h.offerAssigned != nil:
		v.ResumptionRefused = &t
		a := h.offerAssigned
		v.RefusalNote = fmt.Sprintf("the client offered session ID %s, which %s assigned in frame %d (input %d); the server answered with a full handshake", report.ShortHex(v.Offered.SessionID), serverWord(a.Server), a.At.Frame, a.At.Input)
	case !ch.MaxVersion().IsTLS13():
		v.ResumptionRefused = &t
		v.RefusalNote = "the client cannot speak TLS 1.3, so its non-empty session ID is a resumption attempt; the server answered with a full handshake"
	default:
		v.RefusalNote = "the client is TLS 1.3-capable and may send a random session ID for middlebox compatibility; the capture never showed a server assign this ID, so whether it was a resumption attempt is unknown"
	}
}

// OfferedAssignment returns where the offered session ID was assigned, if
// the capture showed it.
func (h *Handshake) OfferedAssignment() (Assignment, bool) {
	if h.offerAssigned == nil {
		return Assignment{}, false
	}
	return *h.offerAssigned, true
}

func serverWord(s string) string {
	if s == "" {
		return "a server"
	}
	return "server " + s
}

func alertReport(a *Alert) *report.Alert {
	r := &report.Alert{Frame: a.At.Frame, Direction: a.Dir.String(), Encrypted: a.Encrypted}
	if a.Encrypted {
		r.Level = "unknown"
		r.Description = "encrypted alert"
		return r
	}
	r.Level = tlsd.LevelName(a.Level)
	r.Description = tlsd.DescriptionName(a.Description)
	return r
}

// AlertReport converts an alert for the report.
func AlertReport(a *Alert) *report.Alert {
	if a == nil {
		return nil
	}
	return alertReport(a)
}

func certInfos(reg *Registry, certs [][]byte) []report.CertInfo {
	out := make([]report.CertInfo, 0, len(certs))
	for _, der := range certs {
		s := reg.certSummary(der)
		// Byte strings are lowercase hex in the report.
		ci := report.CertInfo{Subject: s.Subject, Issuer: s.Issuer, Serial: strings.ToLower(s.SerialHex), DNSNames: s.DNSNames, SHA256: strings.ToLower(s.SHA256)}
		if ci.DNSNames == nil {
			ci.DNSNames = []string{}
		}
		if !s.NotBefore.IsZero() {
			nb := s.NotBefore.UTC().Format("2006-01-02T15:04:05Z")
			ci.NotBefore = &nb
		}
		if !s.NotAfter.IsZero() {
			na := s.NotAfter.UTC().Format("2006-01-02T15:04:05Z")
			ci.NotAfter = &na
		}
		if s.ParseError != "" {
			pe := s.ParseError
			ci.ParseError = &pe
		}
		out = append(out, ci)
	}
	return out
}

// offersAnonymous reports whether a ClientHello lists an anonymous
// (DH_anon, ECDH_anon) cipher suite.
func offersAnonymous(ch *tlsd.ClientHello) bool {
	for _, id := range ch.CipherSuites {
		if info, ok := tlsd.CipherSuiteInfo(id); ok && info.Anonymous {
			return true
		}
	}
	return false
}
