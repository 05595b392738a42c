package eapauth

import "github.com/sessionscope/sscope/samples/refimpl/tlsengine"

// Outcome is the truth of one EAP conversation as one endpoint lived it:
// what it sent, chose and concluded, from its own state machine. Server
// and peer each keep one per conversation; the sample generator writes
// expected reports from them (field meanings follow the report's eap
// object).
type Outcome struct {
	// OuterIdentity is the identity of the outer Identity round
	// ("anonymous" for PEAP with identity privacy).
	OuterIdentity string
	// InnerIdentities are the identities given inside a tunnel.
	InnerIdentities []string
	// Method is the method the conversation ran ("PEAP", "EAP-TLS",
	// "EAP-MSCHAPv2", "EAP-FAST"); "" when none was agreed.
	Method string
	// MethodsProposed are the methods the server proposed, in order.
	MethodsProposed []string
	// Naks are the peer's refusals, "<proposed> → <wanted, ...>" as the
	// report spells them.
	Naks []string
	// InnerMethods are the methods run inside a tunnel, in order.
	InnerMethods []string
	// FastReconnect (PEAP only, nil otherwise): true when the inner
	// method was skipped on a resumed TLS session.
	FastReconnect *bool
	// PEAPVersion (PEAP only) is the version the two ends agreed.
	PEAPVersion *int
	// Success is the endpoint's verdict; EAPResult is the last EAP code
	// of the conversation ("EAP-Success", "EAP-Failure", or "" when it
	// did not end).
	Success   bool
	EAPResult string
	// FailureReason says in words why it failed ("" on success).
	FailureReason string
	// Handshakes are the TLS handshakes of a TLS-based method (initial
	// and renegotiations), as this endpoint's TLS engine recorded them.
	Handshakes []tlsengine.HandshakeRecord
	// MSK is the Master Session Key on success (secret: for checking
	// the MPPE keys, never for reports).
	MSK []byte
	// Extra holds a method's own truth (EAP-FAST records its PACs,
	// chaining and crypto-binding there).
	Extra any
}

// Values of Outcome.EAPResult.
const (
	ResultSuccess = "EAP-Success"
	ResultFailure = "EAP-Failure"
)

// Fail records reason unless a reason was recorded already (the first
// cause is the one that counts).
func (o *Outcome) Fail(reason string) {
	if o.FailureReason == "" {
		o.FailureReason = reason
	}
}

// AddInner records what one inner conversation did: the identity it
// gave and the method it ran (empty values are skipped).
func (o *Outcome) AddInner(inner *Outcome) {
	if inner.OuterIdentity != "" {
		o.InnerIdentities = append(o.InnerIdentities, inner.OuterIdentity)
	}
	if inner.Method != "" {
		o.InnerMethods = append(o.InnerMethods, inner.Method)
	}
}

func boolPtr(b bool) *bool { return &b }
