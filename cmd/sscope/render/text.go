package render

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/sessionscope/sscope/correlate/report"
)

// TextOptions shape the text report.
type TextOptions struct {
	// Width wraps long lines (0: 100 columns).
	Width int
}

// Text writes the report for people: a header (inputs, packets, sessions,
// findings by severity), the findings, then per client its sessions with
// their handshakes, timelines and findings.
func Text(w io.Writer, r *report.Report, o TextOptions) error {
	if o.Width <= 0 {
		o.Width = 100
	}
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, width: o.Width}
	t.header(r)
	t.findings(r)
	t.clients(r)
	t.problems(r)
	return bw.Flush()
}

type textWriter struct {
	w     *bufio.Writer
	width int
}

func (t *textWriter) line(format string, args ...any) {
	fmt.Fprintf(t.w, format+"\n", args...)
}

// wrapped writes text after a prefix, wrapping at the width with the
// continuation lines indented to indent columns.
func (t *textWriter) wrapped(prefix string, indent int, text string) {
	avail := t.width - indent
	if avail < 30 {
		avail = 30
	}
	first := true
	cur := prefix
	curLen := len([]rune(prefix))
	for _, word := range strings.Fields(text) {
		wl := len([]rune(word))
		if curLen > indent && curLen+1+wl > t.width && !(first && curLen == len([]rune(prefix))) {
			t.w.WriteString(strings.TrimRight(cur, " ") + "\n")
			cur = strings.Repeat(" ", indent)
			curLen = indent
			first = false
		}
		if curLen > indent && !strings.HasSuffix(cur, " ") {
			cur += " "
			curLen++
		}
		cur += word
		curLen += wl
	}
	t.w.WriteString(strings.TrimRight(cur, " ") + "\n")
}

func (t *textWriter) header(r *report.Report) {
	kinds := map[string]int{}
	for _, s := range r.Sessions {
		kinds[s.Kind]++
	}
	t.headerWith(r, len(r.Sessions), kinds)
}

// headerWith writes the header for a report whose sessions (n of them, by
// kind) may have been written already.
func (t *textWriter) headerWith(r *report.Report, nSessions int, kinds map[string]int) {
	t.line("SessionScope %s — %s", r.Generator.Version, plural(len(r.Inputs), "input", "inputs"))
	for i, in := range r.Inputs {
		span := ""
		if in.FirstSeen != nil && in.LastSeen != nil {
			span = fmt.Sprintf(", %s → %s (%s)", in.FirstSeen.UTC().Format("2006-01-02 15:04:05.000"),
				in.LastSeen.UTC().Format("15:04:05.000 MST"), in.LastSeen.Sub(in.FirstSeen.Time).Round(time.Millisecond))
		}
		links := strings.Join(in.LinkTypes, ", ")
		if links == "" {
			links = "no packets"
		}
		t.wrapped(fmt.Sprintf("  [%d] %s ", i, in.Path), 6, fmt.Sprintf("(%s, %s): %d packets, %s%s", in.Format, links, in.Packets, HumanBytes(in.Bytes), span))
		if in.Error != nil {
			t.wrapped("      ! ", 8, *in.Error)
		}
		if c := in.Capture; c != nil {
			t.capture(c)
		}
	}
	t.keys(r.Options.Keys)
	st := r.Stats
	t.line("packets  %d: %d decoded, %d skipped (other protocols), %d malformed, %d truncated",
		st.Packets, st.Decoded, st.Skipped, st.Malformed, st.Truncated)
	if st.IPFragmentsReassembled+st.TCPStreams+st.TCPGaps > 0 {
		t.line("         %d IP datagrams reassembled from fragments, %d TCP streams followed, %d TCP gaps (%d bytes lost)",
			st.IPFragmentsReassembled, st.TCPStreams, st.TCPGaps, st.TCPGapBytes)
	}
	t.line("sessions %d%s for %s", nSessions, kindList(kinds), plural(len(r.Clients), "client", "clients"))
	sev := map[string]int{}
	for _, f := range r.Findings {
		sev[f.Severity]++
	}
	t.line("findings %d error(s), %d warning(s), %d info", sev[report.SeverityError], sev[report.SeverityWarning], sev[report.SeverityInfo])
	t.line("")
}

