package correlate_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/correlate/report/reporttest"
	"github.com/sessionscope/sscope/rules"
)

// labTruth is what the real peers of a lab capture reported
// (samples/lab/captures/*.truth.json), never what an analyzer said.
type labTruth struct {
	Capture    string `json:"capture"`
	Handshakes []struct {
		FirstFrame        uint64  `json:"first_frame"`
		ClientSessionID   string  `json:"client_session_id"`
		ServerSessionID   string  `json:"server_session_id"`
		Kind              string  `json:"kind"`
		Resumption        *string `json:"resumption"`
		ResumptionRefused bool    `json:"resumption_refused"`
	} `json:"handshakes"`
	Authentications []struct {
		FirstFrame     uint64 `json:"first_frame"`
		FinalFrame     uint64 `json:"final_frame"`
		FinalCode      string `json:"final_code"`
		CallingStation string `json:"calling_station_id"`
		Phase2Skipped  *bool  `json:"phase2_skipped"`
	} `json:"authentications"`
}

const labDir = "../samples/lab/captures"

func analyze(t *testing.T, path string) *report.Report {
	t.Helper()
	rep, errs := correlate.AnalyzeFiles([]string{path}, correlate.Options{
		TLSDetect: true, Judge: rules.New(), KeepSessions: true, Version: "test",
	}, nil)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", path, errs)
	}
	reporttest.Value(t, rep)
	return rep
}

func TestLabCapturesMatchPeerTruth(t *testing.T) {
	truths, _ := filepath.Glob(filepath.Join(labDir, "*.truth.json"))
	if len(truths) == 0 {
		t.Fatal("no lab truth files")
	}
	for _, tf := range truths {
		name := strings.TrimSuffix(filepath.Base(tf), ".truth.json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(tf)
			if err != nil {
				t.Fatal(err)
			}
			var truth labTruth
			if err := json.Unmarshal(raw, &truth); err != nil {
				t.Fatal(err)
			}
			rep := analyze(t, filepath.Join(labDir, truth.Capture))
			var got []report.TLSHandshake
			for _, s := range rep.Sessions {
				got = append(got, s.Handshakes...)
			}
			if len(got) != len(truth.Handshakes) {
				t.Fatalf("%d handshakes, truth has %d", len(got), len(truth.Handshakes))
			}
			for i, want := range truth.Handshakes {
				h := got[i]
				if h.FirstFrame != want.FirstFrame {
					t.Errorf("handshake %d: first frame %d, truth %d", i, h.FirstFrame, want.FirstFrame)
				}
				if h.ClientSessionID != want.ClientSessionID || h.ServerSessionID != want.ServerSessionID {
					t.Errorf("handshake %d: session IDs %q/%q, truth %q/%q", i, h.ClientSessionID, h.ServerSessionID, want.ClientSessionID, want.ServerSessionID)
				}
				if h.Kind != want.Kind {
					t.Errorf("handshake %d: kind %s, truth %s", i, h.Kind, want.Kind)
				}
				if (h.Resumption == nil) != (want.Resumption == nil) || h.Resumption != nil && *h.Resumption != *want.Resumption {
					t.Errorf("handshake %d: resumption %v, truth %v", i, str(h.Resumption), str(want.Resumption))
				}
				if h.ResumptionRefused == nil || *h.ResumptionRefused != want.ResumptionRefused {
					t.Errorf("handshake %d: resumption_refused %v, truth %v", i, h.ResumptionRefused, want.ResumptionRefused)
				}
			}
			var eap []*report.Session
			for _, s := range rep.Sessions {
				if s.Kind == report.KindRADIUSEAP {
					eap = append(eap, s)
				}
			}
			if len(eap) != len(truth.Authentications) {
				t.Fatalf("%d EAP sessions, truth has %d authentications", len(eap), len(truth.Authentications))
			}
			for i, want := range truth.Authentications {
				s := eap[i]
				if s.FirstFrame != want.FirstFrame || s.LastFrame != want.FinalFrame {
					t.Errorf("authentication %d: frames %d-%d, truth %d-%d", i, s.FirstFrame, s.LastFrame, want.FirstFrame, want.FinalFrame)
				}
				if got := str(s.EAP.RADIUS.FinalCode); got != want.FinalCode {
					t.Errorf("authentication %d: final code %s, truth %s", i, got, want.FinalCode)
				}
				if got := str(s.Client.CallingStationID); got != want.CallingStation {
					t.Errorf("authentication %d: Calling-Station-Id %s, truth %s", i, got, want.CallingStation)
				}
				if want.Phase2Skipped != nil && s.EAP.PEAP != nil {
					// Judged from the encrypted phase 2 alone (no keys).
					if fr := s.EAP.PEAP.FastReconnect; fr == nil || *fr != *want.Phase2Skipped {
						t.Errorf("authentication %d: fast_reconnect %v, truth phase2_skipped %v", i, fr, *want.Phase2Skipped)
					}
				}
			}
		})
	}
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
