package eapfast

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/fastpac"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

const (
	userName    = "alice"
	userPass    = "Passw0rd!"
	machineName = "host/laptop-01.lab.example"
	machinePass = "Machine-Secret-1"
)

var aid = []byte("sscope-lab-aid-1")

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// lab is one server node and its authority.
type lab struct {
	t      *testing.T
	clock  *clock
	issuer *fastpac.Issuer
	fast   *Server
	eap    *eapauth.Server
	resume bool // supplicants keep and offer TLS sessions
}

func newLab(t *testing.T, seed string, pol Policy) *lab {
	t.Helper()
	c := &clock{t: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)}
	iss, err := fastpac.NewIssuer(aid, []byte("radius.lab.example"), detrand.New(seed+" authority"))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := NewServer(ServerConfig{Policy: pol, Issuer: iss})
	if err != nil {
		t.Fatal(err)
	}
	es := eapauth.NewServer(eapauth.ServerConfig{
		Rand:        detrand.New(seed + " server"),
		Time:        c.now,
		Policy:      eapauth.Policy{AllowedMethods: []eap.Type{eap.TypeFAST}},
		Certificate: pki.Server(),
		Passwords:   map[string]string{userName: userPass, machineName: machinePass},
		Factories:   map[eap.Type]eapauth.ServerMethodFactory{eap.TypeFAST: fs.Factory()},
	})
	return &lab{t: t, clock: c, issuer: iss, fast: fs, eap: es}
}

// supplicant is one peer: the eapauth supplicant and its EAP-FAST method.
type supplicant struct {
	fast *Peer
	eap  *eapauth.Peer
}

func (l *lab) supplicant(seed string, cfg PeerConfig) *supplicant {
	l.t.Helper()
	if cfg.Store == nil {
		cfg.Store = new(fastpac.Store)
	}
	fp, err := NewPeer(cfg)
	if err != nil {
		l.t.Fatal(err)
	}
	ep := eapauth.NewPeer(eapauth.PeerConfig{
		Rand:              detrand.New(seed + " peer"),
		Time:              l.clock.now,
		Credentials:       eapauth.Credentials{Identity: "anonymous"},
		OuterIdentity:     "anonymous",
		Methods:           []eap.Type{eap.TypeFAST},
		RootCAs:           pki.CAPool(),
		Factories:         map[eap.Type]eapauth.PeerMethodFactory{eap.TypeFAST: fp.Factory()},
		SessionResumption: l.resume,
	})
	return &supplicant{fast: fp, eap: ep}
}

// givePAC stores a PAC issued by the lab's authority at the lab's time.
func (l *lab) givePAC(s *PeerConfig, t fast.PACType, identity string, lifetime time.Duration) {
	l.t.Helper()
	tlv, err := l.issuer.Issue(t, identity, l.clock.now(), lifetime)
	if err != nil {
		l.t.Fatal(err)
	}
	p, err := fastpac.FromTLV(tlv)
	if err != nil {
		l.t.Fatal(err)
	}
	s.Store.Put(p)
}

// conversation is one authentication played in memory, EAP packet by EAP
// packet.
type conversation struct {
	packets     [][]byte
	verdict     eapauth.Verdict
	server      *eapauth.Outcome
	peer        *eapauth.Outcome
	serverTruth *Truth
	peerTruth   *Truth
}

func (l *lab) play(s *supplicant) *conversation {
	l.t.Helper()
	auth := l.eap.NewConversation()
	conv := s.eap.NewConversation()
	c := &conversation{}
	req := auth.Start(1)
	for i := 0; i < 400; i++ {
		c.packets = append(c.packets, req)
		resp, err := conv.Respond(req)
		if err != nil {
			l.t.Fatalf("peer: %v (server outcome %+v)", err, auth.Outcome())
		}
		if resp == nil {
			break
		}
		c.packets = append(c.packets, resp)
		var v eapauth.Verdict
		req, v = auth.Process(resp)
		if req == nil {
			l.t.Fatal("server discarded a response")
		}
		if v != eapauth.Continue {
			c.verdict = v
			c.packets = append(c.packets, req)
			if _, err := conv.Respond(req); err != nil {
				l.t.Fatal(err)
			}
			break
		}
	}
	if !conv.Done() {
		l.t.Fatal("the conversation did not end")
	}
	c.server, c.peer = auth.Outcome(), conv.Outcome()
	c.serverTruth, _ = c.server.Extra.(*Truth)
	c.peerTruth, _ = c.peer.Extra.(*Truth)
	if c.serverTruth == nil || c.peerTruth == nil {
		l.t.Fatal("no EAP-FAST truth recorded")
	}
	for i, p := range c.packets {
		if _, err := eap.Parse(p); err != nil {
			l.t.Fatalf("packet %d does not decode: %v", i, err)
		}
	}
	return c
}

