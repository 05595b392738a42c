package eapfast

import (
	"encoding/json"
	"testing"
)

func TestTruthJSON(t *testing.T) {
	b, err := json.Marshal(Truth{Tunnel: "pac", PACInClientHello: "machine", PACsProvisioned: []string{"machine-authorization"},
		Chaining: ChainingUserFailed, Cryptobinding: "verified", Steps: []Step{{Code: StepMachinePAC}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"provisioning":null,"tunnel":"pac","pac_in_client_hello":"machine","pacs_presented":[],` +
		`"pacs_provisioned":["machine-authorization"],"chaining":"user-failed-machine-succeeded","cryptobinding":"verified"}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	if StepText(StepCryptobindingOK) != "EAP-FAST cryptobinding verification passed" || StepText(1) != "" {
		t.Fatal("step texts")
	}
}
