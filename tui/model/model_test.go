package model

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/rules"
)

func repoFile(t testing.TB, rel string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", rel)
}

// analyze runs the real analyzer over sample captures the way the UI does:
// sessions streamed as they close, cross-session findings at the end.
func analyze(t testing.TB, paths ...string) (*Store, *report.Report) {
	t.Helper()
	st := NewStore()
	a := correlate.New(correlate.Options{Judge: rules.New(), TLSDetect: true, OnSession: func(s *report.Session) { st.Add(s) }})
	for _, p := range paths {
		if err := a.ReadFile(repoFile(t, p), nil); err != nil {
			t.Fatal(err)
		}
	}
	rep := a.Finish()
	st.AddFindings(a.CrossFindings())
	return st, rep
}

func rowText(rows []Row) string {
	var b strings.Builder
	for _, r := range rows {
		if r.Entry == nil {
			b.WriteString("# " + r.Client.Label + "\n")
			continue
		}
		e := r.Entry
		b.WriteString(strings.Join([]string{e.Session.ID, e.Kind, e.Identity, e.Session.Outcome, e.Verdict, e.Severity, e.Worst}, " ") + "\n")
	}
	return b.String()
}

func TestStoreOnSamples(t *testing.T) {
	st, rep := analyze(t, "samples/scenarios/P3.pcapng", "samples/lab/captures/T1.pcapng")
	if st.Len() != 7 {
		t.Fatalf("%d sessions, want 7", st.Len())
	}
	got := rowText(st.Rows(Filter{}))
	want := `# 02:00:5e:20:00:51
eap-1 PEAP alice@lab.example success full  
eap-2 PEAP alice@lab.example success refused warning tls-resumption-refused
# 10.77.0.2
tls-1 TLS server.lab.example success full  
tls-2 TLS server.lab.example success refused warning tls-resumption-refused
tls-3 TLS server.lab.example success refused warning tls-resumption-refused
tls-4 TLS server.lab.example success refused warning tls-resumption-refused
tls-5 TLS server.lab.example success refused warning tls-resumption-refused
`
	if got != want {
		t.Errorf("rows:\n%s\nwant:\n%s", got, want)
	}
	// The cross-session finding reached its session.
	e := st.Entry("tls-5")
	if e.Findings() != 2 || e.Session.Findings[1].ID != "tls-ids-never-accepted" {
		t.Errorf("tls-5 findings: %+v", e.Session.Findings)
	}
	// The findings view lists what the report lists.
	all := st.Findings(Filter{})
	if len(all) != len(rep.Findings) {
		t.Fatalf("%d findings, report has %d", len(all), len(rep.Findings))
	}
	ids := map[string]int{}
	for _, f := range all {
		ids[f.Finding.ID]++
		if f.Entry.Session.ID != f.Finding.Session {
			t.Errorf("finding %s listed under %s", f.Finding.Session, f.Entry.Session.ID)
		}
	}
	if ids["tls-resumption-refused"] != 5 || ids["tls-ids-never-accepted"] != 1 {
		t.Errorf("finding counts %v", ids)
	}
}

