package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/tui/frames"
	"github.com/sessionscope/sscope/tui/keymap"
	"github.com/sessionscope/sscope/tui/model"
)

// summaryView shows the selected session as a whole: endpoints, extent,
// EAP or RADIUS facts, handshakes with their verdicts, findings.
type summaryView struct {
	*textPane
	back func()
}

func newSummaryView(t *theme) *summaryView {
	return &summaryView{textPane: newTextPane(t)}
}

func (v *summaryView) name() string { return "Session summary" }

func (v *summaryView) bindings() []binding {
	return append(scrollBindings(v.textPane), binding{keymap.Back, "back to the sessions", func() { v.back() }})
}

// fieldsView shows the selected event and its frame's decoded headers.
type fieldsView struct {
	*textPane
	back func()
	open func()
}

func newFieldsView(t *theme) *fieldsView {
	return &fieldsView{textPane: newTextPane(t)}
}

func (v *fieldsView) name() string { return "Event fields" }

func (v *fieldsView) bindings() []binding {
	return append(scrollBindings(v.textPane),
		binding{keymap.Enter, "go to the hex dump", func() { v.open() }},
		binding{keymap.Back, "back to the timeline", func() { v.back() }})
}

// hexView shows the selected event's frame as a hex dump.
type hexView struct {
	*textPane
	back func()
}

func newHexView(t *theme) *hexView {
	return &hexView{textPane: newTextPane(t)}
}

func (v *hexView) name() string { return "Hex dump" }

func (v *hexView) bindings() []binding {
	return append(scrollBindings(v.textPane), binding{keymap.Back, "back to the event fields", func() { v.back() }})
}

// field formats one "name: value" line with a hanging indent.
func field(t *theme, name, value string) textLine {
	const nameWidth = 12
	pad := ""
	if n := nameWidth - textWidth(name); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	return textLine{text: "  " + name + pad + " " + value, style: t.normal, indent: nameWidth + 3}
}

func heading(t *theme, text string) textLine {
	return textLine{text: text, style: t.header, indent: 2}
}

func deref(p *string, none string) string {
	if p == nil || *p == "" {
		return none
	}
	return *p
}

// summaryLines describes a session for the summary pane.
func summaryLines(t *theme, e *model.Entry, inputName func(int) string) []textLine {
	s := e.Session
	var out []textLine
	head := fmt.Sprintf("%s  %s  %s", s.ID, s.Kind, strings.ToUpper(s.Outcome))
	if len(s.Handshakes) > 0 {
		head += "  handshake: " + e.Verdict
	}
	out = append(out, textLine{text: head, style: t.title})
	if s.Summary != "" {
		out = append(out, textLine{text: s.Summary, style: t.normal, indent: 2})
	}
	client := fmt.Sprintf("%s:%d", s.Client.IP, s.Client.Port)
	var ids []string
	if s.Client.MAC != nil {
		ids = append(ids, "MAC "+*s.Client.MAC)
	}
	if cs := model.CallingStation(s); cs != "" {
		ids = append(ids, "Calling-Station-Id "+cs)
	}
	if len(ids) > 0 {
		client += " (" + strings.Join(ids, ", ") + ")"
	}
	out = append(out, field(t, "client", client))
	out = append(out, field(t, "server", fmt.Sprintf("%s:%d", s.Server.IP, s.Server.Port)))
	identity := e.Identity
	if x := s.EAP; x != nil && x.OuterIdentity != nil && *x.OuterIdentity != identity {
		identity += fmt.Sprintf(" (outer identity %s)", *x.OuterIdentity)
	}
	out = append(out, field(t, "identity", identity))
	out = append(out, field(t, "frames", fmt.Sprintf("%d–%d of %s, %d packets, %s", s.FirstFrame, s.LastFrame, inputName(s.Input), s.Packets, s.End.Sub(s.Start.Time).Round(time.Microsecond))))
	out = append(out, field(t, "start", s.Start.UTC().Format(report.TimeLayout)))
	if x := s.EAP; x != nil {
		parts := []string{"method " + x.Method}
		if len(x.InnerMethods) > 0 {
			parts = append(parts, "inner "+strings.Join(x.InnerMethods, ", "))
		}
		if len(x.InnerIdentities) > 0 {
			parts = append(parts, "inner identities "+strings.Join(x.InnerIdentities, ", "))
		}
		parts = append(parts, fmt.Sprintf("%d rounds, %d request(s), %d retransmission(s), final %s", x.Rounds, x.RADIUS.Requests, x.RADIUS.Retransmissions, deref(x.RADIUS.FinalCode, "none")))
		if x.RADIUS.NASIP != nil {
			parts = append(parts, "NAS "+*x.RADIUS.NASIP)
		}
		out = append(out, field(t, "eap", strings.Join(parts, ", ")))
		if f := x.FAST; f != nil {
			out = append(out, field(t, "eap-fast", fmt.Sprintf("tunnel %s, provisioning %s, PAC in ClientHello %s, chaining %s, cryptobinding %s",
				deref(f.Tunnel, "not built"), deref(f.Provisioning, "none"), deref(f.PACInClientHello, "none"), f.Chaining, deref(f.Cryptobinding, "none"))))
		}
	}
	if x := s.RADIUS; x != nil {
		parts := []string{x.RequestCode}
		if x.AuthMethod != nil {
			parts = append(parts, *x.AuthMethod)
		}
		if x.UserName != nil {
			parts = append(parts, fmt.Sprintf("user %q", *x.UserName))
		}
		parts = append(parts, fmt.Sprintf("%d request(s), %d retransmission(s), final %s", x.Requests, x.Retransmissions, deref(x.FinalCode, "none")))
		out = append(out, field(t, "radius", strings.Join(parts, ", ")))
	}
	for i := range s.Handshakes {
		out = append(out, field(t, fmt.Sprintf("handshake %d", i+1), handshakeLine(&s.Handshakes[i])))
		if h := &s.Handshakes[i]; h.RefusalNote != "" {
			out = append(out, field(t, "", "note: "+h.RefusalNote))
		}
	}
	if len(s.Findings) > 0 {
		out = append(out, heading(t, fmt.Sprintf("Findings (%d)", len(s.Findings))))
		for _, f := range s.Findings {
			out = append(out, findingLines(t, f, "  ")...)
		}
	}
	if s.Filter != "" {
		out = append(out, field(t, "wireshark", s.Filter))
	}
	return out
}

