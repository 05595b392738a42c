package correlate_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/sessionscope/sscope/correlate/report"
)

// TestRADIUSAgreesWithZeek compares every authentication attempt of Zeek's
// radius.log baselines with our session from the same RADIUS client
// socket: user, result, assigned address, reply message and the time the
// client waited.
func TestRADIUSAgreesWithZeek(t *testing.T) {
	for capture, log := range map[string]string{
		"zeek/Traces/radius/radius.pcap":           "zeek/Baseline/scripts.base.protocols.radius.auth/radius.log",
		"zeek/Traces/radius/radius_localhost.pcap": "zeek/Baseline/scripts.base.protocols.radius.radius-multiple-attempts/radius.log",
	} {
		t.Run(capture, func(t *testing.T) {
			rep := analyzeCorpus(t, filepath.Join(corpusDir, capture))
			rows := readZeekRADIUS(t, filepath.Join(corpusDir, log))
			bySock := map[string]*report.Session{}
			for _, s := range rep.Sessions {
				bySock[s.Client.IP+":"+strconv.Itoa(s.Client.Port)] = s
			}
			if len(rows) != len(rep.Sessions) {
				t.Errorf("%d attempts in Zeek's log, %d sessions", len(rows), len(rep.Sessions))
			}
			for _, r := range rows {
				s := bySock[r["id.orig_h"]+":"+r["id.orig_p"]]
				if s == nil {
					t.Errorf("%s:%s: no session", r["id.orig_h"], r["id.orig_p"])
					continue
				}
				final, reply, framed := radiusFacts(s)
				want := map[string]string{"success": report.OutcomeSuccess, "failed": report.OutcomeFailure, "unknown": report.OutcomeIncomplete}[r["result"]]
				if s.Outcome != want {
					t.Errorf("%s: outcome %s (%s), Zeek %s", s.ID, s.Outcome, final, r["result"])
				}
				if s.Client.Identity == nil || *s.Client.Identity != r["username"] {
					t.Errorf("%s: identity %v, Zeek %s", s.ID, s.Client.Identity, r["username"])
				}
				// Zeek takes Framed-IP-Address and Reply-Message from the first
				// response that has them; we report the final answer's: an
				// address is assigned only by an Access-Accept (in
				// radius_localhost's rejected attempt the server put one in an
				// Access-Challenge), and the Access-Accept's message is the
				// one the user sees ("Hello, John.McGuirk" where the
				// challenge still had the unexpanded "Hello, %u").
				if r["framed_addr"] != "-" && framed != r["framed_addr"] && final == "Access-Accept" {
					t.Errorf("%s: Framed-IP-Address %q, Zeek %s", s.ID, framed, r["framed_addr"])
				}
				if r["reply_msg"] != "-" && reply == "" {
					t.Errorf("%s: no Reply-Message, Zeek %s", s.ID, r["reply_msg"])
				}
				if r["ttl"] != "-" {
					// Zeek's ttl runs from the first request to the final
					// answer: our session's extent.
					zt, _ := strconv.ParseFloat(r["ttl"], 64)
					if d := s.End.Sub(s.Start.Time).Seconds(); d < zt-0.000001 || d > zt+0.000001 {
						t.Errorf("%s: lasted %.6f s, Zeek's ttl %s", s.ID, d, r["ttl"])
					}
				}
			}
		})
	}
}

func radiusFacts(s *report.Session) (final, reply, framed string) {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	if s.EAP != nil {
		r := s.EAP.RADIUS
		return str(r.FinalCode), str(r.ReplyMessage), str(r.FramedIP)
	}
	r := s.RADIUS
	return str(r.FinalCode), str(r.ReplyMessage), str(r.FramedIP)
}

func readZeekRADIUS(t *testing.T, path string) []map[string]string {
	t.Helper()
	out := readZeekLog(t, path)
	if len(out) == 0 {
		t.Fatalf("no rows in %s", path)
	}
	return out
}
