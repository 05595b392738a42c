package model

import (
	"testing"
)

// FuzzParseFilter: every input is a filter; matching it against real
// sessions never panics, and the filter reads back from its own text.
func FuzzParseFilter(f *testing.F) {
	st, _ := analyze(f, "samples/scenarios/P3.pcapng", "samples/lab/captures/T1.pcapng")
	var entries []*Entry
	for _, c := range st.Clients() {
		entries = append(entries, c.Entries...)
	}
	for _, seed := range []string{"", "refused", "verdict:full !verdict:refused", "mac:02-00-5E-20-00-51", `identity:"john smith" tls`,
		"finding:tls-ids", "ip:10.77.0.2", "!", "::", `"`, "kind:", "x:y:z", "02:00:5e:20"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		fl := ParseFilter(q)
		again := ParseFilter(fl.String())
		for _, e := range entries {
			if fl.Match(e) != again.Match(e) {
				t.Fatalf("%q and its text %q disagree on %s", q, fl.String(), e.Session.ID)
			}
		}
		_ = st.Rows(fl)
		_ = st.Findings(fl)
	})
}
