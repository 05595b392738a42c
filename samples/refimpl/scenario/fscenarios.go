package scenario

import (
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/eapfast"
)

// Findings the F scenarios call for (the EAP-FAST rules of the analyzer).
const (
	findingAnonymousProvisioning = "fast-anonymous-provisioning"
	findingAuthzPACRefused       = "fast-authorization-pac-refused"
	findingNoAnonymousCipher     = "fast-no-anonymous-cipher"
	findingChainingPartial       = "fast-chaining-partial"
	findingPACExpired            = "fast-pac-expired"
	findingAccessReject          = "radius-access-reject"
)

const (
	day         = 24 * time.Hour
	tunnelLife  = 90 * day
	machineLife = 7 * day
	authzLife   = time.Hour
)

// pacGrant is a PAC the laptop already holds: provisioned age ago, valid
// for life (expired when age > life).
type pacGrant struct {
	t         fast.PACType
	identity  string
	age, life time.Duration
}

// fastAuth is one authentication of a scenario: who authenticates when
// chaining is off, and the findings it must raise.
type fastAuth struct {
	as       fast.Identity // 0: the peer's default
	after    time.Duration
	findings []string
}

// fastPlay is an F scenario: a server policy, the laptop's settings and
// PACs, and the authentications it makes.
type fastPlay struct {
	policy   eapfast.Policy
	laptop   eapfast.PeerConfig
	pacs     []pacGrant
	auths    []fastAuth
	findings []string // in the whole report
	absent   []string
}

func (p fastPlay) run(w *World) error {
	l, err := newFastLab(w, p.policy)
	if err != nil {
		return err
	}
	cfg := p.laptop
	cfg.Store = newStore()
	for _, g := range p.pacs {
		if err := l.givePAC(&cfg, g.t, g.identity, g.age, g.life); err != nil {
			return err
		}
	}
	st, err := l.station(cfg)
	if err != nil {
		return err
	}
	for _, a := range p.auths {
		w.Clock.Advance(a.after)
		if a.as != 0 {
			st.cfg.Authenticate = a.as
		}
		if _, err := l.run(st, a.findings...); err != nil {
			return err
		}
	}
	w.Expected.Findings = append(w.Expected.Findings, p.findings...)
	w.Expected.Absent = p.absent
	if len(p.pacs) == 0 && len(cfg.Store.PACs()) == 0 {
		return nil
	}
	return l.finish(st)
}

// fastPolicy is the server with everything on: PACs of every kind, both
// provisioning modes, accept after authenticated provisioning.
func fastPolicy(chaining bool) eapfast.Policy {
	return eapfast.Policy{
		AllowAnonymousProvisioning:              true,
		AllowAuthenticatedProvisioning:          true,
		AcceptClientOnAuthenticatedProvisioning: true,
		UsePACs:                                 true,
		UseMachinePACs:                          true,
		UseAuthorizationPACs:                    true,
		EnableEAPChaining:                       chaining,
	}
}

// laptop is the client of the F scenarios: user and machine credentials,
// PACs on, fast reconnect on, authenticated provisioning accepted.
func laptop(chaining bool) eapfast.PeerConfig {
	return eapfast.PeerConfig{User: fastUserCreds(), Machine: fastMachineCreds(), UsePACs: true, FastReconnect: true,
		EAPChaining: chaining, AllowAuthenticatedProvisioning: true}
}

// anonymousOnly is a server that provisions PACs only in anonymous
// tunnels.
func anonymousOnly() eapfast.Policy {
	pol := fastPolicy(true)
	pol.AllowAuthenticatedProvisioning = false
	return pol
}

func withClientCertRequest(pol eapfast.Policy) eapfast.Policy {
	pol.RequestClientCertificate = true
	return pol
}