// capture describes a live capture under its input line.
func (t *textWriter) capture(c *report.Capture) {
	filter := "none (every packet)"
	if c.Filter != "" {
		filter = c.Filter
	}
	t.wrapped("      capture filter: ", 8, filter)
	lost := "no packets lost"
	if n := c.KernelDropped + c.QueueDropped; n > 0 {
		lost = fmt.Sprintf("PACKETS LOST: %d dropped by the kernel, %d by sscope", c.KernelDropped, c.QueueDropped)
	}
	t.wrapped("      ", 8, fmt.Sprintf("live on %s (stopped: %s); kernel received %d; %s", c.Interface, c.Stopped, c.KernelReceived, lost))
	if len(c.Files) > 0 {
		t.wrapped("      written to ", 8, strings.Join(c.Files, ", "))
	}
}

func kindList(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", m[k], k)
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// findings lists every finding; when more than two findings say the same
// thing (same rule, severity and hint) for different sessions, the first is
// shown in full and the others are named after it.
func (t *textWriter) findings(r *report.Report) {
	if len(r.Findings) == 0 {
		return
	}
	t.line("FINDINGS")
	type key struct{ id, sev, hint string }
	groups := map[key][]report.Finding{}
	var order []key
	for _, f := range r.Findings {
		k := key{f.ID, f.Severity, f.Hint}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], f)
	}
	for _, k := range order {
		g := groups[k]
		if len(g) <= 2 {
			for _, f := range g {
				t.finding("  ", f)
			}
			continue
		}
		t.finding("  ", g[0])
		var sessions []string
		for _, f := range g[1:] {
			sessions = append(sessions, f.Session)
		}
		t.wrapped(fmt.Sprintf("          … and %d more like it: ", len(g)-1), 12, strings.Join(sessions, ", ")+" (see each session below)")
	}
	t.line("")
}

func (t *textWriter) finding(indent string, f report.Finding) {
	head := fmt.Sprintf("%s%-7s %s [%s] ", indent, strings.ToUpper(f.Severity), f.Session, f.ID)
	t.wrapped(head, len(indent)+8, f.Summary)
	pad := indent + "        "
	if len(f.Frames) > 0 {
		t.wrapped(pad+"frames: ", len(pad)+2, frameList(f.Frames))
	}
	if f.Hint != "" {
		t.wrapped(pad+"hint: ", len(pad)+2, f.Hint)
	}
}

func frameList(fr []uint64) string {
	const max = 20
	parts := make([]string, 0, len(fr))
	for i, f := range fr {
		if i == max {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(fr)-max))
			break
		}
		parts = append(parts, fmt.Sprint(f))
	}
	return strings.Join(parts, ", ")
}

func (t *textWriter) clients(r *report.Report) {
	byID := make(map[string]*report.Session, len(r.Sessions))
	for _, s := range r.Sessions {
		byID[s.ID] = s
	}
	shown := make(map[string]bool)
	for _, c := range r.Clients {
		var ss []*report.Session
		for _, id := range c.Sessions {
			if s := byID[id]; s != nil {
				ss = append(ss, s)
			}
		}
		if len(ss) == 0 {
			continue
		}
		t.line("CLIENT %s  (%s, %s)", c.Label, c.Key, plural(len(ss), "session", "sessions"))
		for _, s := range ss {
			t.session(s)
			shown[s.ID] = true
		}
	}
	var rest []*report.Session
	for _, s := range r.Sessions {
		if !shown[s.ID] {
			rest = append(rest, s)
		}
	}
	if len(rest) > 0 {
		t.line("OTHER SESSIONS")
		for _, s := range rest {
			t.session(s)
		}
	}
}

