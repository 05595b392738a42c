package interop

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/dissect/eap"
	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/eapfast"
	"github.com/sessionscope/sscope/samples/refimpl/fastpac"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// EAP-FAST with real peers: eapol_test against our server, our supplicant
// against hostapd's integrated EAP server. Both run anonymous provisioning
// (RFC 5422: TLS_DH_anon tunnel, EAP-MSCHAPv2 with challenges from the
// tunnel keys, crypto-binding, Tunnel PAC delivered and acknowledged, then
// EAP-Failure), then a PAC-based tunnel (the PAC-Opaque in the ClientHello
// SessionTicket extension, master secret from the PAC-Key, abbreviated
// handshake) with EAP-MSCHAPv2 inside.

// ourAID is our server's Authority-ID.
var ourAID = []byte("sscope-interop-A")

// newOurFASTServer returns an EAP server node offering EAP-FAST only, with
// the given EAP-FAST policy.
func newOurFASTServer(t *testing.T, policy eapfast.Policy, seed string) (*eapauth.Server, *eapfast.Server) {
	t.Helper()
	issuer, err := fastpac.NewIssuer(ourAID, []byte("radius.lab.example"), detrand.New(seed+" issuer"))
	if err != nil {
		t.Fatal(err)
	}
	method, err := eapfast.NewServer(eapfast.ServerConfig{Policy: policy, Issuer: issuer})
	if err != nil {
		t.Fatal(err)
	}
	node := newOurEAPServer(t, eapauth.Policy{AllowedMethods: []eap.Type{eap.TypeFAST}}, seed, func(c *eapauth.ServerConfig) {
		c.Factories = map[eap.Type]eapauth.ServerMethodFactory{eap.TypeFAST: method.Factory()}
	})
	return node, method
}

// fastTruth is the EAP-FAST truth of a conversation outcome.
func fastTruth(t *testing.T, o *eapauth.Outcome) *eapfast.Truth {
	t.Helper()
	tr, ok := o.Extra.(*eapfast.Truth)
	if !ok {
		t.Fatalf("outcome without EAP-FAST truth: %+v", o)
	}
	return tr
}

// hasSteps reports whether the server logged every step in want.
func hasSteps(tr *eapfast.Truth, want ...int) bool {
	for _, c := range want {
		if !tr.HasStep(c) {
			return false
		}
	}
	return true
}

func TestEapolTestEAPFASTAgainstOurServer(t *testing.T) {
	needBinary(t, "eapol_test")
	server, _ := newOurFASTServer(t, eapfast.Policy{AllowAnonymousProvisioning: true, UsePACs: true}, "interop eapol_test fast")
	port := serveOurRADIUS(t, server, "interop radius fast")
	pacFile := filepath.Join(t.TempDir(), "pacs")
	network := EapolTestNetwork{EAP: "FAST", Identity: userName, AnonymousIdentity: "FAST-anonymous", Password: userPassword,
		Phase1: "fast_provisioning=1", Phase2: "auth=MSCHAPV2", PACFile: pacFile}

	// Anonymous provisioning: eapol_test stores the Tunnel PAC we deliver;
	// the conversation ends in EAP-Failure by design.
	prov, _ := runEapolTest(t, network, port, 0)
	if prov.PACsWritten != 1 || prov.PACProvisions != 1 || !reflect.DeepEqual(prov.EAPResults(), []string{"EAP-Failure"}) ||
		!reflect.DeepEqual(prov.Resumed(), []bool{false}) {
		t.Errorf("eapol_test provisioning: %+v", prov)
	}
	raw, err := os.ReadFile(pacFile)
	if err != nil {
		t.Fatalf("eapol_test wrote no PAC file: %v", err)
	}
	entries, err := fast.ParsePACFile(raw)
	if err != nil || len(entries) != 1 {
		t.Fatalf("PAC file as eapol_test wrote it: %d entries, %v\n%s", len(entries), err, raw)
	}
	if e := entries[0]; e.Type != fast.PACTypeTunnel || !bytes.Equal(e.AID, ourAID) || string(e.IID) != userName || len(e.Key) != 32 {
		t.Errorf("PAC as eapol_test stored it: type %d A-ID %q I-ID %q key %d bytes", e.Type, e.AID, e.IID, len(e.Key))
	}

	// PAC-based tunnel with the PAC eapol_test kept.
	auth, _ := runEapolTest(t, network, port, 0)
	if !auth.Success || auth.MPPEOK != 1 || len(auth.Auths) != 1 || !reflect.DeepEqual(auth.Auths[0].Resumed, []bool{true}) ||
		!reflect.DeepEqual(auth.Auths[0].PACUsed, []int{1}) || !slices.Contains(auth.Auths[0].Phase2Types, 26) {
		t.Errorf("eapol_test PAC-based authentication: %+v", auth)
	}

	outcomes := server.Outcomes()
	if len(outcomes) != 2 {
		t.Fatalf("our server recorded %d conversations, want 2", len(outcomes))
	}
	p, a := outcomes[0], outcomes[1]
	pt, at := fastTruth(t, p), fastTruth(t, a)
	if p.Success || p.Method != "EAP-FAST" || len(p.Handshakes) != 1 || !p.Handshakes[0].Anonymous ||
		p.Handshakes[0].CipherSuite != tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA {
		t.Errorf("provisioning conversation: %+v", p)
	}
	if pt.Provisioning != "anonymous" || pt.Tunnel != "anonymous" || !reflect.DeepEqual(pt.PACsProvisioned, []string{"tunnel"}) ||
		pt.Cryptobinding != "verified" || !hasSteps(pt, eapfast.StepAnonymousTunnel) {
		t.Errorf("provisioning truth: %+v", pt)
	}
	if !a.Success || len(a.Handshakes) != 1 || a.Handshakes[0].Kind != tlsengine.KindAbbreviated ||
		a.Handshakes[0].Resumption != tlsengine.ResumptionPAC || !reflect.DeepEqual(a.InnerMethods, []string{"EAP-MSCHAPv2"}) {
		t.Errorf("PAC-based conversation: %+v", a)
	}
	if at.Tunnel != "pac" || at.PACInClientHello != "tunnel" || at.Cryptobinding != "verified" || len(at.PACsProvisioned) != 0 ||
		!hasSteps(at, eapfast.StepTunnelPAC, eapfast.StepPACTunnel) {
		t.Errorf("PAC-based truth: %+v", at)
	}
}

