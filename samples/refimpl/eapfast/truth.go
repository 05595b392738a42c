package eapfast

import (
	"encoding/json"
	"slices"
)

// Truth is what one endpoint of an EAP-FAST conversation did, with the
// fields of the report's eap.fast object (REPORT.md). An empty string
// stands for the report's null.
type Truth struct {
	// Provisioning: "anonymous", "authenticated" or "" (no PAC
	// provisioning tunnel).
	Provisioning string
	// Tunnel: "pac", "certificate", "anonymous", or "" when no tunnel
	// was built.
	Tunnel string
	// PACInClientHello: "tunnel", "machine", or "" when the ClientHello
	// carried no PAC-Opaque ("unknown" when the server could not open
	// it).
	PACInClientHello string
	// PACsPresented are the PACs the peer presented (in the ClientHello,
	// then inside the tunnel), PACsProvisioned those the server delivered
	// and the peer acknowledged; report names ("tunnel", "machine",
	// "user-authorization", "machine-authorization").
	PACsPresented   []string
	PACsProvisioned []string
	// Chaining: "none", "both-succeeded", "user-failed-machine-succeeded",
	// "machine-failed-user-succeeded", "both-failed".
	Chaining string
	// Cryptobinding: "verified" when every Crypto-Binding TLV this
	// endpoint checked was right, "failed" when one was not, "" when none
	// was exchanged.
	Cryptobinding string
	// Steps are the server's numbered steps, named as the vendor's server
	// logs them (empty on the peer).
	Steps []Step
}

// Step is one numbered step of the server.
type Step struct {
	Code int
	Text string
}

// Step codes the server logs, with the vendor's wording.
const (
	StepMachinePAC          = 12174
	StepTunnelPAC           = 12175
	StepPACTunnel           = 12132
	StepAnonymousTunnel     = 12131
	StepAuthenticatedTunnel = 12149
	StepPACLessTunnel       = 12176
	StepChaining            = 12209
	StepIdentityUser        = 12218
	StepIdentityMachine     = 12219
	StepIdentityMismatch    = 12213
	StepIdentitySuggested   = 12215
	StepIdentityUsed        = 12216
	StepUserAuthzPAC        = 12210
	StepMachineAuthzPAC     = 12211
	StepUserAuthzExpired    = 12227
	StepMachineAuthzExpired = 12228
	StepInnerSkipped        = 12124
	StepInnerStarted        = 12125
	StepCryptobindingOK     = 12126
	StepTunnelPACApproved   = 12200
	StepAuthzPACApproved    = 12202
	StepNoAuthzOnAnonymous  = 12162
	StepNoAnonymousCiphers  = 12121
	StepIntermediateFailure = 12967
	StepTunnelPACDone       = 12169
	StepMachinePACDone      = 12170
	StepUserAuthzPACDone    = 12171
	StepMachineAuthzPACDone = 12179
	StepNoClientCertOuter   = 12207
	StepRenegotiation       = 12226
	StepNoClientCertInner   = 12205
	StepPhase2Succeeded     = 12106
	StepEAPSuccess          = 11503
	StepEAPFailure          = 11504
)