func (t *textWriter) session(s *report.Session) {
	t.line("")
	t.wrapped(fmt.Sprintf("  %s  %s  %s  ", s.ID, s.Kind, strings.ToUpper(s.Outcome)), 4, s.Summary)
	t.line("    %s:%d → %s:%d, frames %d–%d of input %d, %d packets, %s",
		s.Client.IP, s.Client.Port, s.Server.IP, s.Server.Port, s.FirstFrame, s.LastFrame, s.Input, s.Packets,
		s.End.Sub(s.Start.Time).Round(time.Microsecond))
	if e := s.EAP; e != nil {
		t.eap(e)
		t.inner(e, s.Handshakes)
	}
	if x := s.RADIUS; x != nil {
		t.radius(x)
	}
	for i, h := range s.Handshakes {
		t.handshake(i+1, h)
	}
	if len(s.Timeline) > 0 {
		t.line("    timeline:")
		for _, e := range s.Timeline {
			rel := e.Time.Sub(s.Start.Time)
			head := fmt.Sprintf("    %+11.6f %6s %s %-6s %s", rel.Seconds(), fmt.Sprintf("#%d", e.Frame), e.Direction, e.Layer, e.Event)
			if e.Detail != "" {
				t.wrapped(head+": ", 30, e.Detail)
			} else {
				t.line("%s", head)
			}
		}
	}
	if len(s.Findings) > 0 {
		t.line("    findings:")
		for _, f := range s.Findings {
			t.finding("      ", f)
		}
	}
	t.wrapped("    display filter: ", 6, s.Filter)
}

func (t *textWriter) eap(e *report.EAP) {
	parts := []string{"method " + e.Method}
	if e.OuterIdentity != nil {
		parts = append(parts, fmt.Sprintf("identity %q", *e.OuterIdentity))
	}
	if len(e.InnerIdentities) > 0 {
		parts = append(parts, "inner "+strings.Join(e.InnerIdentities, ", "))
	}
	if len(e.Naks) > 0 {
		parts = append(parts, "NAKs "+strings.Join(e.Naks, "; "))
	}
	r := e.RADIUS
	final := "none"
	if r.FinalCode != nil {
		final = *r.FinalCode
	}
	parts = append(parts, fmt.Sprintf("%d rounds, %d request(s), %d retransmission(s), final %s", e.Rounds, r.Requests, r.Retransmissions, final))
	if r.MaxResponseMs != nil {
		parts = append(parts, fmt.Sprintf("slowest answer %.1f ms", *r.MaxResponseMs))
	}
	if r.NASIP != nil {
		parts = append(parts, "NAS-IP "+*r.NASIP)
	}
	if r.AuditSessionID != nil {
		parts = append(parts, "audit-session-id "+*r.AuditSessionID)
	}
	t.wrapped("    eap: ", 6, strings.Join(parts, ", "))
	if p := e.PEAP; p != nil {
		v := "unknown"
		if p.Version != nil {
			v = fmt.Sprint(*p.Version)
		}
		fr := "unknown (needs keys)"
		if p.FastReconnect != nil {
			fr = fmt.Sprint(*p.FastReconnect)
		}
		result := ""
		if p.ResultTLV != nil {
			result = ", Result TLV " + *p.ResultTLV
		}
		t.line("    peap: version %s, fast reconnect %s%s", v, fr, result)
	}
	if f := e.FAST; f != nil {
		t.fast(f, e.Decrypted)
	}
	if x := e.TTLS; x != nil {
		t.wrapped("    eap-ttls: AVPs ", 6, strings.Join(x.AVPs, ", "))
	}
}

