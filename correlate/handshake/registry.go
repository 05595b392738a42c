package handshake

import tlsd "github.com/sessionscope/sscope/dissect/tls"

// maxAssignments bounds the registry; the oldest assignments are forgotten
// first. 100k IDs cost a few megabytes.
const maxAssignments = 100000

// Assignment records that a server assigned a session ID.
type Assignment struct {
	Server string
	At     Ref
}

// Registry remembers what an analysis learns across connections: the
// session IDs servers assigned, so that a later ClientHello offering one is
// known to be a real resumption attempt, and certificate summaries. It is shared by all observers of one analysis and is not safe for
// concurrent use.
type Registry struct {
	records uint64
	certs   map[string]tlsd.CertSummary
	ids     map[string]Assignment
	order   []string
	next    int
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{ids: make(map[string]Assignment)}
}

// Assign records that server assigned id at at.
func (r *Registry) Assign(id []byte, server string, at Ref) {
	if r == nil || len(id) == 0 {
		return
	}
	k := string(id)
	if _, ok := r.ids[k]; ok {
		return
	}
	if len(r.order) < maxAssignments {
		r.order = append(r.order, k)
	} else {
		delete(r.ids, r.order[r.next])
		r.order[r.next] = k
		r.next = (r.next + 1) % maxAssignments
	}
	r.ids[k] = Assignment{Server: server, At: at}
}

// Lookup says whether id was assigned earlier, and where.
func (r *Registry) Lookup(id []byte) (Assignment, bool) {
	if r == nil || len(id) == 0 {
		return Assignment{}, false
	}
	a, ok := r.ids[string(id)]
	return a, ok
}

// Records is how many TLS/DTLS records the observers sharing the registry
// have parsed.
func (r *Registry) Records() uint64 {
	if r == nil {
		return 0
	}
	return r.records
}
