package rules

import (
	"fmt"

	"github.com/sessionscope/sscope/correlate/report"
)

// The EAP-FAST rules read the eap.fast object, the handshakes and the
// evidence the correlator recorded in the decrypted phase 2.

func fastOf(s *report.Session) *report.FAST {
	if s.Kind != report.KindRADIUSEAP || s.EAP == nil {
		return nil
	}
	return s.EAP.FAST
}

// fastAnonymousProvisioning: PACs were provisioned in an anonymous
// (unauthenticated Diffie-Hellman) tunnel.
func fastAnonymousProvisioning(s *report.Session) []report.Finding {
	f := fastOf(s)
	if f == nil || f.Tunnel == nil || *f.Tunnel != "anonymous" {
		return nil
	}
	suite := ""
	for _, h := range s.Handshakes {
		if h.Anonymous && h.CipherSuite != nil {
			suite = " (" + *h.CipherSuite + ")"
			break
		}
	}
	sum := fmt.Sprintf("%s ran EAP-FAST anonymous PAC provisioning with %s: the tunnel%s authenticates neither side.", who(s), server(s), suite)
	if s.EAP.Decrypted && len(f.PACsProvisioned) > 0 {
		sum = fmt.Sprintf("%s was provisioned with PACs (%s) by %s in an anonymous tunnel%s that authenticates neither side.", who(s), joinList(f.PACsProvisioned), server(s), suite)
	}
	hint := "Anonymous (Diffie-Hellman) provisioning trusts whoever answers: a rogue server can learn the inner MSCHAPv2 exchange and hand out PACs. The conversation ends in Access-Reject by design, and the client retries with its new PAC. Prefer authenticated provisioning (server certificate) where the clients support it, and allow anonymous provisioning only while clients are enrolled."
	return []report.Finding{finding(report.SeverityInfo, sum, hint, s.Evidence["fast.anonymous-provisioning"]...)}
}

// fastAuthorizationPACRefused: the peer asked for Authorization PACs in an
// anonymous provisioning tunnel, where the server may not issue them.
func fastAuthorizationPACRefused(s *report.Session) []report.Finding {
	fr := s.Evidence["fast.authz-pac-refused"]
	if fastOf(s) == nil || len(fr) == 0 {
		return nil
	}
	sum := fmt.Sprintf("%s asked for Authorization PACs during anonymous provisioning and %s refused them: they are issued only in authenticated tunnels.", who(s), server(s))
	hint := "Expected on anonymous provisioning: the client gets its Authorization PACs at its next authentication, in a PAC-based tunnel. If they never arrive, check that authorization PACs are enabled on the server."
	return []report.Finding{finding(report.SeverityInfo, sum, hint, fr...)}
}

// fastNoAnonymousCipher: the server refused a ClientHello that offered no
// PAC-Opaque and no anonymous suite (scenario F8: anonymous provisioning
// only, and a client that wants an authenticated tunnel).
func fastNoAnonymousCipher(s *report.Session) []report.Finding {
	if fastOf(s) == nil || len(s.Handshakes) == 0 {
		return nil
	}
	h := s.Handshakes[0]
	if h.Kind != report.HandshakeFailed || h.Alert == nil || h.Alert.Encrypted || h.Alert.Direction != report.S2C ||
		h.Alert.Description != "handshake_failure" || h.CipherSuite != nil || h.Offered.PACOpaque || h.Offered.AnonymousSuite {
		return nil
	}
	sum := fmt.Sprintf("%s refused the EAP-FAST ClientHello of %s with handshake_failure: the client offered no PAC and no anonymous cipher suite, so it did not offer suitable ciphers for anonymous PAC provisioning.", server(s), who(s))
	hint := "The server allows only anonymous PAC provisioning (TLS_DH_anon suites) while the client wants an authenticated tunnel (or has anonymous provisioning disabled). Allow authenticated provisioning on the server, enable anonymous provisioning on the client, or give the client a PAC."
	return []report.Finding{finding(report.SeverityError, sum, hint, h.FirstFrame, h.Alert.Frame)}
}

