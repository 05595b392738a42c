package rules

import (
	"fmt"
	"sort"

	"github.com/sessionscope/sscope/correlate/report"
)

// pairKey groups a client's handshakes with one server.
type pairKey struct {
	kind, client, server string
}

// hsSummary is what the cross-session rules keep of one handshake.
type hsSummary struct {
	session       string
	first         uint64
	kind          string
	tls13         bool
	offeredID     bool
	refused       bool
	resumed       string
	newID         bool
	emptyID       bool
	ticketIssued  bool
	ticketOffered bool
}

type pairState struct {
	key        pairKey
	clientName string
	serverName string
	hs         []hsSummary
	lastSess   string
	order      int
	// pacBased: the pair runs EAP-FAST, whose servers resume by PAC
	// (stateless) and need assign no session IDs.
	pacBased bool
}

// crossTracker keeps a compact summary per client and server.
type crossTracker struct {
	pairs map[pairKey]*pairState
	n     int
}

func newCrossTracker() *crossTracker { return &crossTracker{pairs: make(map[pairKey]*pairState)} }

// maxPerPair bounds what is kept per client and server.
const maxPerPair = 1000

func (c *crossTracker) observe(s *report.Session) {
	if len(s.Handshakes) == 0 || (s.Kind != report.KindTLS && s.Kind != report.KindRADIUSEAP) {
		return
	}
	client := s.ClientKey
	if client == "" {
		client = s.Client.IP
	}
	k := pairKey{kind: s.Kind, client: client, server: fmt.Sprintf("%s:%d", s.Server.IP, s.Server.Port)}
	p := c.pairs[k]
	if p == nil {
		c.n++
		p = &pairState{key: k, clientName: who(s), serverName: server(s), order: c.n}
		c.pairs[k] = p
	}
	p.lastSess = s.ID
	if s.EAP != nil && s.EAP.Method == "EAP-FAST" {
		p.pacBased = true
	}
	for _, h := range s.Handshakes {
		if h.Renegotiation || len(p.hs) >= maxPerPair || h.Version == "SSL 2.0" {
			continue
		}
		sum := hsSummary{
			session:       s.ID,
			first:         h.FirstFrame,
			kind:          h.Kind,
			tls13:         h.Version == "TLS 1.3",
			offeredID:     h.Offered.SessionID != "",
			refused:       h.ResumptionRefused != nil && *h.ResumptionRefused && h.Offered.SessionID != "" && !h.Offered.Ticket && !h.Offered.PACOpaque,
			newID:         h.ServerSessionID != "" && h.ServerSessionID != h.Offered.SessionID,
			emptyID:       h.ServerSessionID == "" && h.CipherSuite != nil,
			ticketIssued:  h.TicketIssued,
			ticketOffered: h.Offered.Ticket || h.Offered.PACOpaque,
		}
		if h.Resumption != nil {
			sum.resumed = *h.Resumption
		}
		p.hs = append(p.hs, sum)
	}
}

func (c *crossTracker) findings() []report.Finding {
	pairs := make([]*pairState, 0, len(c.pairs))
	for _, p := range c.pairs {
		pairs = append(pairs, p)
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].order < pairs[j].order })
	var out []report.Finding
	for _, p := range pairs {
		out = append(out, idsNeverAccepted(p)...)
		out = append(out, noSessionCache(p)...)
		out = append(out, resumptionWorks(p)...)
	}
	return out
}

// idsNeverAccepted: every ServerHello assigns an ID, the client offers the
// previous one, and no offer is ever accepted (scenario T1).
func idsNeverAccepted(p *pairState) []report.Finding {
	var assigned, refused, resumedByID int
	var frames []uint64
	var sess string
	for _, h := range p.hs {
		if h.tls13 {
			return nil
		}
		if h.newID {
			assigned++
		}
		if h.refused {
			refused++
			frames = append(frames, h.first)
			sess = h.session
		}
		if h.resumed == report.ResumeSessionID {
			resumedByID++
		}
	}
	if refused < 2 || resumedByID > 0 || assigned < refused {
		return nil
	}
	sum := fmt.Sprintf("%s assigned a new TLS session ID in %s with %s; the client offered a previous ID %s and it was never accepted.",
		cap1(p.serverName), plural(assigned, "handshake", "handshakes"), p.clientName, plural(refused, "time", "times"))
	hint := "Session IDs are assigned but never found again: the connections land on servers that do not share a session cache (a load balancer without persistence, or several RADIUS nodes), or the cache is flushed. Use persistence/stickiness, a shared cache, or stateless resumption with a shared ticket key (RFC 5077)."
	f := finding(report.SeverityWarning, sum, hint, frames...)
	f.ID = "tls-ids-never-accepted"
	f.Session = sess
	return []report.Finding{f}
}

// noSessionCache: the server never assigns IDs or tickets (scenario T3).
func noSessionCache(p *pairState) []report.Finding {
	if p.pacBased {
		// RFC 4851: EAP-FAST resumes statelessly with the PAC; empty
		// session IDs are its design, not a disabled cache.
		return nil
	}
	var full, empty int
	var frames []uint64
	var sess string
	for _, h := range p.hs {
		if h.tls13 || h.kind != report.HandshakeFull {
			continue
		}
		full++
		if h.emptyID && !h.ticketIssued {
			empty++
			frames = append(frames, h.first)
			sess = h.session
		}
	}
	if full == 0 || empty != full {
		return nil
	}
	sum := fmt.Sprintf("%s never assigned a TLS session ID or ticket in %s with %s: resumption is impossible by design (session cache disabled).",
		cap1(p.serverName), plural(full, "full handshake", "full handshakes"), p.clientName)
	hint := "Every connection pays a full handshake. If faster reconnection (or EAP session resume / fast reconnect) is wanted, enable the server's TLS session cache or session tickets."
	f := finding(report.SeverityInfo, sum, hint, frames...)
	f.ID = "tls-no-session-cache"
	f.Session = sess
	return []report.Finding{f}
}

// resumptionWorks says which mechanism resumed sessions (scenario T2, P2).
func resumptionWorks(p *pairState) []report.Finding {
	counts := map[string]int{}
	var frames []uint64
	var sess string
	for _, h := range p.hs {
		if h.kind == report.HandshakeAbbreviated && h.resumed != "" {
			counts[h.resumed]++
			frames = append(frames, h.first)
			sess = h.session
		}
	}
	if len(frames) == 0 {
		return nil
	}
	mechs := make([]string, 0, len(counts))
	for m := range counts {
		mechs = append(mechs, m)
	}
	sort.Strings(mechs)
	desc := ""
	for i, m := range mechs {
		if i > 0 {
			desc += ", "
		}
		desc += fmt.Sprintf("%d by %s", counts[m], m)
	}
	sum := fmt.Sprintf("%s resumed %s of %d with %s (%s).", cap1(p.serverName), plural(len(frames), "handshake", "handshakes"), len(p.hs), p.clientName, desc)
	f := finding(report.SeverityInfo, sum, "Resumption works here; abbreviated handshakes skip the certificate exchange and key agreement.", frames...)
	f.ID = "tls-resumption-works"
	f.Session = sess
	return []report.Finding{f}
}

func cap1(s string) string {
	if s == "" {
		return s
	}
	if s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