// check compares a truth with the report fields expected.
func check(t *testing.T, who string, got *Truth, want Truth) {
	t.Helper()
	g := *got
	g.Steps = nil
	if !reflect.DeepEqual(normalizeTruth(g), normalizeTruth(want)) {
		t.Errorf("%s truth\n got %+v\nwant %+v", who, g, want)
	}
}

func normalizeTruth(t Truth) Truth {
	if len(t.PACsPresented) == 0 {
		t.PACsPresented = nil
	}
	if len(t.PACsProvisioned) == 0 {
		t.PACsProvisioned = nil
	}
	return t
}

// hasSteps checks that the server logged codes in this order (others may
// come between).
func hasSteps(t *testing.T, got *Truth, codes ...int) {
	t.Helper()
	all := got.StepCodes()
	i := 0
	for _, c := range all {
		if i < len(codes) && c == codes[i] {
			i++
		}
	}
	if i < len(codes) {
		t.Errorf("steps %v lack %v in order (missing from %d)", all, codes, codes[i])
	}
}

func (c *conversation) succeeded(t *testing.T) {
	t.Helper()
	if c.verdict != eapauth.Succeeded || !c.server.Success || !c.peer.Success {
		t.Fatalf("not a success: verdict %v\nserver %+v\npeer %+v", c.verdict, c.server, c.peer)
	}
	if len(c.server.MSK) != 64 || !bytes.Equal(c.server.MSK, c.peer.MSK) {
		t.Fatalf("MSKs differ: %x / %x", c.server.MSK, c.peer.MSK)
	}
}

func (c *conversation) failed(t *testing.T) {
	t.Helper()
	if c.verdict != eapauth.Failed || c.server.Success || c.peer.Success || c.peer.EAPResult != eapauth.ResultFailure {
		t.Fatalf("not a failure: verdict %v\nserver %+v\npeer %+v", c.verdict, c.server, c.peer)
	}
}

func (c *conversation) handshakes() []tlsengine.HandshakeRecord { return c.server.Handshakes }

var fullPolicy = Policy{
	AllowAnonymousProvisioning:              true,
	AllowAuthenticatedProvisioning:          true,
	AcceptClientOnAuthenticatedProvisioning: true,
	UsePACs:                                 true,
	UseMachinePACs:                          true,
	UseAuthorizationPACs:                    true,
}

func userCreds() *eapauth.Credentials {
	return &eapauth.Credentials{Identity: userName, Password: userPass}
}
func machineCreds() *eapauth.Credentials {
	return &eapauth.Credentials{Identity: machineName, Password: machinePass, Certificate: pki.Client()}
}

// F1: no chaining; the machine authenticates with its Machine PAC alone,
// the user with the Tunnel PAC and an inner EAP-MSCHAPv2.
func TestF1NoChainingMachineAndTunnelPAC(t *testing.T) {
	l := newLab(t, "F1", fullPolicy)
	cfg := PeerConfig{Store: new(fastpac.Store), User: userCreds(), Machine: machineCreds(), UsePACs: true,
		FastReconnect: true, AllowAuthenticatedProvisioning: true, Authenticate: fast.IdentityMachine}
	l.givePAC(&cfg, fast.PACTypeMachineAuthentication, machineName, 7*24*time.Hour)
	l.givePAC(&cfg, fast.PACTypeTunnel, userName, 90*24*time.Hour)
	s := l.supplicant("F1", cfg)

	machine := l.play(s)
	machine.succeeded(t)
	want := Truth{Tunnel: "pac", PACInClientHello: "machine", PACsPresented: []string{"machine"}, Chaining: ChainingNone, Cryptobinding: "verified"}
	check(t, "server", machine.serverTruth, want)
	check(t, "peer", machine.peerTruth, want)
	hasSteps(t, machine.serverTruth, StepMachinePAC, StepPACTunnel, StepInnerSkipped, StepCryptobindingOK, StepEAPSuccess)
	if len(machine.server.InnerMethods) != 0 {
		t.Errorf("inner methods %v ran for the machine", machine.server.InnerMethods)
	}
	if h := machine.handshakes(); len(h) != 1 || h[0].Kind != tlsengine.KindAbbreviated || h[0].Resumption != tlsengine.ResumptionPAC {
		t.Errorf("machine handshakes %+v", h)
	}

	s.fast.Config().Authenticate = fast.IdentityUser
	user := l.play(s)
	user.succeeded(t)
	want.PACInClientHello, want.PACsPresented = "tunnel", []string{"tunnel"}
	check(t, "server", user.serverTruth, want)
	check(t, "peer", user.peerTruth, want)
	hasSteps(t, user.serverTruth, StepTunnelPAC, StepPACTunnel, StepInnerStarted, StepCryptobindingOK, StepEAPSuccess)
	if !slices.Equal(user.server.InnerMethods, []string{"EAP-MSCHAPv2"}) || !slices.Equal(user.server.InnerIdentities, []string{userName}) {
		t.Errorf("inner %v %v", user.server.InnerMethods, user.server.InnerIdentities)
	}
}

