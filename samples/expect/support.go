package expect

// needsDecryption lists the verdict fields that only a decrypted tunnel
// shows, with what is missing without keys. A difference in one of them is
// reported as "n/s", not as a failure, when the session's report says its
// tunnel was not decrypted; once it was, nothing is excused.
var needsDecryption = map[string]string{
	"eap.inner_methods":                      "inner methods run inside the TLS tunnel: needs decryption",
	"eap.inner_identities":                   "inner identities travel inside the TLS tunnel: needs decryption",
	"eap.fast.pac_in_client_hello":           "the PAC-Opaque is encrypted by the server: its type needs the PAC file",
	"eap.fast.pacs_presented":                "PAC TLVs travel inside the tunnel, and a PAC-Opaque's type needs the PAC file: needs keys",
	"eap.fast.pacs_provisioned":              "PAC TLVs travel inside the tunnel: needs decryption",
	"eap.fast.chaining":                      "Identity-Type and Intermediate-Result TLVs are inside the tunnel: needs decryption",
	"eap.fast.cryptobinding":                 "the Crypto-Binding TLV is inside the tunnel: needs decryption",
	"eap.fast.provisioning":                  "authenticated provisioning is only visible from the PAC TLVs inside the tunnel: needs decryption",
	"finding fast-authorization-pac-refused": "the refused PAC request is inside the tunnel: needs decryption",
	"finding fast-chaining-partial":          "chaining results are inside the tunnel: needs decryption",
	"finding fast-pac-expired":               "Authorization PACs are presented and judged inside the tunnel: needs decryption",
	"finding fast-cryptobinding-failed":      "the Crypto-Binding TLV is inside the tunnel: needs decryption",
	"finding eap-inner-method-failed":        "the inner method's failure is inside the tunnel: needs decryption",
}

// notSupported says whether a difference in field is excused, and why.
// Once the report says the tunnel was decrypted, nothing is excused.
func notSupported(field string, decrypted bool) (string, bool) {
	r, ok := needsDecryption[field]
	if !ok || decrypted {
		return "", false
	}
	return r, true
}
