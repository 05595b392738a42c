package radius

// IsSecret reports whether a's value is a password, a response computed
// from one, or key material: User-Password, CHAP-Password, Tunnel-Password,
// ARAP-Password, the Digest responses, MS-CHAP and MS-CHAP2 responses and
// password changes, the MS-MPPE keys and the like. Formatting redacts such
// values unless told to show them.
func IsSecret(a Attribute) bool {
	d, ok := a.def()
	return ok && d.flags&(flagSecret|flagUserPassword|flagSalted) != 0
}
