package radiusconv

import (
	"strconv"

	"github.com/sessionscope/sscope/correlate/flow"
)

// fastLayer is the timeline layer of EAP-FAST's own steps and TLVs.
const fastLayer = "fast"

// EAP-FAST steps as the vendor's RADIUS server numbers and words them in
// its log (SCENARIOS.md), so that an engineer can line the timeline up with
// the server's log. The analyzer names a step when the capture shows it
// happen; the number goes in the event's detail.
const (
	stepMachinePAC          = 12174
	stepTunnelPAC           = 12175
	stepPACTunnel           = 12132
	stepAnonymousTunnel     = 12131
	stepAuthenticatedTunnel = 12149
	stepPACLessTunnel       = 12176
	stepChaining            = 12209
	stepIdentityUser        = 12218
	stepIdentityMachine     = 12219
	stepIdentityMismatch    = 12213
	stepIdentitySuggested   = 12215
	stepUserAuthzPAC        = 12210
	stepMachineAuthzPAC     = 12211
	stepUserAuthzExpired    = 12227
	stepMachineAuthzExpired = 12228
	stepInnerSkipped        = 12124
	stepInnerStarted        = 12125
	stepCryptobindingOK     = 12126
	stepNoAuthzOnAnonymous  = 12162
	stepNoAnonymousCiphers  = 12121
	stepIntermediateFailure = 12967
	stepTunnelPACDone       = 12169
	stepMachinePACDone      = 12170
	stepUserAuthzPACDone    = 12171
	stepMachineAuthzPACDone = 12179
	stepPhase2Succeeded     = 12106
)

var stepText = map[int]string{
	stepMachinePAC:          "Received Machine PAC",
	stepTunnelPAC:           "Received Tunnel PAC",
	stepPACTunnel:           "EAP-FAST built PAC-based tunnel for purpose of authentication",
	stepAnonymousTunnel:     "EAP-FAST built anonymous tunnel for purpose of PAC provisioning",
	stepAuthenticatedTunnel: "EAP-FAST built authenticated tunnel for purpose of PAC provisioning",
	stepPACLessTunnel:       "EAP-FAST PAC-less full handshake finished successfully",
	stepChaining:            "Starting EAP chaining",
	stepIdentityUser:        "Selected identity type 'User'",
	stepIdentityMachine:     "Selected identity type 'Machine'",
	stepIdentityMismatch:    "Identity type provided by client is not equal to requested type",
	stepIdentitySuggested:   "Client suggested 'Machine' identity type instead",
	stepUserAuthzPAC:        "Received User Authorization PAC",
	stepMachineAuthzPAC:     "Received Machine Authorization PAC",
	stepUserAuthzExpired:    "User Authorization PAC has expired - will run inner method",
	stepMachineAuthzExpired: "Machine Authorization PAC has expired - will run inner method",
	stepInnerSkipped:        "EAP-FAST inner method skipped",
	stepInnerStarted:        "EAP-FAST inner method started",
	stepCryptobindingOK:     "EAP-FAST cryptobinding verification passed",
	stepNoAuthzOnAnonymous:  "Cannot provision Authorization PAC on anonymous provisioning",
	stepNoAnonymousCiphers:  "Client didn't provide suitable ciphers for anonymous PAC-provisioning",
	stepIntermediateFailure: "Sent EAP Intermediate Result TLV indicating failure",
	stepTunnelPACDone:       "Successfully finished EAP-FAST tunnel PAC provisioning/update",
	stepMachinePACDone:      "Successfully finished EAP-FAST machine PAC provisioning/update",
	stepUserAuthzPACDone:    "Successfully finished EAP-FAST user authorization PAC provisioning/update",
	stepMachineAuthzPACDone: "Successfully finished EAP-FAST machine authorization PAC provisioning/update",
	stepPhase2Succeeded:     "EAP-FAST authentication phase finished successfully",
}

// step puts a numbered server step on the timeline; detail adds what the
// capture showed.
func (c *conversation) step(dir flow.Dir, at flow.Ref, code int, detail string) {
	d := "server step " + strconv.Itoa(code)
	if detail != "" {
		d += ": " + detail
	}
	c.b.Event(dir, at, fastLayer, stepText[code], d)
}
