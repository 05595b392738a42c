package scenario

import (
	"fmt"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/expect"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/fastpac"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
)

// The EAP-FAST authority of every F scenario.
var (
	fastAID     = []byte("sscope-lab-aid-1")
	fastAIDInfo = []byte("radius.lab.example")
)

// Identities and credentials of the F scenarios' laptop.
const (
	fastUser        = "alice"
	fastUserPass    = "Passw0rd!"
	fastMachine     = "host/laptop-01.lab.example"
	fastMachinePass = "Machine-Secret-1"
)

func fastUserCreds() *eapauth.Credentials {
	return &eapauth.Credentials{Identity: fastUser, Password: fastUserPass}
}

func fastMachineCreds() *eapauth.Credentials {
	return &eapauth.Credentials{Identity: fastMachine, Password: fastMachinePass, Certificate: pki.Client()}
}

// fastLab is an EAP-FAST deployment: the authority that issues PACs and
// one RADIUS node running EAP-FAST with a policy.
type fastLab struct {
	w      *World
	issuer *fastpac.Issuer
	node   *node
}

func newFastLab(w *World, pol eapfast.Policy) (*fastLab, error) {
	iss, err := fastpac.NewIssuer(fastAID, fastAIDInfo, w.Rand("authority"))
	if err != nil {
		return nil, err
	}
	fs, err := eapfast.NewServer(eapfast.ServerConfig{Policy: pol, Issuer: iss})
	if err != nil {
		return nil, err
	}
	n := newNode(w, "ise-1", eapauth.ServerConfig{
		Policy:    eapauth.Policy{AllowedMethods: []eap.Type{eap.TypeFAST}, EnableSessionResume: pol.EnableSessionResume},
		Passwords: map[string]string{fastUser: fastUserPass, fastMachine: fastMachinePass},
		Factories: map[eap.Type]eapauth.ServerMethodFactory{eap.TypeFAST: fs.Factory()},
	})
	return &fastLab{w: w, issuer: iss, node: n}, nil
}

// givePAC puts into the peer's store a PAC provisioned age ago with the
// given lifetime (expired when age > lifetime).
func (l *fastLab) givePAC(cfg *eapfast.PeerConfig, t fast.PACType, identity string, age, lifetime time.Duration) error {
	tlv, err := l.issuer.Issue(t, identity, l.w.Clock.Now().Add(-age), lifetime)
	if err != nil {
		return err
	}
	p, err := fastpac.FromTLV(tlv)
	if err != nil {
		return err
	}
	cfg.Store.Put(p)
	return nil
}

// fastStation is the laptop: an eapauth supplicant with the EAP-FAST
// method of cfg.
type fastStation struct {
	*station
	fast *eapfast.Peer
	cfg  *eapfast.PeerConfig
}

func (l *fastLab) station(cfg eapfast.PeerConfig) (*fastStation, error) {
	if cfg.Store == nil {
		cfg.Store = new(fastpac.Store)
	}
	fp, err := eapfast.NewPeer(cfg)
	if err != nil {
		return nil, err
	}
	w := l.w
	peer := eapauth.NewPeer(eapauth.PeerConfig{
		Rand:          w.Rand("supplicant"),
		Time:          w.Clock.Now,
		Credentials:   eapauth.Credentials{Identity: "anonymous"},
		OuterIdentity: "anonymous",
		Methods:       []eap.Type{eap.TypeFAST},
		RootCAs:       pki.CAPool(),
		Factories:     map[eap.Type]eapauth.PeerMethodFactory{eap.TypeFAST: fp.Factory()},
		KeyLog:        w.LogKeys,
	})
	return &fastStation{
		station: &station{peer: peer, callingStationID: "02-00-5E-20-00-77", auditSessionID: "0A1400020000003A0051C0DE", nasPort: 50107},
		fast:    fp,
		cfg:     fp.Config(),
	}, nil
}

// fastRun authenticates the laptop once through the NAS and records the
// expected verdicts, findings included.
func (l *fastLab) run(st *fastStation, findings ...string) (*eapfast.Truth, error) {
	w := l.w
	conv := st.peer.NewConversation()
	a, err := authenticate(w, l.node, st.station, conv, conv.Outcome)
	if err != nil {
		return nil, err
	}
	sess, err := expectedSession(st.station, a)
	if err != nil {
		return nil, err
	}
	st0, _ := a.server.Extra.(*eapfast.Truth)
	pt, _ := a.peer.Extra.(*eapfast.Truth)
	if st0 == nil || pt == nil {
		return nil, fmt.Errorf("no EAP-FAST truth recorded")
	}
	if st0.Tunnel != pt.Tunnel || st0.Chaining != pt.Chaining || st0.PACInClientHello != pt.PACInClientHello {
		return nil, fmt.Errorf("server and peer disagree on EAP-FAST: %+v / %+v", st0, pt)
	}
	sess.EAP.FAST = expectedFAST(st0)
	for _, s := range st0.Steps {
		sess.Steps = append(sess.Steps, fmt.Sprintf("%d %s", s.Code, s.Text))
	}
	sess.Findings = append(sess.Findings, findings...)
	w.Expected.Sessions = append(w.Expected.Sessions, sess)
	w.Clock.Advance(30 * time.Second)
	return st0, nil
}

func expectedFAST(t *eapfast.Truth) *expect.FAST {
	null := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return &expect.FAST{
		Provisioning:     null(t.Provisioning),
		Tunnel:           null(t.Tunnel),
		PACInClientHello: null(t.PACInClientHello),
		PACsPresented:    nonNil(t.PACsPresented),
		PACsProvisioned:  nonNil(t.PACsProvisioned),
		Chaining:         t.Chaining,
		Cryptobinding:    null(t.Cryptobinding),
	}
}

// finish writes the laptop's PAC file (wpa_supplicant's text format) as
// it stands after the scenario.
func (l *fastLab) finish(st *fastStation) error {
	b, err := st.cfg.Store.MarshalText()
	if err != nil {
		return err
	}
	l.w.PACFile = b
	return nil
}

func newStore() *fastpac.Store { return new(fastpac.Store) }
