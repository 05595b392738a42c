package expect

// notYetSupported lists the verdict fields the analyzer cannot produce
// from a capture alone today, with what it lacks. A difference in one of
// them is reported as "n/s", not as a failure; a field leaves this list
// when the analyzer learns it.
var notYetSupported = map[string]string{
	"eap.inner_methods":                      "inner methods run inside the TLS tunnel: needs decryption",
	"eap.inner_identities":                   "inner identities travel inside the TLS tunnel: needs decryption",
	"eap.fast.pac_in_client_hello":           "the PAC-Opaque is encrypted by the server: its type needs the PAC file",
	"eap.fast.pacs_presented":                "PAC TLVs travel inside the tunnel: needs decryption",
	"eap.fast.pacs_provisioned":              "PAC TLVs travel inside the tunnel: needs decryption",
	"eap.fast.chaining":                      "Identity-Type and Intermediate-Result TLVs are inside the tunnel: needs decryption",
	"eap.fast.cryptobinding":                 "the Crypto-Binding TLV is inside the tunnel: needs decryption",
	"finding fast-anonymous-provisioning":    "EAP-FAST findings are not made yet",
	"finding fast-authorization-pac-refused": "EAP-FAST findings are not made yet (the refusal is inside the tunnel: needs decryption)",
	"finding fast-no-anonymous-cipher":       "EAP-FAST findings are not made yet",
	"finding fast-chaining-partial":          "EAP-FAST findings are not made yet (chaining results are inside the tunnel: needs decryption)",
	"finding fast-pac-expired":               "EAP-FAST findings are not made yet (expired PACs are judged inside the tunnel: needs decryption)",
	"eap.fast.provisioning":                  "authenticated provisioning is only visible from the PAC TLVs inside the tunnel: needs decryption",
}

// notSupported says whether a difference in field is excused, and why.
// Once the report says the tunnel was decrypted, nothing is excused.
func notSupported(field string, decrypted bool) (string, bool) {
	r, ok := notYetSupported[field]
	if !ok || decrypted {
		return "", false
	}
	return r, true
}