// Authenticated provisioning: eapol_test verifies our server certificate,
// is provisioned in the certificate tunnel, then uses the PAC. Without
// AcceptClientOnAuthenticatedProvisioning the provisioning conversation
// ends in EAP-Failure; with it, in EAP-Success.
func TestEapolTestEAPFASTAuthenticatedProvisioningAgainstOurServer(t *testing.T) {
	needBinary(t, "eapol_test")
	pki := testPKI(t)
	for _, accept := range []bool{false, true} {
		t.Run(fmt.Sprintf("AcceptClientOnAuthenticatedProvisioning=%v", accept), func(t *testing.T) {
			server, _ := newOurFASTServer(t, eapfast.Policy{AllowAuthenticatedProvisioning: true,
				AcceptClientOnAuthenticatedProvisioning: accept, UsePACs: true}, fmt.Sprintf("interop fast authenticated %v", accept))
			port := serveOurRADIUS(t, server, fmt.Sprintf("interop radius fast authenticated %v", accept))
			network := EapolTestNetwork{EAP: "FAST", Identity: userName, AnonymousIdentity: "FAST-anonymous", Password: userPassword,
				CACert: pki.CA, Phase1: "fast_provisioning=2 tls_disable_tlsv1_3=1", Phase2: "auth=MSCHAPV2",
				PACFile: filepath.Join(t.TempDir(), "pacs")}
			wantProv := "EAP-Failure"
			if accept {
				wantProv = "EAP-Success"
			}
			prov, _ := runEapolTest(t, network, port, 0)
			if prov.PACsWritten != 1 || !reflect.DeepEqual(prov.EAPResults(), []string{wantProv}) ||
				!reflect.DeepEqual(prov.Resumed(), []bool{false}) || accept && prov.MPPEOK != 1 {
				t.Errorf("eapol_test provisioning: %+v", prov)
			}
			auth, _ := runEapolTest(t, network, port, 0)
			if !auth.Success || auth.MPPEOK != 1 || !reflect.DeepEqual(auth.Resumed(), []bool{true}) {
				t.Errorf("eapol_test PAC-based authentication: %+v", auth)
			}
			outcomes := server.Outcomes()
			if len(outcomes) != 2 {
				t.Fatalf("our server recorded %d conversations, want 2", len(outcomes))
			}
			p, pt := outcomes[0], fastTruth(t, outcomes[0])
			if p.Success != accept || len(p.Handshakes) != 1 || p.Handshakes[0].Anonymous || p.Handshakes[0].Kind != tlsengine.KindFull {
				t.Errorf("provisioning conversation: %+v", p)
			}
			if pt.Provisioning != "authenticated" || pt.Tunnel != "certificate" || !reflect.DeepEqual(pt.PACsProvisioned, []string{"tunnel"}) ||
				pt.Cryptobinding != "verified" || !hasSteps(pt, eapfast.StepAuthenticatedTunnel) {
				t.Errorf("provisioning truth: %+v", pt)
			}
			if at := fastTruth(t, outcomes[1]); !outcomes[1].Success || at.Tunnel != "pac" || at.PACInClientHello != "tunnel" {
				t.Errorf("PAC-based truth: %+v", at)
			}
		})
	}
}

