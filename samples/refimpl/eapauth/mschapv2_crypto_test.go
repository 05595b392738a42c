package eapauth

import (
	"encoding/hex"
	"strings"
	"testing"
)

// The example of RFC 2759 section 9.2, continued by RFC 3079 section
// 3.5.3 (128-bit keys).
var (
	rfcUser          = "User"
	rfcPassword      = "clientPass"
	rfcAuthChallenge = unhex("5B5D7C7D7B3F2F3E3C2C602132262628")
	rfcPeerChallenge = unhex("21402324255E262A28295F2B3A337C7E")
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func hexOf(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

func TestRFC2759Vectors(t *testing.T) {
	ph := NTPasswordHash(rfcPassword)
	checks := []struct{ name, got, want string }{
		{"PasswordHash", hexOf(ph[:]), "44EBBA8D5312B8D611474411F56989AE"},
		{"PasswordHashHash", func() string { h := HashNTPasswordHash(ph); return hexOf(h[:]) }(), "41C00C584BD2D91C4017A2A12FA59F3F"},
		{"ChallengeHash", func() string { c := ChallengeHash(rfcPeerChallenge, rfcAuthChallenge, rfcUser); return hexOf(c[:]) }(), "D02E4386BCE91226"},
		{"ChallengeHash with domain", func() string { c := ChallengeHash(rfcPeerChallenge, rfcAuthChallenge, `LAB\User`); return hexOf(c[:]) }(), "D02E4386BCE91226"},
	}
	nt := GenerateNTResponse(rfcAuthChallenge, rfcPeerChallenge, rfcUser, rfcPassword)
	checks = append(checks,
		struct{ name, got, want string }{"NT-Response", hexOf(nt[:]), "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"},
		struct{ name, got, want string }{"AuthenticatorResponse", GenerateAuthenticatorResponse(rfcPassword, nt, rfcPeerChallenge, rfcAuthChallenge, rfcUser), "S=407A5589115FD0D6209F510FE9C04566932CDA56"},
	)
	mk := GetMasterKey(HashNTPasswordHash(ph), nt)
	checks = append(checks,
		struct{ name, got, want string }{"MasterKey", hexOf(mk[:]), "FDECE3717A8C838CB388E527AE3CDD31"},
		// RFC 3079 3.5.3 SendStartKey128: the server's send key (Magic3),
		// which is also the client's receive key.
		struct{ name, got, want string }{"SendStartKey128", hexOf(GetAsymmetricStartKey(mk, 16, true, true)), "8B7CDC149B993A1BA118CB153F56DCCB"},
		struct{ name, got, want string }{"client receive key", hexOf(GetAsymmetricStartKey(mk, 16, false, false)), "8B7CDC149B993A1BA118CB153F56DCCB"},
		// RFC 3079 3.5.1 (40-bit) starts with the same octets.
		struct{ name, got, want string }{"SendStartKey40", hexOf(GetAsymmetricStartKey(mk, 8, true, true)), "8B7CDC149B993A1B"},
	)
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.name, c.got, c.want)
		}
	}
	msk := MSCHAPv2MSK(rfcPassword, nt)
	if len(msk) != 32 || hexOf(msk[16:]) != "8B7CDC149B993A1BA118CB153F56DCCB" {
		t.Errorf("MSK %s: want server Recv-Key then Send-Key (8B7C...)", hexOf(msk))
	}
	if hexOf(msk[:16]) != hexOf(GetAsymmetricStartKey(mk, 16, true, false)) {
		t.Error("MSK does not start with the peer's send key")
	}
}