var stepText = map[int]string{
	StepMachinePAC:          "Received Machine PAC",
	StepTunnelPAC:           "Received Tunnel PAC",
	StepPACTunnel:           "EAP-FAST built PAC-based tunnel for purpose of authentication",
	StepAnonymousTunnel:     "EAP-FAST built anonymous tunnel for purpose of PAC provisioning",
	StepAuthenticatedTunnel: "EAP-FAST built authenticated tunnel for purpose of PAC provisioning",
	StepPACLessTunnel:       "EAP-FAST PAC-less full handshake finished successfully",
	StepChaining:            "Starting EAP chaining",
	StepIdentityUser:        "Selected identity type 'User'",
	StepIdentityMachine:     "Selected identity type 'Machine'",
	StepIdentityMismatch:    "Identity type provided by client is not equal to requested type",
	StepIdentitySuggested:   "Client suggested 'Machine' identity type instead",
	StepIdentityUsed:        "Identity type provided by client was already used for authentication",
	StepUserAuthzPAC:        "Received User Authorization PAC",
	StepMachineAuthzPAC:     "Received Machine Authorization PAC",
	StepUserAuthzExpired:    "User Authorization PAC has expired - will run inner method",
	StepMachineAuthzExpired: "Machine Authorization PAC has expired - will run inner method",
	StepInnerSkipped:        "EAP-FAST inner method skipped",
	StepInnerStarted:        "EAP-FAST inner method started",
	StepCryptobindingOK:     "EAP-FAST cryptobinding verification passed",
	StepTunnelPACApproved:   "Approved EAP-FAST client Tunnel PAC request",
	StepAuthzPACApproved:    "Approved EAP-FAST client Authorization PAC request",
	StepNoAuthzOnAnonymous:  "Cannot provision Authorization PAC on anonymous provisioning. Authorization PAC can be provisioned only on authenticated provisioning",
	StepNoAnonymousCiphers:  "Client didn't provide suitable ciphers for anonymous PAC-provisioning",
	StepIntermediateFailure: "Sent EAP Intermediate Result TLV indicating failure",
	StepTunnelPACDone:       "Successfully finished EAP-FAST tunnel PAC provisioning/update",
	StepMachinePACDone:      "Successfully finished EAP-FAST machine PAC provisioning/update",
	StepUserAuthzPACDone:    "Successfully finished EAP-FAST user authorization PAC provisioning/update",
	StepMachineAuthzPACDone: "Successfully finished EAP-FAST machine authorization PAC provisioning/update",
	StepNoClientCertOuter:   "Client certificate was requested but not received during tunnel establishment. Will renegotiate and request client certificate inside the tunnel.",
	StepRenegotiation:       "Started renegotiated TLS handshake",
	StepNoClientCertInner:   "Client certificate was requested but not received inside the tunnel. Will continue with inner method.",
	StepPhase2Succeeded:     "EAP-FAST authentication phase finished successfully",
	StepEAPSuccess:          "Prepared EAP-Success",
	StepEAPFailure:          "Prepared EAP-Failure",
}

// StepText is the vendor's wording of a step code ("" if unknown).
func StepText(code int) string { return stepText[code] }

func (t *Truth) step(code int) { t.Steps = append(t.Steps, Step{Code: code, Text: stepText[code]}) }

// HasStep reports whether the server logged code.
func (t *Truth) HasStep(code int) bool {
	return slices.ContainsFunc(t.Steps, func(s Step) bool { return s.Code == code })
}

// StepCodes lists the codes of the steps, in order.
func (t *Truth) StepCodes() []int {
	out := make([]int, len(t.Steps))
	for i, s := range t.Steps {
		out[i] = s.Code
	}
	return out
}

// MarshalJSON writes the report's eap.fast object: its seven fields,
// null for empty strings, [] for empty lists; the steps are not part of
// it (they belong to the timeline).
func (t Truth) MarshalJSON() ([]byte, error) {
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	list := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	return json.Marshal(struct {
		Provisioning     *string  `json:"provisioning"`
		Tunnel           *string  `json:"tunnel"`
		PACInClientHello *string  `json:"pac_in_client_hello"`
		PACsPresented    []string `json:"pacs_presented"`
		PACsProvisioned  []string `json:"pacs_provisioned"`
		Chaining         *string  `json:"chaining"`
		Cryptobinding    *string  `json:"cryptobinding"`
	}{str(t.Provisioning), str(t.Tunnel), str(t.PACInClientHello), list(t.PACsPresented), list(t.PACsProvisioned),
		str(t.Chaining), str(t.Cryptobinding)})
}

// Chaining results.
const (
	ChainingNone          = "none"
	ChainingBoth          = "both-succeeded"
	ChainingUserFailed    = "user-failed-machine-succeeded"
	ChainingMachineFailed = "machine-failed-user-succeeded"
	ChainingBothFailed    = "both-failed"
)

func chainingResult(userOK, machineOK bool) string {
	switch {
	case userOK && machineOK:
		return ChainingBoth
	case machineOK:
		return ChainingUserFailed
	case userOK:
		return ChainingMachineFailed
	}
	return ChainingBothFailed
}

// noteBinding folds one Crypto-Binding check into the truth.
func (t *Truth) noteBinding(ok bool) {
	switch {
	case !ok:
		t.Cryptobinding = "failed"
	case t.Cryptobinding == "":
		t.Cryptobinding = "verified"
	}
}