// F2: chaining; the Tunnel PAC builds the tunnel and the user and machine
// authorization PACs skip both inner methods.
func TestF2ChainingWithAuthorizationPACs(t *testing.T) {
	pol := fullPolicy
	pol.EnableEAPChaining = true
	l := newLab(t, "F2", pol)
	cfg := PeerConfig{Store: new(fastpac.Store), User: userCreds(), Machine: machineCreds(), UsePACs: true,
		FastReconnect: true, EAPChaining: true, AllowAuthenticatedProvisioning: true}
	l.givePAC(&cfg, fast.PACTypeTunnel, userName, 90*24*time.Hour)
	l.givePAC(&cfg, fast.PACTypeMachineAuthentication, machineName, 7*24*time.Hour)
	l.givePAC(&cfg, fast.PACTypeUserAuthorization, userName, time.Hour)
	l.givePAC(&cfg, fast.PACTypeMachineAuthorization, machineName, time.Hour)
	c := l.play(l.supplicant("F2", cfg))
	c.succeeded(t)
	want := Truth{Tunnel: "pac", PACInClientHello: "tunnel", PACsPresented: []string{"tunnel", "user-authorization", "machine-authorization"},
		Chaining: ChainingBoth, Cryptobinding: "verified"}
	check(t, "server", c.serverTruth, want)
	check(t, "peer", c.peerTruth, want)
	hasSteps(t, c.serverTruth, StepTunnelPAC, StepPACTunnel, StepChaining, StepUserAuthzPAC, StepMachineAuthzPAC, StepEAPSuccess)
	if len(c.server.InnerMethods) != 0 || c.serverTruth.HasStep(StepIdentityUser) {
		t.Errorf("an inner method ran: %v %v", c.server.InnerMethods, c.serverTruth.StepCodes())
	}
}

// F3: chaining without PACs: certificate tunnel, CertificateRequest
// answered with an empty Certificate, renegotiation inside the tunnel,
// EAP-MSCHAPv2 for the user then the machine, nothing provisioned.
func TestF3ChainingWithoutPACs(t *testing.T) {
	l := newLab(t, "F3", Policy{EnableEAPChaining: true, RequestClientCertificate: true})
	c := l.play(l.supplicant("F3", PeerConfig{User: userCreds(), Machine: machineCreds(), EAPChaining: true}))
	c.succeeded(t)
	want := Truth{Tunnel: "certificate", Chaining: ChainingBoth, Cryptobinding: "verified"}
	check(t, "server", c.serverTruth, want)
	check(t, "peer", c.peerTruth, want)
	hasSteps(t, c.serverTruth, StepNoClientCertOuter, StepRenegotiation, StepNoClientCertInner, StepPACLessTunnel,
		StepChaining, StepIdentityUser, StepCryptobindingOK, StepIdentityMachine, StepCryptobindingOK, StepEAPSuccess)
	h := c.handshakes()
	if len(h) != 2 || h[0].Kind != tlsengine.KindFull || h[0].ClientCertificate != tlsengine.ClientCertEmpty ||
		!h[1].Renegotiation || h[1].ClientCertificate != tlsengine.ClientCertEmpty || h[1].Kind != tlsengine.KindFull {
		t.Errorf("handshakes %+v", h)
	}
	if !slices.Equal(c.server.InnerIdentities, []string{userName, machineName}) ||
		!slices.Equal(c.server.InnerMethods, []string{"EAP-MSCHAPv2", "EAP-MSCHAPv2"}) {
		t.Errorf("inner %v %v", c.server.InnerIdentities, c.server.InnerMethods)
	}
}