// fastChainingPartial: in EAP chaining one identity passed and the other
// failed.
func fastChainingPartial(s *report.Session) []report.Finding {
	f := fastOf(s)
	if f == nil {
		return nil
	}
	var failed, passed string
	switch f.Chaining {
	case "user-failed-machine-succeeded":
		failed, passed = "user", "machine"
	case "machine-failed-user-succeeded":
		failed, passed = "machine", "user"
	default:
		return nil
	}
	sum := fmt.Sprintf("EAP chaining of %s with %s partly failed: the %s authentication failed and the %s authentication succeeded.", who(s), server(s), failed, passed)
	hint := fmt.Sprintf("The server's authorization decides what a partial chaining result gets (often a restricted profile). Check why the %s could not authenticate: missing %s credentials on the client, a wrong identity type offered (the timeline shows the Identity-Type exchange), or the inner method's error.", failed, failed)
	return []report.Finding{finding(report.SeverityWarning, sum, hint, s.Evidence["fast.intermediate-failure"]...)}
}

// fastPACExpired: a PAC the client presented was not accepted: a
// PAC-Opaque in the ClientHello answered with a full handshake, or an
// Authorization PAC inside the tunnel after which the inner method ran
// all the same.
func fastPACExpired(s *report.Session) []report.Finding {
	if fastOf(s) == nil {
		return nil
	}
	var out []report.Finding
	for _, h := range s.Handshakes {
		if h.Renegotiation || !h.Offered.PACOpaque || h.ResumptionRefused == nil || !*h.ResumptionRefused {
			continue
		}
		sum := fmt.Sprintf("%s did not accept the PAC that %s presented in its ClientHello: a full handshake followed instead of a PAC-based tunnel.", server(s), who(s))
		hint := "The PAC expired, or the server's PAC master key changed (another server, a reinstall) so it cannot open the PAC-Opaque. The client falls back to a certificate tunnel or to provisioning and gets a new PAC; check the Tunnel PAC lifetime and that all nodes share the PAC master key."
		out = append(out, finding(report.SeverityWarning, sum, hint, h.FirstFrame, h.ServerHelloFrame))
	}
	if fr := s.Evidence["fast.authz-pac-not-accepted"]; len(fr) > 0 {
		sum := fmt.Sprintf("%s did not accept the Authorization PAC(s) %s presented inside the tunnel: the inner method ran all the same and new Authorization PACs were provisioned.", server(s), who(s))
		hint := "Authorization PACs are short-lived (one hour by default): an expired one costs a full inner authentication and is re-provisioned. Lengthen the Authorization PAC lifetime if re-authentications within it are expected."
		out = append(out, finding(report.SeverityWarning, sum, hint, fr...))
	}
	return out
}

// fastCryptobindingFailed: the Crypto-Binding check failed, so the whole
// conversation fails.
func fastCryptobindingFailed(s *report.Session) []report.Finding {
	f := fastOf(s)
	if f == nil || f.Cryptobinding == nil || *f.Cryptobinding != "failed" {
		return nil
	}
	how := "the server rejected the client's Crypto-Binding TLV"
	if f.CryptobindingBasis != nil && *f.CryptobindingBasis == "compound-mac" {
		how = "the client's Compound MAC does not match the keys of the tunnel and the inner method"
	}
	sum := fmt.Sprintf("EAP-FAST cryptobinding failed for %s with %s: %s.", who(s), server(s), how)
	hint := "Cryptobinding proves that the inner method and the tunnel have the same two ends. A failure points at a man in the middle, or at a client and server that derive the inner method's key differently (EAP-FAST version, MSCHAPv2 key order): compare client and server versions and check for proxies between them."
	return []report.Finding{finding(report.SeverityError, sum, hint, s.Evidence["fast.cryptobinding-failed"]...)}
}

// innerMethodFailed: the decrypted tunnel shows the inner method failed,
// and why.
func innerMethodFailed(s *report.Session) []report.Finding {
	if s.EAP == nil || !s.EAP.Decrypted {
		return nil
	}
	fr := s.Evidence["eap.inner-failure"]
	if s.EAP.InnerFailure == nil && len(fr) == 0 {
		return nil
	}
	reason := "the server's Result TLV says failure"
	if s.EAP.InnerFailure != nil {
		reason = *s.EAP.InnerFailure
	}
	sum := fmt.Sprintf("The inner authentication of %s inside %s failed at %s: %s.", who(s), s.EAP.Method, server(s), reason)
	hint := "The tunnel was fine; the credentials inside it were not accepted. For MSCHAPv2, E=691 is a wrong user name or password, E=648 an expired password, E=647 a disabled account, E=649 no dial-in permission; the server's log for this session gives the detail."
	return []report.Finding{finding(report.SeverityError, sum, hint, fr...)}
}

func joinList(l []string) string {
	out := ""
	for i, x := range l {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
