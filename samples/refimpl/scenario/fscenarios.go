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
// PACs on, fast reconnect on.
func laptop(chaining bool) eapfast.PeerConfig {
	return eapfast.PeerConfig{User: fastUserCreds(), Machine: fastMachineCreds(), UsePACs: true, FastReconnect: true,
		EAPChaining: chaining, AllowAuthenticatedProvisioning: true}
}

const (
	day         = 24 * time.Hour
	tunnelLife  = 90 * day
	machineLife = 7 * day
	authzLife   = time.Hour
)

func runF1(w *World) error {
	l, err := newFastLab(w, fastPolicy(false))
	if err != nil {
		return err
	}
	cfg := laptop(false)
	cfg.Store = newStore()
	cfg.Authenticate = fast.IdentityMachine
	if err := l.givePAC(&cfg, fast.PACTypeMachineAuthentication, fastMachine, day, machineLife); err != nil {
		return err
	}
	if err := l.givePAC(&cfg, fast.PACTypeTunnel, fastUser, day, tunnelLife); err != nil {
		return err
	}
	st, err := l.station(cfg)
	if err != nil {
		return err
	}
	// The machine authenticates at boot, the user at logon.
	if _, err := l.run(st); err != nil {
		return err
	}
	st.cfg.Authenticate = fast.IdentityUser
	w.Clock.Advance(2 * time.Minute)
	if _, err := l.run(st); err != nil {
		return err
	}
	w.Expected.Absent = []string{findingAccessReject}
	return l.finish(st)
}

func runF2(w *World) error {
	l, err := newFastLab(w, fastPolicy(true))
	if err != nil {
		return err
	}
	cfg := laptop(true)
	cfg.Store = newStore()
	for _, p := range []struct {
		t        fast.PACType
		identity string
		life     time.Duration
	}{
		{fast.PACTypeTunnel, fastUser, tunnelLife},
		{fast.PACTypeMachineAuthentication, fastMachine, machineLife},
		{fast.PACTypeUserAuthorization, fastUser, authzLife},
		{fast.PACTypeMachineAuthorization, fastMachine, authzLife},
	} {
		if err := l.givePAC(&cfg, p.t, p.identity, 10*time.Minute, p.life); err != nil {
			return err
		}
	}
	st, err := l.station(cfg)
	if err != nil {
		return err
	}
	if _, err := l.run(st); err != nil {
		return err
	}
	w.Expected.Absent = []string{findingAccessReject}
	return l.finish(st)
}

func runF3(w *World) error {
	pol := eapfast.Policy{EnableEAPChaining: true, RequestClientCertificate: true}
	l, err := newFastLab(w, pol)
	if err != nil {
		return err
	}
	cfg := eapfast.PeerConfig{User: fastUserCreds(), Machine: fastMachineCreds(), EAPChaining: true}
	st, err := l.station(cfg)
	if err != nil {
		return err
	}
	if _, err := l.run(st); err != nil {
		return err
	}
	w.Expected.Absent = []string{findingAccessReject}
	return nil
}

func runF4(w *World) error {
	l, err := newFastLab(w, fastPolicy(true))
	if err != nil {
		return err
	}
	cfg := laptop(true)
	cfg.Store = newStore()
	if err := l.givePAC(&cfg, fast.PACTypeTunnel, fastUser, 2*time.Hour, tunnelLife); err != nil {
		return err
	}
	if err := l.givePAC(&cfg, fast.PACTypeMachineAuthentication, fastMachine, 2*time.Hour, machineLife); err != nil {
		return err
	}
	if err := l.givePAC(&cfg, fast.PACTypeUserAuthorization, fastUser, 2*time.Hour, authzLife); err != nil {
		return err
	}
	if err := l.givePAC(&cfg, fast.PACTypeMachineAuthorization, fastMachine, 2*time.Hour, authzLife); err != nil {
		return err
	}
	st, err := l.station(cfg)
	if err != nil {
		return err
	}
	if _, err := l.run(st, findingPACExpired); err != nil {
		return err
	}
	w.Expected.Absent = []string{findingAccessReject}
	return l.finish(st)
}

func runF5(w *World) error {
	pol := fastPolicy(true)
	pol.RequestClientCertificate = true
	l, err := newFastLab(w, pol)
	if err != nil {
		return err
	}
	cfg := laptop(true)
	cfg.Store = newStore()
	if err := l.givePAC(&cfg, fast.PACTypeTunnel, fastUser, 2*time.Hour, time.Hour); err != nil {
		return err
	}
	st, err := l.station(cfg)
	if err != nil {
		return err
	}
	if _, err := l.run(st); err != nil {
		return err
	}
	w.Expected.Absent = []string{findingAccessReject}
	return l.finish(st)
}

// runF6: anonymous provisioning ends in Access-Reject; the laptop comes
// back at once with the new tunnel PAC.
func runF6(w *World) error {
	pol := fastPolicy(true)
	pol.AllowAuthenticatedProvisioning = false
	l, err := newFastLab(w, pol)
	if err != nil {
		return err
	}
	cfg := eapfast.PeerConfig{User: fastUserCreds(), Machine: fastMachineCreds(), UsePACs: true, FastReconnect: true,
		EAPChaining: true, AllowAnonymousProvisioning: true}
	st, err := l.station(cfg)
	if err != nil {
		return err
	}
	if _, err := l.run(st, findingAnonymousProvisioning, findingAuthzPACRefused, findingAccessReject); err != nil {
		return err
	}
	w.Clock.Advance(time.Second)
	if _, err := l.run(st); err != nil {
		return err
	}
	w.Expected.Findings = []string{findingAccessReject}
	return l.finish(st)
}

func runF7(w *World) error {
	l, err := newFastLab(w, fastPolicy(true))
	if err != nil {
		return err
	}
	cfg := eapfast.PeerConfig{Store: newStore(), Machine: fastMachineCreds(), MachineMethods: []eap.Type{eap.TypeTLS},
		UsePACs: true, FastReconnect: true, EAPChaining: true, AllowAuthenticatedProvisioning: true}
	if err := l.givePAC(&cfg, fast.PACTypeMachineAuthentication, fastMachine, day, machineLife); err != nil {
		return err
	}
	st, err := l.station(cfg)
	if err != nil {
		return err
	}
	if _, err := l.run(st, findingChainingPartial); err != nil {
		return err
	}
	w.Expected.Absent = []string{findingAccessReject}
	return l.finish(st)
}

func runF8(w *World) error {
	pol := fastPolicy(true)
	pol.AllowAuthenticatedProvisioning = false
	l, err := newFastLab(w, pol)
	if err != nil {
		return err
	}
	cfg := eapfast.PeerConfig{User: fastUserCreds(), Machine: fastMachineCreds(), UsePACs: true,
		EAPChaining: true, AllowAuthenticatedProvisioning: true}
	st, err := l.station(cfg)
	if err != nil {
		return err
	}
	if _, err := l.run(st, findingNoAnonymousCipher, findingAccessReject); err != nil {
		return err
	}
	w.Expected.Findings = []string{findingAccessReject}
	return nil
}