// F4: chaining; the Tunnel PAC is valid, the authorization PACs expired:
// both inner methods run and both authorization PACs are provisioned again.
func TestF4AuthorizationPACsExpired(t *testing.T) {
	pol := fullPolicy
	pol.EnableEAPChaining = true
	l := newLab(t, "F4", pol)
	cfg := PeerConfig{Store: new(fastpac.Store), User: userCreds(), Machine: machineCreds(), UsePACs: true,
		FastReconnect: true, EAPChaining: true, AllowAuthenticatedProvisioning: true}
	l.givePAC(&cfg, fast.PACTypeTunnel, userName, 90*24*time.Hour)
	l.givePAC(&cfg, fast.PACTypeMachineAuthentication, machineName, 7*24*time.Hour)
	l.givePAC(&cfg, fast.PACTypeUserAuthorization, userName, time.Hour)
	l.givePAC(&cfg, fast.PACTypeMachineAuthorization, machineName, time.Hour)
	l.clock.t = l.clock.t.Add(2 * time.Hour)
	s := l.supplicant("F4", cfg)
	c := l.play(s)
	c.succeeded(t)
	want := Truth{Tunnel: "pac", PACInClientHello: "tunnel", PACsPresented: []string{"tunnel", "user-authorization", "machine-authorization"},
		PACsProvisioned: []string{"user-authorization", "machine-authorization"}, Chaining: ChainingBoth, Cryptobinding: "verified"}
	check(t, "server", c.serverTruth, want)
	check(t, "peer", c.peerTruth, want)
	hasSteps(t, c.serverTruth, StepTunnelPAC, StepPACTunnel, StepChaining, StepUserAuthzExpired, StepMachineAuthzExpired,
		StepIdentityUser, StepCryptobindingOK, StepAuthzPACApproved, StepIdentityMachine, StepUserAuthzPACDone, StepMachineAuthzPACDone)
	// The fresh authorization PACs skip the inner methods next time.
	again := l.play(s)
	again.succeeded(t)
	if again.serverTruth.Chaining != ChainingBoth || len(again.server.InnerMethods) != 0 || !again.serverTruth.HasStep(StepUserAuthzPAC) {
		t.Errorf("with the new PACs: %+v %v", again.serverTruth, again.server.InnerMethods)
	}
}

// F5: chaining; the Tunnel PAC expired: full certificate handshake,
// renegotiation, both inner methods, crypto-binding, and the four PACs
// provisioned in the authenticated tunnel; Access-Accept at once.
func TestF5TunnelPACExpired(t *testing.T) {
	pol := fullPolicy
	pol.EnableEAPChaining, pol.RequestClientCertificate = true, true
	l := newLab(t, "F5", pol)
	cfg := PeerConfig{Store: new(fastpac.Store), User: userCreds(), Machine: machineCreds(), UsePACs: true,
		FastReconnect: true, EAPChaining: true, AllowAuthenticatedProvisioning: true}
	l.givePAC(&cfg, fast.PACTypeTunnel, userName, time.Hour)
	l.clock.t = l.clock.t.Add(2 * time.Hour)
	s := l.supplicant("F5", cfg)
	c := l.play(s)
	c.succeeded(t)
	want := Truth{Provisioning: "authenticated", Tunnel: "certificate", Chaining: ChainingBoth, Cryptobinding: "verified",
		PACsProvisioned: []string{"tunnel", "user-authorization", "machine", "machine-authorization"}}
	check(t, "server", c.serverTruth, want)
	check(t, "peer", c.peerTruth, want)
	hasSteps(t, c.serverTruth, StepNoClientCertOuter, StepRenegotiation, StepNoClientCertInner, StepAuthenticatedTunnel,
		StepChaining, StepIdentityUser, StepCryptobindingOK, StepTunnelPACApproved, StepAuthzPACApproved, StepIdentityMachine,
		StepTunnelPACDone, StepUserAuthzPACDone, StepMachinePACDone, StepMachineAuthzPACDone, StepEAPSuccess)
	if h := c.handshakes(); len(h) != 2 || !h[1].Renegotiation || h[0].Anonymous {
		t.Errorf("handshakes %+v", h)
	}
	// The new Tunnel PAC builds the next tunnel.
	next := l.play(s)
	next.succeeded(t)
	if next.serverTruth.Tunnel != "pac" || next.serverTruth.PACInClientHello != "tunnel" {
		t.Errorf("after provisioning: %+v", next.serverTruth)
	}
}