// F8 with a real client: our server allows anonymous provisioning only,
// eapol_test wants an authenticated tunnel (certificate suites only). Our
// server answers its ClientHello with a fatal handshake_failure alert.
// wpa_supplicant does not acknowledge the alert (it fails locally), so the
// conversation never ends on our server: there is no server outcome to
// check, only the alert eapol_test received.
func TestEapolTestEAPFASTNoAnonymousCiphersAgainstOurServer(t *testing.T) {
	needBinary(t, "eapol_test")
	pki := testPKI(t)
	server, _ := newOurFASTServer(t, eapfast.Policy{AllowAnonymousProvisioning: true, UsePACs: true}, "interop fast F8")
	port := serveOurRADIUS(t, server, "interop radius fast F8")
	res, _ := runEapolTest(t, EapolTestNetwork{EAP: "FAST", Identity: userName, AnonymousIdentity: "FAST-anonymous",
		Password: userPassword, CACert: pki.CA, Phase1: "fast_provisioning=2 tls_disable_tlsv1_3=1", Phase2: "auth=MSCHAPV2",
		PACFile: filepath.Join(t.TempDir(), "pacs")}, port, 0)
	if res.Success || !reflect.DeepEqual(res.EAPResults(), []string{"EAP-Failure"}) || len(res.Alerts) != 1 ||
		!strings.Contains(res.Alerts[0], "read (remote end reported an error):fatal:handshake failure") {
		t.Errorf("eapol_test: %+v", res)
	}
	if n := len(server.Outcomes()); n != 0 {
		t.Errorf("our server ended %d conversations; eapol_test never answered the alert", n)
	}
}