func handshakeLine(h *report.TLSHandshake) string {
	parts := []string{h.Version + " " + model.HandshakeVerdict(h)}
	if h.CipherSuite != nil {
		parts = append(parts, *h.CipherSuite)
	}
	switch {
	case h.Offered.PACOpaque:
		parts = append(parts, "offered a PAC-Opaque")
	case h.Offered.Ticket:
		parts = append(parts, "offered a session ticket")
	case h.Offered.PSK:
		parts = append(parts, "offered a PSK")
	case h.Offered.SessionID != "":
		parts = append(parts, "offered session ID "+report.ShortHex(h.Offered.SessionID))
	}
	switch {
	case h.ServerSessionID == "":
		parts = append(parts, "server session ID empty")
	case h.ServerSessionID == h.ClientSessionID:
		parts = append(parts, "server session ID same as offered")
	default:
		parts = append(parts, "server session ID "+report.ShortHex(h.ServerSessionID)+" (new)")
	}
	if h.ResumptionRefused != nil && *h.ResumptionRefused {
		parts = append(parts, "RESUMPTION REFUSED")
	}
	parts = append(parts, "client certificate "+h.ClientCertificate)
	if h.Alert != nil {
		parts = append(parts, fmt.Sprintf("alert %s %s", h.Alert.Level, h.Alert.Description))
	}
	parts = append(parts, fmt.Sprintf("frames %d–%d", h.FirstFrame, h.LastFrame))
	return strings.Join(parts, ", ")
}

func findingLines(t *theme, f report.Finding, indent string) []textLine {
	n := len(indent)
	out := []textLine{{text: fmt.Sprintf("%s%s %s: %s", indent, severityMarker(f.Severity), f.ID, f.Summary), style: t.severity(f.Severity), indent: n + 2}}
	if len(f.Frames) > 0 {
		out = append(out, textLine{text: indent + "  frames: " + frameList(f.Frames), style: t.dim, indent: n + 4})
	}
	if f.Hint != "" {
		out = append(out, textLine{text: indent + "  hint: " + f.Hint, style: t.normal, indent: n + 4})
	}
	return out
}

func frameList(fr []uint64) string {
	s := make([]string, len(fr))
	for i, n := range fr {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

// frameState is what the inspector knows of the selected event's frame.
type frameState struct {
	frame   *frames.Frame
	loading bool
	err     error
}

// eventLines describes an event and its frame for the fields pane.
func eventLines(t *theme, e *model.Entry, ev *report.Event, fs frameState, inputName func(int) string, opts frames.DescribeOptions) []textLine {
	s := e.Session
	dir := map[string]string{report.C2S: "client → server", report.S2C: "server → client"}[ev.Direction]
	if dir == "" {
		dir = ev.Direction
	}
	out := []textLine{
		heading(t, "Event"),
		field(t, "time", fmt.Sprintf("%s UTC (%+.6f s)", ev.Time.UTC().Format("15:04:05.000000000"), ev.Time.Sub(s.Start.Time).Seconds())),
		field(t, "frame", fmt.Sprintf("%d of %s", ev.Frame, inputName(ev.Input))),
		field(t, "direction", dir),
		field(t, "layer", ev.Layer),
		field(t, "event", ev.Event),
	}
	if ev.Detail != "" {
		out = append(out, field(t, "detail", ev.Detail))
	}
	for _, f := range s.Findings {
		for _, n := range f.Frames {
			if n == ev.Frame && ev.Input == s.Input {
				out = append(out, findingLines(t, f, "")...)
				break
			}
		}
	}
	switch {
	case ev.Frame == 0:
	case fs.loading:
		out = append(out, textLine{text: fmt.Sprintf("reading frame %d…", ev.Frame), style: t.dim})
	case fs.err != nil:
		out = append(out, textLine{text: fmt.Sprintf("frame %d: %v", ev.Frame, fs.err), style: t.dim, indent: 2})
	case fs.frame != nil:
		for _, f := range frames.Describe(fs.frame, opts) {
			if f.Depth == 0 {
				h := f.Name
				if f.Value != "" {
					h += " " + f.Value
				}
				out = append(out, heading(t, h))
				continue
			}
			out = append(out, field(t, f.Name, f.Value))
		}
	}
	return out
}
