package model

import (
	"sort"

	"github.com/sessionscope/sscope/correlate/report"
)

// Entry is one session with the labels a list row shows of it. The labels
// are made once, when the session arrives; Refresh remakes them after
// findings were added.
type Entry struct {
	Session  *report.Session
	Kind     string
	Identity string
	Verdict  string
	// Severity is that of the worst finding, "" when there is none.
	Severity string
	// Worst is the ID of the worst finding, "" when there is none.
	Worst string
	seq   int
	index *matchIndex
}

// Findings is how many findings the session has.
func (e *Entry) Findings() int { return len(e.Session.Findings) }

// Refresh remakes the labels from the session.
func (e *Entry) Refresh() {
	s := e.Session
	e.Kind = KindLabel(s)
	e.Identity = Identity(s)
	e.Verdict = Verdict(s)
	e.Severity, e.Worst = "", ""
	if i := WorstFinding(s.Findings); i >= 0 {
		e.Severity, e.Worst = s.Findings[i].Severity, s.Findings[i].ID
	}
	e.index = nil
}

// before orders entries by where they start in the capture, then by
// arrival.
func (e *Entry) before(o *Entry) bool {
	a, b := e.Session, o.Session
	if a.Input != b.Input {
		return a.Input < b.Input
	}
	if a.FirstFrame != b.FirstFrame {
		return a.FirstFrame < b.FirstFrame
	}
	return e.seq < o.seq
}

// Client is one client's sessions in capture order.
type Client struct {
	// Key is the report's client key ("" for sessions without one, which
	// are grouped last).
	Key     string
	Label   string
	Entries []*Entry
}

// Store holds the sessions received so far. Sessions may arrive in any
// order (as they close); the store keeps them in capture order per client
// and clients in the order their first session started.
type Store struct {
	byID    map[string]*Entry
	clients map[string]*Client
	order   []*Client
	sorted  bool
	seq     int
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{byID: make(map[string]*Entry), clients: make(map[string]*Client), sorted: true}
}

// OtherLabel names the group of sessions that have no client key.
const OtherLabel = "other sessions"

// Add adds a session. A session whose ID is already there replaces it.
func (st *Store) Add(s *report.Session) *Entry {
	if old := st.byID[s.ID]; old != nil {
		old.Session = s
		old.Refresh()
		st.sorted = false
		return old
	}
	st.seq++
	e := &Entry{Session: s, seq: st.seq}
	e.Refresh()
	st.byID[s.ID] = e
	c := st.clients[s.ClientKey]
	if c == nil {
		label := s.ClientLabel
		if label == "" {
			label = s.ClientKey
		}
		if s.ClientKey == "" {
			label = OtherLabel
		}
		c = &Client{Key: s.ClientKey, Label: label}
		st.clients[s.ClientKey] = c
		st.order = append(st.order, c)
	}
	i := sort.Search(len(c.Entries), func(i int) bool { return e.before(c.Entries[i]) })
	c.Entries = append(c.Entries, nil)
	copy(c.Entries[i+1:], c.Entries[i:])
	c.Entries[i] = e
	st.sorted = false
	return e
}

// AddFindings attaches findings made across sessions (at the end of the
// analysis) to the sessions they name. It returns how many found their
// session.
func (st *Store) AddFindings(fs []report.Finding) int {
	n := 0
	touched := make(map[*Entry]bool)
	for _, f := range fs {
		e := st.byID[f.Session]
		if e == nil {
			continue
		}
		e.Session.Findings = append(e.Session.Findings, f)
		touched[e] = true
		n++
	}
	for e := range touched {
		e.Refresh()
	}
	return n
}

// Entry returns the session with an ID, or nil.
func (st *Store) Entry(id string) *Entry { return st.byID[id] }

// Len is how many sessions the store holds.
func (st *Store) Len() int { return len(st.byID) }

// Clients returns the clients in the order their first session started;
// sessions without a client come last.
func (st *Store) Clients() []*Client {
	if !st.sorted {
		sort.SliceStable(st.order, func(i, j int) bool {
			a, b := st.order[i], st.order[j]
			if (a.Key == "") != (b.Key == "") {
				return b.Key == ""
			}
			return a.Entries[0].before(b.Entries[0])
		})
		st.sorted = true
	}
	return st.order
}

// Row is one line of the session list: a client header (Entry nil) or a
// session.
type Row struct {
	Client *Client
	Entry  *Entry
	// Shown is, on a header, how many of the client's sessions pass the
	// filter.
	Shown int
}

// Rows returns the session list: each client with at least one session
// passing the filter, followed by those sessions.
func (st *Store) Rows(f Filter) []Row {
	var rows []Row
	for _, c := range st.Clients() {
		head := len(rows)
		rows = append(rows, Row{Client: c})
		for _, e := range c.Entries {
			if f.Match(e) {
				rows = append(rows, Row{Client: c, Entry: e})
			}
		}
		if n := len(rows) - head - 1; n == 0 {
			rows = rows[:head]
		} else {
			rows[head].Shown = n
		}
	}
	return rows
}

// FindingRef is a finding with the session it belongs to.
type FindingRef struct {
	Finding report.Finding
	Entry   *Entry
}

// Findings returns the findings of the sessions passing the filter, most
// severe first, then in capture order.
func (st *Store) Findings(f Filter) []FindingRef {
	var out []FindingRef
	for _, c := range st.Clients() {
		for _, e := range c.Entries {
			if !f.Match(e) {
				continue
			}
			for _, fd := range e.Session.Findings {
				out = append(out, FindingRef{Finding: fd, Entry: e})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := SeverityRank(out[i].Finding.Severity), SeverityRank(out[j].Finding.Severity)
		if ri != rj {
			return ri > rj
		}
		return out[i].Entry.before(out[j].Entry)
	})
	return out
}