var (
	okAuth   = []fastAuth{{}}
	noReject = []string{findingAccessReject}
	runF1    = fastPlay{
		policy: fastPolicy(false),
		laptop: laptop(false),
		pacs: []pacGrant{
			{fast.PACTypeMachineAuthentication, fastMachine, day, machineLife},
			{fast.PACTypeTunnel, fastUser, day, tunnelLife},
		},
		// The machine authenticates at boot, the user at logon.
		auths:  []fastAuth{{as: fast.IdentityMachine}, {as: fast.IdentityUser, after: 2 * time.Minute}},
		absent: noReject,
	}.run
	runF2 = fastPlay{
		policy: fastPolicy(true),
		laptop: laptop(true),
		pacs: []pacGrant{
			{fast.PACTypeTunnel, fastUser, 10 * time.Minute, tunnelLife},
			{fast.PACTypeMachineAuthentication, fastMachine, 10 * time.Minute, machineLife},
			{fast.PACTypeUserAuthorization, fastUser, 10 * time.Minute, authzLife},
			{fast.PACTypeMachineAuthorization, fastMachine, 10 * time.Minute, authzLife},
		},
		auths:  okAuth,
		absent: noReject,
	}.run
	runF3 = fastPlay{
		policy: eapfast.Policy{EnableEAPChaining: true, RequestClientCertificate: true},
		laptop: eapfast.PeerConfig{User: fastUserCreds(), Machine: fastMachineCreds(), EAPChaining: true},
		auths:  okAuth,
		absent: noReject,
	}.run
	runF4 = fastPlay{
		policy: fastPolicy(true),
		laptop: laptop(true),
		pacs: []pacGrant{
			{fast.PACTypeTunnel, fastUser, 2 * time.Hour, tunnelLife},
			{fast.PACTypeMachineAuthentication, fastMachine, 2 * time.Hour, machineLife},
			{fast.PACTypeUserAuthorization, fastUser, 2 * time.Hour, authzLife},
			{fast.PACTypeMachineAuthorization, fastMachine, 2 * time.Hour, authzLife},
		},
		auths:  []fastAuth{{findings: []string{findingPACExpired}}},
		absent: noReject,
	}.run
	runF5 = fastPlay{
		policy: withClientCertRequest(fastPolicy(true)),
		laptop: laptop(true),
		pacs:   []pacGrant{{fast.PACTypeTunnel, fastUser, 2 * time.Hour, time.Hour}},
		auths:  okAuth,
		absent: noReject,
	}.run
	// F6: anonymous provisioning ends in Access-Reject; the laptop comes
	// back at once with the new tunnel PAC.
	runF6 = fastPlay{
		policy: anonymousOnly(),
		laptop: eapfast.PeerConfig{User: fastUserCreds(), Machine: fastMachineCreds(), UsePACs: true, FastReconnect: true,
			EAPChaining: true, AllowAnonymousProvisioning: true},
		auths: []fastAuth{
			{findings: []string{findingAnonymousProvisioning, findingAuthzPACRefused}},
			{after: time.Second},
		},
		findings: []string{findingAccessReject},
	}.run
	runF7 = fastPlay{
		policy: fastPolicy(true),
		laptop: eapfast.PeerConfig{Machine: fastMachineCreds(), MachineMethods: []eap.Type{eap.TypeTLS},
			UsePACs: true, FastReconnect: true, EAPChaining: true, AllowAuthenticatedProvisioning: true},
		pacs:   []pacGrant{{fast.PACTypeMachineAuthentication, fastMachine, day, machineLife}},
		auths:  []fastAuth{{findings: []string{findingChainingPartial}}},
		absent: noReject,
	}.run
	runF8 = fastPlay{
		policy: anonymousOnly(),
		laptop: eapfast.PeerConfig{User: fastUserCreds(), Machine: fastMachineCreds(), UsePACs: true,
			EAPChaining: true, AllowAuthenticatedProvisioning: true},
		auths:    []fastAuth{{findings: []string{findingNoAnonymousCipher}}},
		findings: []string{findingAccessReject},
	}.run
)