// F6: chaining with anonymous provisioning: TLS_DH_anon, EAP-MSCHAPv2
// with the tunnel's challenges for user and machine, Tunnel and Machine
// PACs provisioned, authorization PACs refused, EAP-Failure.
func TestF6AnonymousProvisioning(t *testing.T) {
	pol := fullPolicy
	pol.EnableEAPChaining, pol.AllowAuthenticatedProvisioning = true, false
	l := newLab(t, "F6", pol)
	s := l.supplicant("F6", PeerConfig{User: userCreds(), Machine: machineCreds(), UsePACs: true, FastReconnect: true,
		EAPChaining: true, AllowAnonymousProvisioning: true})
	c := l.play(s)
	c.failed(t)
	want := Truth{Provisioning: "anonymous", Tunnel: "anonymous", Chaining: ChainingBoth, Cryptobinding: "verified",
		PACsProvisioned: []string{"tunnel", "machine"}}
	check(t, "server", c.serverTruth, want)
	check(t, "peer", c.peerTruth, want)
	hasSteps(t, c.serverTruth, StepAnonymousTunnel, StepChaining, StepIdentityUser, StepCryptobindingOK, StepTunnelPACApproved,
		StepNoAuthzOnAnonymous, StepNoAuthzOnAnonymous, StepIdentityMachine, StepTunnelPACDone, StepMachinePACDone, StepEAPFailure)
	h := c.handshakes()
	if len(h) != 1 || !h[0].Anonymous || h[0].CipherSuite != tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA {
		t.Errorf("handshakes %+v", h)
	}
	// The forced re-authentication uses the new Tunnel PAC.
	again := l.play(s)
	again.succeeded(t)
	if again.serverTruth.Tunnel != "pac" || again.serverTruth.Provisioning != "" {
		t.Errorf("re-authentication: %+v", again.serverTruth)
	}
}

// F7: chaining without user credentials: Machine PAC tunnel; asked for
// the user, the peer offers the machine and NAKs EAP-MSCHAPv2 for
// EAP-TLS; asked again, it cannot; the user fails, the machine passes.
func TestF7UserCredentialsMissing(t *testing.T) {
	pol := fullPolicy
	pol.EnableEAPChaining = true
	l := newLab(t, "F7", pol)
	cfg := PeerConfig{Store: new(fastpac.Store), Machine: machineCreds(), MachineMethods: []eap.Type{eap.TypeTLS},
		UsePACs: true, FastReconnect: true, EAPChaining: true, AllowAuthenticatedProvisioning: true}
	l.givePAC(&cfg, fast.PACTypeMachineAuthentication, machineName, 7*24*time.Hour)
	c := l.play(l.supplicant("F7", cfg))
	c.succeeded(t)
	want := Truth{Tunnel: "pac", PACInClientHello: "machine", PACsPresented: []string{"machine"},
		PACsProvisioned: []string{"machine-authorization"}, Chaining: ChainingUserFailed, Cryptobinding: "verified"}
	check(t, "server", c.serverTruth, want)
	check(t, "peer", c.peerTruth, want)
	hasSteps(t, c.serverTruth, StepMachinePAC, StepPACTunnel, StepChaining, StepIdentityUser, StepIdentityMismatch,
		StepIdentitySuggested, StepCryptobindingOK, StepAuthzPACApproved, StepIdentityUser, StepIdentityMismatch, StepIdentityUsed,
		StepIntermediateFailure, StepMachineAuthzPACDone, StepEAPSuccess)
	if !slices.Equal(c.server.InnerMethods, []string{"EAP-TLS"}) || len(c.server.InnerIdentities) != 1 || c.server.InnerIdentities[0] != machineName {
		t.Errorf("inner %v %v", c.server.InnerMethods, c.server.InnerIdentities)
	}
}

// F8: the server provisions anonymously only; the peer offers only
// certificate suites: handshake_failure alert, EAP-Failure.
func TestF8NoAnonymousCiphers(t *testing.T) {
	pol := fullPolicy
	pol.EnableEAPChaining, pol.AllowAuthenticatedProvisioning = true, false
	l := newLab(t, "F8", pol)
	c := l.play(l.supplicant("F8", PeerConfig{User: userCreds(), Machine: machineCreds(), UsePACs: true,
		EAPChaining: true, AllowAuthenticatedProvisioning: true}))
	c.failed(t)
	want := Truth{Chaining: ChainingNone}
	check(t, "server", c.serverTruth, want)
	check(t, "peer", c.peerTruth, want)
	hasSteps(t, c.serverTruth, StepNoAnonymousCiphers, StepEAPFailure)
	h := c.handshakes()
	if len(h) != 1 || h[0].Kind != tlsengine.KindFailed || h[0].Alert == nil || !h[0].AlertSentByUs {
		t.Fatalf("handshakes %+v", h)
	}
}

