package rules

// alertHint explains a TLS alert description in words an engineer can act on.
func alertHint(desc, from string) string {
	other := "server"
	if from == "server" {
		other = "client"
	}
	switch desc {
	case "handshake_failure":
		return "No acceptable parameters: the " + from + " found no common cipher suite, version or extension set, or refused what the " + other + " offered (e.g. an anonymous-only EAP-FAST server and a client offering only certificate suites). Compare the ClientHello's suites and versions with the " + from + "'s configuration."
	case "unknown_ca":
		return "The " + from + " does not trust the issuer of the " + other + "'s certificate: install the issuing CA (and intermediates) in its trust store, or fix the chain the " + other + " sends."
	case "bad_certificate", "unsupported_certificate", "certificate_unknown":
		return "The " + from + " rejected the " + other + "'s certificate (key usage, EKU, name or format): check the certificate against the " + from + "'s requirements."
	case "certificate_expired":
		return "A certificate in the " + other + "'s chain is expired (or the " + from + "'s clock is wrong): renew it or fix the time."
	case "certificate_revoked":
		return "The " + other + "'s certificate is revoked according to the " + from + "'s CRL/OCSP."
	case "protocol_version":
		return "The " + from + " does not support the TLS version the " + other + " asked for: align the minimum/maximum TLS versions of both ends."
	case "insufficient_security":
		return "The " + from + " requires stronger cipher suites than the " + other + " offered."
	case "decrypt_error", "bad_record_mac", "decryption_failed":
		return "Cryptographic check failed: mismatched keys (e.g. a resumed session or PAC the " + from + " derived differently), a broken middlebox, or a wrong PAC-Key. Check both ends' logs."
	case "access_denied":
		return "The " + from + " refused access after the handshake checks (policy)."
	case "unexpected_message":
		return "A message arrived out of order: an implementation bug or interference in the path."
	case "no_renegotiation":
		return "The " + from + " refused to renegotiate inside the established session."
	case "illegal_parameter", "decode_error":
		return "The " + from + " could not parse a field the " + other + " sent: an interoperability bug; compare implementations and versions."
	case "unrecognized_name":
		return "The server does not serve the name the client put in SNI."
	case "certificate_required":
		return "The server requires a client certificate and the client sent none."
	case "no_application_protocol":
		return "No common ALPN protocol."
	case "close_notify":
		return "An orderly close; by itself not a failure."
	case "user_canceled":
		return "The " + from + " cancelled the handshake (often a user or application decision)."
	case "internal_error":
		return "The " + from + " hit an internal error: check its logs."
	}
	return "Check the " + from + "'s log for why it sent this alert."
}
