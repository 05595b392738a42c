package model

import (
	"strings"
	"unicode"
)

// Filter selects sessions. It is a list of terms that must all match
// (case-insensitive substrings). A term is either plain text, matched
// against every field below, or field:text, matched against one field:
//
//	id        session ID ("eap-2")
//	kind      kind ("radius-eap", "tls"), its label ("PEAP"), EAP methods
//	identity  user names, outer and inner identities, TLS server name (also: user)
//	mac       client MAC and Calling-Station-Id; separators are ignored
//	ip        client, server, NAS and framed addresses
//	verdict   handshake verdicts ("refused", "resumed", "full", ...)
//	outcome   success, failure, incomplete, unknown
//	finding   finding IDs ("tls-resumption-refused") and severities
//	client    the client's key and label
//
// A term starting with '!' excludes what it matches. Double quotes keep
// spaces inside a term.
type Filter struct {
	raw   string
	terms []term
}

type term struct {
	field string // "" for any field
	text  string // lower case
	neg   bool
}

// Filter fields.
const (
	FieldID       = "id"
	FieldKind     = "kind"
	FieldIdentity = "identity"
	FieldMAC      = "mac"
	FieldIP       = "ip"
	FieldVerdict  = "verdict"
	FieldOutcome  = "outcome"
	FieldFinding  = "finding"
	FieldClient   = "client"
)

var fieldAliases = map[string]string{
	FieldID: FieldID, FieldKind: FieldKind, FieldIdentity: FieldIdentity, "user": FieldIdentity,
	FieldMAC: FieldMAC, FieldIP: FieldIP, FieldVerdict: FieldVerdict, FieldOutcome: FieldOutcome,
	FieldFinding: FieldFinding, "findings": FieldFinding, FieldClient: FieldClient,
}

// Fields lists the filter's field names.
func Fields() []string {
	return []string{FieldID, FieldKind, FieldIdentity, FieldMAC, FieldIP, FieldVerdict, FieldOutcome, FieldFinding, FieldClient}
}

// ParseFilter reads a filter as the user typed it. Every input is a valid
// filter: an unknown field name makes the whole term plain text.
func ParseFilter(q string) Filter {
	f := Filter{raw: strings.TrimSpace(q)}
	for _, w := range splitTerms(f.raw) {
		t := term{}
		if strings.HasPrefix(w, "!") && len(w) > 1 {
			t.neg = true
			w = w[1:]
		}
		if i := strings.IndexByte(w, ':'); i > 0 {
			if field, ok := fieldAliases[strings.ToLower(w[:i])]; ok {
				t.field = field
				w = w[i+1:]
			}
		}
		t.text = strings.ToLower(strings.Trim(w, `"`))
		if t.text == "" {
			continue
		}
		f.terms = append(f.terms, t)
	}
	return f
}

// splitTerms splits at spaces outside double quotes.
func splitTerms(s string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case unicode.IsSpace(r) && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// String is the filter as typed (trimmed).
func (f Filter) String() string { return f.raw }

// Empty reports whether the filter lets everything through.
func (f Filter) Empty() bool { return len(f.terms) == 0 }

// Match reports whether a session passes the filter.
func (f Filter) Match(e *Entry) bool {
	if len(f.terms) == 0 {
		return true
	}
	idx := e.matchIndex()
	for _, t := range f.terms {
		if idx.has(t) == t.neg {
			return false
		}
	}
	return true
}

// matchIndex holds a session's searchable values per field, in lower case.
type matchIndex struct {
	fields map[string][]string
	// macs holds the MAC-like values reduced to hex digits.
	macs []string
}

func (e *Entry) matchIndex() *matchIndex {
	if e.index != nil {
		return e.index
	}
	s := e.Session
	m := &matchIndex{fields: make(map[string][]string)}
	add := func(field string, vals ...string) {
		for _, v := range vals {
			if v != "" {
				m.fields[field] = append(m.fields[field], strings.ToLower(v))
			}
		}
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	add(FieldID, s.ID)
	add(FieldKind, s.Kind, e.Kind)
	add(FieldIdentity, e.Identity, deref(s.Client.Identity))
	add(FieldMAC, deref(s.Client.MAC), CallingStation(s))
	add(FieldIP, s.Client.IP, s.Server.IP)
	add(FieldVerdict, e.Verdict)
	add(FieldOutcome, s.Outcome)
	add(FieldClient, s.ClientKey, s.ClientLabel)
	if x := s.EAP; x != nil {
		add(FieldKind, x.Method)
		add(FieldKind, x.InnerMethods...)
		add(FieldIdentity, deref(x.OuterIdentity))
		add(FieldIdentity, x.InnerIdentities...)
		add(FieldIP, deref(x.RADIUS.NASIP), deref(x.RADIUS.FramedIP))
		add(FieldMAC, deref(x.RADIUS.CallingStationID))
	}
	if x := s.RADIUS; x != nil {
		add(FieldKind, x.RequestCode, deref(x.AuthMethod))
		add(FieldIdentity, deref(x.UserName))
		add(FieldIP, deref(x.NASIP), deref(x.FramedIP))
		add(FieldMAC, deref(x.CallingStationID))
	}
	if s.TLS != nil {
		add(FieldIdentity, deref(s.TLS.ServerName))
	}
	for i := range s.Handshakes {
		h := &s.Handshakes[i]
		add(FieldVerdict, HandshakeVerdict(h), h.Kind, h.Version, deref(h.Resumption))
		add(FieldIdentity, deref(h.ServerName))
	}
	for _, fd := range s.Findings {
		add(FieldFinding, fd.ID, fd.Severity)
	}
	for _, v := range m.fields[FieldMAC] {
		if h := hexDigits(v); len(h) >= 2 {
			m.macs = append(m.macs, h)
		}
	}
	e.index = m
	return m
}

func (m *matchIndex) has(t term) bool {
	if t.field != "" {
		return m.fieldHas(t.field, t.text)
	}
	for field := range m.fields {
		if m.fieldHas(field, t.text) {
			return true
		}
	}
	return false
}

func (m *matchIndex) fieldHas(field, text string) bool {
	for _, v := range m.fields[field] {
		if strings.Contains(v, text) {
			return true
		}
	}
	if field == FieldMAC {
		// "02-00-5e" finds "02:00:5e:20:00:51".
		if h := hexDigits(text); len(h) >= 2 && len(h) < len(text) || len(h) >= 4 && len(h) == len(text) {
			for _, v := range m.macs {
				if strings.Contains(v, h) {
					return true
				}
			}
		}
	}
	return false
}

// hexDigits returns s reduced to its hex digits when s is made of hex
// digits and MAC separators only; else "".
func hexDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f', r >= 'A' && r <= 'F':
			b.WriteRune(unicode.ToLower(r))
		case r == ':' || r == '-' || r == '.':
		default:
			return ""
		}
	}
	return b.String()
}