func (t *textWriter) radius(x *report.RADIUSOnly) {
	parts := []string{x.RequestCode}
	if x.AuthMethod != nil {
		parts = append(parts, *x.AuthMethod)
	}
	if x.UserName != nil {
		parts = append(parts, fmt.Sprintf("user %q", *x.UserName))
	}
	if x.AcctStatusType != nil {
		parts = append(parts, "status "+*x.AcctStatusType)
	}
	final := "none"
	if x.FinalCode != nil {
		final = *x.FinalCode
	}
	parts = append(parts, fmt.Sprintf("%d request(s), %d retransmission(s), final %s", x.Requests, x.Retransmissions, final))
	t.wrapped("    radius: ", 6, strings.Join(parts, ", "))
}

func (t *textWriter) handshake(n int, h report.TLSHandshake) {
	var parts []string
	kind := h.Kind
	if h.Resumption != nil {
		kind += " (resumed by " + *h.Resumption + ")"
	}
	if h.Renegotiation {
		kind = "renegotiation, " + kind
	}
	parts = append(parts, h.Version+" "+kind)
	if h.CipherSuite != nil {
		s := *h.CipherSuite
		if h.Anonymous {
			s += " (anonymous)"
		}
		parts = append(parts, s)
	}
	offered := "nothing"
	switch {
	case h.Offered.PACOpaque:
		offered = "a PAC-Opaque"
	case h.Offered.Ticket:
		offered = "a session ticket"
	case h.Offered.PSK:
		offered = "a PSK"
	case h.Offered.SessionID != "":
		offered = "session ID " + report.ShortHex(h.Offered.SessionID)
	}
	parts = append(parts, "offered "+offered)
	switch {
	case h.ServerSessionID == "":
		parts = append(parts, "server session ID empty")
	case h.ServerSessionID == h.ClientSessionID:
		parts = append(parts, "server session ID same as offered")
	default:
		parts = append(parts, "server session ID "+report.ShortHex(h.ServerSessionID)+" (new)")
	}
	switch {
	case h.ResumptionRefused == nil && h.Offered.SessionID != "" && !h.Offered.Ticket && !h.Offered.PACOpaque && !h.Offered.PSK:
		parts = append(parts, "offered ID may be a TLS 1.3 compatibility value (refusal unknown)")
	case h.ResumptionRefused == nil:
		parts = append(parts, "resumption refused: unknown")
	case *h.ResumptionRefused:
		parts = append(parts, "RESUMPTION REFUSED")
	}
	parts = append(parts, "client certificate "+h.ClientCertificate)
	if h.Alert != nil {
		parts = append(parts, fmt.Sprintf("alert %s %s", h.Alert.Level, h.Alert.Description))
	}
	parts = append(parts, fmt.Sprintf("frames %d–%d", h.FirstFrame, h.LastFrame))
	t.wrapped(fmt.Sprintf("    handshake %d: ", n), 6, strings.Join(parts, ", "))
	if h.RefusalNote != "" && h.ResumptionRefused != nil && *h.ResumptionRefused {
		t.wrapped("      note: ", 8, h.RefusalNote)
	}
	t.decryption(h.Decryption)
	if len(h.ServerCerts) > 0 {
		c := h.ServerCerts[0]
		exp := ""
		if c.NotAfter != nil {
			exp = ", expires " + *c.NotAfter
		}
		t.wrapped("      server certificate: ", 8, fmt.Sprintf("%s (issuer %s%s)", c.Subject, c.Issuer, exp))
	}
}

func (t *textWriter) problems(r *report.Report) {
	if len(r.Problems) == 0 {
		return
	}
	t.line("")
	t.line("DECODING PROBLEMS")
	for _, p := range r.Problems {
		where := fmt.Sprintf("input %d", p.Input)
		if p.Frame > 0 {
			where += fmt.Sprintf(" frame %d", p.Frame)
		}
		count := ""
		if p.Count > 1 {
			count = fmt.Sprintf(" (×%d)", p.Count)
		}
		t.wrapped(fmt.Sprintf("  %s %s %s%s: ", where, p.Layer, p.Kind, count), 6, p.Detail)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// HumanBytes writes a byte count with a decimal unit (kB, MB, GB).
func HumanBytes(n uint64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for v := n / unit; v >= unit; v /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