// A peer whose Compound MAC is wrong fails the whole conversation.
func TestCryptoBindingFailure(t *testing.T) {
	pol := fullPolicy
	pol.EnableEAPChaining = true
	l := newLab(t, "CB", pol)
	cfg := PeerConfig{Store: new(fastpac.Store), User: userCreds(), Machine: machineCreds(), UsePACs: true,
		EAPChaining: true, AllowAuthenticatedProvisioning: true, CorruptCryptoBinding: true}
	l.givePAC(&cfg, fast.PACTypeTunnel, userName, 90*24*time.Hour)
	c := l.play(l.supplicant("CB", cfg))
	c.failed(t)
	if c.serverTruth.Cryptobinding != "failed" || c.serverTruth.HasStep(StepCryptobindingOK) || c.serverTruth.Chaining != ChainingBothFailed {
		t.Fatalf("server %+v", c.serverTruth)
	}
	// The peer checked the server's binding (right) and learned the
	// verdict from the failure Result.
	if c.peerTruth.Cryptobinding != "verified" || c.peerTruth.Chaining != ChainingBothFailed {
		t.Fatalf("peer %+v", c.peerTruth)
	}
}

// A wrong password fails the inner method and, without chaining, the
// conversation.
func TestWrongPassword(t *testing.T) {
	l := newLab(t, "pw", fullPolicy)
	cfg := PeerConfig{Store: new(fastpac.Store), User: &eapauth.Credentials{Identity: userName, Password: "wrong"},
		UsePACs: true, AllowAuthenticatedProvisioning: true}
	l.givePAC(&cfg, fast.PACTypeTunnel, userName, 90*24*time.Hour)
	c := l.play(l.supplicant("pw", cfg))
	c.failed(t)
	if c.serverTruth.Cryptobinding != "" || c.serverTruth.Tunnel != "pac" {
		t.Fatalf("server %+v", c.serverTruth)
	}
}

// Fixed seeds give the same bytes.
func TestDeterministic(t *testing.T) {
	run := func() [][]byte {
		pol := fullPolicy
		pol.EnableEAPChaining, pol.RequestClientCertificate = true, true
		l := newLab(t, "det", pol)
		return l.play(l.supplicant("det", PeerConfig{User: userCreds(), Machine: machineCreds(), UsePACs: true,
			FastReconnect: true, EAPChaining: true, AllowAuthenticatedProvisioning: true})).packets
	}
	a, b := run(), run()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seeds differ")
	}
}

// PAC-less tunnels resume by session ID when the server keeps sessions.
func TestSessionResumptionWithoutPACs(t *testing.T) {
	l := newLab(t, "resume", Policy{EnableSessionResume: true})
	l.resume = true
	s := l.supplicant("resume", PeerConfig{User: userCreds()})
	first := l.play(s)
	first.succeeded(t)
	second := l.play(s)
	second.succeeded(t)
	h1, h2 := first.handshakes(), second.handshakes()
	if len(h1) != 1 || len(h2) != 1 || h1[0].Kind != tlsengine.KindFull || len(h1[0].ServerSessionID) == 0 ||
		h2[0].Kind != tlsengine.KindAbbreviated || h2[0].Resumption != tlsengine.ResumptionSessionID ||
		!bytes.Equal(h2[0].ServerSessionID, h1[0].ServerSessionID) {
		t.Fatalf("handshakes %+v / %+v", h1, h2)
	}
	if second.serverTruth.Tunnel != "certificate" || !slices.Equal(second.server.InnerMethods, []string{"EAP-MSCHAPv2"}) {
		t.Fatalf("resumed conversation %+v %v", second.serverTruth, second.server.InnerMethods)
	}
	// With PACs in use the server keeps no sessions.
	l2 := newLab(t, "resume-pacs", Policy{EnableSessionResume: true, UsePACs: true, AllowAuthenticatedProvisioning: true})
	l2.resume = true
	c := l2.play(l2.supplicant("resume-pacs", PeerConfig{User: userCreds()}))
	if h := c.handshakes(); len(h) != 1 || len(h[0].ServerSessionID) != 0 {
		t.Fatalf("session ID assigned with PACs on: %+v", h)
	}
}