// fastPeer returns our supplicant with EAP-FAST for the shared user, its
// PACs in store.
func fastPeer(t *testing.T, store *fastpac.Store, seed string) *eapauth.Peer {
	t.Helper()
	method, err := eapfast.NewPeer(eapfast.PeerConfig{
		Store:                      store,
		User:                       &eapauth.Credentials{Identity: userName, Password: userPassword},
		UsePACs:                    true,
		AllowAnonymousProvisioning: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return newOurPeer(eapauth.PeerConfig{
		Credentials:   eapauth.Credentials{Identity: userName, Password: userPassword},
		OuterIdentity: "FAST-anonymous",
		Methods:       []eap.Type{eap.TypeFAST},
		Factories:     map[eap.Type]eapauth.PeerMethodFactory{eap.TypeFAST: method.Factory()},
	}, seed)
}

func TestOurSupplicantEAPFASTAgainstHostapd(t *testing.T) {
	pki := testPKI(t)
	hostapdAID := []byte("hostapd-interop1")
	cfg, server := startHostapd(t, HostapdConfig{CACert: pki.CA, ServerCert: pki.ServerCert, ServerKey: pki.ServerKey,
		Users: []User{{userName, userPassword}}, PACOpaqueKey: [16]byte{0x5c, 0x0f, 0xe1}, AID: hostapdAID, AIDInfo: "hostapd interop"})
	nas := newOurNAS(t, cfg.Port, "interop nas fast hostapd")
	store := &fastpac.Store{}
	peer := fastPeer(t, store, "interop peer fast hostapd")

	// Anonymous provisioning: hostapd delivers a Tunnel PAC, then rejects.
	res, o := authenticate(t, nas, peer)
	pt := fastTruth(t, o)
	if res.Code != radius.CodeAccessReject || o.Success || len(o.Handshakes) != 1 || !o.Handshakes[0].Anonymous {
		t.Errorf("provisioning: %s, outcome %+v", res.Code, o)
	}
	if pt.Provisioning != "anonymous" || !reflect.DeepEqual(pt.PACsProvisioned, []string{"tunnel"}) || pt.Cryptobinding != "verified" {
		t.Errorf("provisioning truth: %+v", pt)
	}
	pac, ok := store.Get(hostapdAID, fast.PACTypeTunnel)
	if !ok || string(pac.Info.IID) != userName || string(pac.Info.AIDInfo) != "hostapd interop" {
		t.Fatalf("no Tunnel PAC from hostapd in the store: %+v", store.PACs())
	}

	// PAC-based tunnel.
	res, o = authenticate(t, nas, peer)
	at := fastTruth(t, o)
	if res.Code != radius.CodeAccessAccept || !o.Success || len(o.Handshakes) != 1 ||
		o.Handshakes[0].Kind != tlsengine.KindAbbreviated || o.Handshakes[0].Resumption != tlsengine.ResumptionPAC {
		t.Errorf("PAC-based authentication: %s, outcome %+v", res.Code, o)
	}
	if at.Tunnel != "pac" || at.PACInClientHello != "tunnel" || at.Cryptobinding != "verified" {
		t.Errorf("PAC-based truth: %+v", at)
	}

	log := ParseHostapdLog(finalOutput(t, server))
	if log.AnonymousProvisioning != 1 || log.PACAcknowledged != 1 || log.PACOpaqueAccepted != 1 || log.CryptoBindingValid != 2 ||
		log.AuthenticationCompleted != 1 || log.Accepts != 1 || log.Rejects != 1 || !reflect.DeepEqual(log.Resumed, []bool{false, true}) {
		t.Errorf("hostapd: %+v", log)
	}
}

// PAC files cross between wpa_supplicant and our store (package fastpac):
// a PAC hostapd provisioned to eapol_test builds our supplicant's tunnel to
// hostapd, and a PAC hostapd provisioned to our supplicant, written as a
// PAC file, builds eapol_test's.
func TestPACFilesBetweenEapolTestAndOurSupplicant(t *testing.T) {
	needBinary(t, "eapol_test")
	pki := testPKI(t)
	hostapdAID := []byte("hostapd-interop2")
	cfg, server := startHostapd(t, HostapdConfig{CACert: pki.CA, ServerCert: pki.ServerCert, ServerKey: pki.ServerKey,
		Users: []User{{userName, userPassword}}, PACOpaqueKey: [16]byte{0x77, 0x01}, AID: hostapdAID, AIDInfo: "hostapd interop"})
	network := EapolTestNetwork{EAP: "FAST", Identity: userName, AnonymousIdentity: "FAST-anonymous", Password: userPassword,
		Phase1: "fast_provisioning=1", Phase2: "auth=MSCHAPV2"}

	// eapol_test is provisioned; our supplicant reads its PAC file.
	network.PACFile = filepath.Join(t.TempDir(), "eapol_test.pacs")
	if prov, _ := runEapolTest(t, network, cfg.Port, 0); prov.PACsWritten != 1 {
		t.Fatalf("eapol_test was not provisioned: %+v", prov)
	}
	raw, err := os.ReadFile(network.PACFile)
	if err != nil {
		t.Fatal(err)
	}
	store, err := fastpac.ReadStore(raw)
	if err != nil {
		t.Fatalf("our store cannot read eapol_test's PAC file: %v\n%s", err, raw)
	}
	nas := newOurNAS(t, cfg.Port, "interop nas pac files")
	res, o := authenticate(t, nas, fastPeer(t, store, "interop peer pac from eapol_test"))
	if res.Code != radius.CodeAccessAccept || len(o.Handshakes) != 1 || o.Handshakes[0].Resumption != tlsengine.ResumptionPAC {
		t.Errorf("our supplicant with eapol_test's PAC: %s, outcome %+v", res.Code, o)
	}

	// Our supplicant is provisioned; eapol_test reads our PAC file.
	ours := &fastpac.Store{}
	peer := fastPeer(t, ours, "interop peer pac for eapol_test")
	if res, _ := authenticate(t, nas, peer); res.Code != radius.CodeAccessReject || len(ours.PACs()) != 1 {
		t.Fatalf("our supplicant was not provisioned: %s, %d PACs", res.Code, len(ours.PACs()))
	}
	text, err := ours.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	network.PACFile = filepath.Join(t.TempDir(), "ours.pacs")
	if err := os.WriteFile(network.PACFile, text, 0o600); err != nil {
		t.Fatal(err)
	}
	auth, _ := runEapolTest(t, network, cfg.Port, 0)
	if !auth.Success || len(auth.Auths) != 1 || !reflect.DeepEqual(auth.Auths[0].PACUsed, []int{1}) ||
		!reflect.DeepEqual(auth.Auths[0].Resumed, []bool{true}) {
		t.Errorf("eapol_test with our PAC file: %+v\n%s", auth, text)
	}
	if log := ParseHostapdLog(finalOutput(t, server)); log.PACOpaqueAccepted != 2 {
		t.Errorf("hostapd: %+v", log)
	}
}
