package correlate_test

import (
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/rules"
)

// TestTickClosesIdleSessions plays the first half of a PEAP conversation,
// then lets only the clock move (a live capture on a quiet link): the
// conversation must come out once it has been idle for the RADIUS idle
// time (2 minutes), not wait for the next packet or the end of the
// capture.
func TestTickClosesIdleSessions(t *testing.T) {
	var got []*report.Session
	a := correlate.New(correlate.Options{
		RADIUSPorts: correlate.DefaultRADIUSPorts, Judge: rules.New(), Idle: time.Minute,
		OnSession: func(s *report.Session) { got = append(got, s) },
	})
	r, err := source.Open("../samples/scenarios/P1.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	in := a.AddInput("P1", "pcapng")
	var p source.Packet
	var last time.Time
	for i := 0; i < 8; i++ {
		if err := r.Next(&p); err != nil {
			t.Fatal(err)
		}
		a.Packet(in, &p)
		last = p.Timestamp
	}
	a.Tick(last.Add(90 * time.Second))
	if len(got) != 0 {
		t.Fatalf("a conversation closed after 90 idle seconds: %v", got[0].Outcome)
	}
	a.Tick(last.Add(3 * time.Minute))
	if len(got) != 1 {
		t.Fatalf("%d sessions out after 3 idle minutes, want the open conversation", len(got))
	}
	if got[0].Kind != report.KindRADIUSEAP || got[0].Outcome != report.OutcomeIncomplete {
		t.Errorf("kind %s outcome %s, want an incomplete radius-eap session", got[0].Kind, got[0].Outcome)
	}
	if a.OpenSessions() != 0 {
		t.Errorf("%d sessions still open", a.OpenSessions())
	}
}
