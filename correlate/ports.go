package correlate

// portSet is a set of ports tested in constant time on the fast path.
type portSet [65536 / 64]uint64

func newPortSet(ports []uint16) *portSet {
	var s portSet
	for _, p := range ports {
		s[p>>6] |= 1 << (p & 63)
	}
	return &s
}

func (s *portSet) has(p uint16) bool { return s[p>>6]&(1<<(p&63)) != 0 }