func TestFilterFields(t *testing.T) {
	st, _ := analyze(t, "samples/scenarios/P3.pcapng", "samples/lab/captures/T1.pcapng")
	ids := func(q string) string {
		var out []string
		for _, r := range st.Rows(ParseFilter(q)) {
			if r.Entry != nil {
				out = append(out, r.Entry.Session.ID)
			}
		}
		return strings.Join(out, ",")
	}
	cases := map[string]string{
		"":                              "eap-1,eap-2,tls-1,tls-2,tls-3,tls-4,tls-5",
		"tls-resumption-refused":        "eap-2,tls-2,tls-3,tls-4,tls-5",
		"finding:tls-ids":               "tls-5",
		"verdict:refused":               "eap-2,tls-2,tls-3,tls-4,tls-5",
		"verdict:full !verdict:refused": "eap-1,tls-1",
		"kind:peap":                     "eap-1,eap-2",
		"kind:radius-eap":               "eap-1,eap-2",
		"KIND:TLS":                      "tls-1,tls-2,tls-3,tls-4,tls-5",
		"identity:anonymous":            "eap-1,eap-2",
		"user:server.lab":               "tls-1,tls-2,tls-3,tls-4,tls-5",
		"mac:02-00-5E-20-00-51":         "eap-1,eap-2",
		"02:00:5e:20":                   "eap-1,eap-2",
		"mac:02005e200051":              "eap-1,eap-2",
		"ip:10.77.0.2":                  "tls-1,tls-2,tls-3,tls-4,tls-5",
		"ip:10.20.0.2":                  "eap-1,eap-2",
		"10.20.0.10":                    "eap-1,eap-2",
		"id:eap-2":                      "eap-2",
		"outcome:failure":               "",
		"peap refused":                  "eap-2",
		"warning":                       "eap-2,tls-2,tls-3,tls-4,tls-5",
		"nosuchthing":                   "",
		`"server.lab.example"`:          "tls-1,tls-2,tls-3,tls-4,tls-5",
		"bogus:field":                   "",
	}
	for q, want := range cases {
		if got := ids(q); got != want {
			t.Errorf("filter %q: %s, want %s", q, got, want)
		}
	}
	// A client with no matching session disappears, headers count matches.
	rows := st.Rows(ParseFilter("tls-ids"))
	if len(rows) != 2 || rows[0].Entry != nil || rows[0].Shown != 1 || rows[0].Client.Label != "10.77.0.2" {
		t.Errorf("rows %+v", rows)
	}
	if got := len(st.Findings(ParseFilter("kind:peap"))); got != 1 {
		t.Errorf("findings of PEAP sessions: %d, want 1", got)
	}
}

func sess(id, client string, input int, first uint64) *report.Session {
	return &report.Session{ID: id, Kind: report.KindTLS, ClientKey: client, ClientLabel: client, Input: input, FirstFrame: first, Outcome: report.OutcomeSuccess}
}

// Sessions close out of order; the store keeps capture order within and
// across clients, and sessions without a client last.
func TestStoreOrdersByCapturePosition(t *testing.T) {
	st := NewStore()
	st.Add(sess("tls-3", "b", 0, 30))
	st.Add(sess("tls-9", "", 0, 1))
	st.Add(sess("tls-1", "a", 0, 10))
	st.Add(sess("tls-2", "b", 0, 5))
	st.Add(sess("tls-4", "a", 1, 2))
	st.Add(sess("tls-0", "a", 0, 7))
	got := rowText(st.Rows(Filter{}))
	want := "# b\ntls-2 TLS  success -  \ntls-3 TLS  success -  \n# a\ntls-0 TLS  success -  \ntls-1 TLS  success -  \ntls-4 TLS  success -  \n# other sessions\ntls-9 TLS  success -  \n"
	if got != want {
		t.Errorf("rows:\n%s\nwant:\n%s", got, want)
	}
	// Re-adding a session replaces it instead of duplicating it.
	s := sess("tls-3", "b", 0, 30)
	s.Outcome = report.OutcomeFailure
	st.Add(s)
	if st.Len() != 6 || st.Entry("tls-3").Session.Outcome != report.OutcomeFailure {
		t.Errorf("replace: len %d outcome %s", st.Len(), st.Entry("tls-3").Session.Outcome)
	}
}

func TestVerdictLabels(t *testing.T) {
	yes := true
	s := &report.Session{Handshakes: []report.TLSHandshake{
		{Kind: report.HandshakeFull},
		{Kind: report.HandshakeFull, Renegotiation: true},
		{Kind: report.HandshakeFull, Renegotiation: true},
		{Kind: report.HandshakeAbbreviated},
		{Kind: report.HandshakeFull, ResumptionRefused: &yes},
	}}
	if got := Verdict(s); got != "full+reneg+resumed+…" {
		t.Errorf("Verdict = %q", got)
	}
	if got := Verdict(&report.Session{}); got != "-" {
		t.Errorf("no handshake: %q", got)
	}
	s.Handshakes = []report.TLSHandshake{{Kind: report.HandshakeFailed}}
	if got := Verdict(s); got != "failed" {
		t.Errorf("failed: %q", got)
	}
}

func TestParseFilterNeverFails(t *testing.T) {
	for _, q := range []string{"", "   ", "!", "::", `"`, `"a b" c`, "!mac:", "kind:", "x:y:z"} {
		f := ParseFilter(q)
		e := &Entry{Session: sess("tls-1", "a", 0, 1)}
		e.Refresh()
		_ = f.Match(e)
	}
	if f := ParseFilter(`identity:"john smith" tls`); len(f.terms) != 2 || f.terms[0].text != "john smith" {
		t.Errorf("quoted term: %+v", f.terms)
	}
}
