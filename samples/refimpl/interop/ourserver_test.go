package interop

import (
	"fmt"

	"bytes"
	"github.com/sessionscope/sscope/dissect/tls"
	"reflect"
	"slices"
	"testing"

	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// wpa_supplicant's eapol_test (supplicant and NAS in one process) against
// our RADIUS/EAP server. eapol_test judges us: it verifies our certificate
// chain against the test CA, our TLS Finished messages, our EAP-MSCHAPv2
// authenticator response, and compares the MSK it derived with the
// MS-MPPE keys of our Access-Accept ("MPPE keys OK"). Our server's
// recorded truth must agree with eapol_test's own account.

// peapNetwork is eapol_test's PEAP profile: PEAPv0, TLS 1.2 only (a TLS 1.3
// capable OpenSSL would put a random session ID in its ClientHello).
func peapNetwork(pki pkiFiles) EapolTestNetwork {
	return EapolTestNetwork{EAP: "PEAP", Identity: userName, AnonymousIdentity: "anonymous", Password: userPassword,
		CACert: pki.CA, Phase1: "peapver=0 tls_disable_tlsv1_3=1", Phase2: "auth=MSCHAPV2"}
}

func TestEapolTestPEAPAgainstOurServer(t *testing.T) {
	needBinary(t, "eapol_test")
	pki := testPKI(t)
	for _, tc := range []struct {
		name                   string
		resume, fastReconnect  bool
		wantResumed            []bool
		wantSecondPhase2       []int // eapol_test's phase 2 request types in the re-authentication
		wantSecondFastReconnct bool
	}{
		// P1 then P2: the re-authentication resumes by session ID and,
		// with fast reconnect, skips EAP-MSCHAPv2 (Result TLV at once).
		{"resume, fast reconnect", true, true, []bool{false, true}, []int{33}, true},
		// Resumed, but the server runs the inner method again.
		{"resume, no fast reconnect", true, false, []bool{false, true}, []int{1, 26, 26, 33}, false},
		// P-nocache: no session ID assigned, nothing to offer, two full handshakes.
		{"no resumption", false, true, []bool{false, false}, []int{1, 26, 26, 33}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			server := newOurEAPServer(t, eapauth.Policy{EnableSessionResume: tc.resume, EnableFastReconnect: tc.fastReconnect},
				"interop eapol_test peap "+tc.name)
			port := serveOurRADIUS(t, server, "interop radius "+tc.name)
			res, _ := runEapolTest(t, peapNetwork(pki), port, 1)

			// eapol_test's verdicts.
			if !res.Success || res.MPPEOK != 2 || res.MPPEMismatch != 0 {
				t.Errorf("eapol_test: success %v, MPPE keys OK %d mismatch %d", res.Success, res.MPPEOK, res.MPPEMismatch)
			}
			if got := res.Resumed(); !reflect.DeepEqual(got, tc.wantResumed) {
				t.Errorf("eapol_test resumed = %v, want %v", got, tc.wantResumed)
			}
			if len(res.Auths) != 2 {
				t.Fatalf("eapol_test ran %d authentications, want 2", len(res.Auths))
			}
			if got := res.Auths[0].Phase2Types; !reflect.DeepEqual(got, []int{1, 26, 26, 33}) {
				t.Errorf("first authentication: phase 2 requests %v, want Identity, MSCHAPv2 x2, Extensions", got)
			}
			if got := res.Auths[1].Phase2Types; !reflect.DeepEqual(got, tc.wantSecondPhase2) {
				t.Errorf("re-authentication: phase 2 requests %v, want %v", got, tc.wantSecondPhase2)
			}

			// Our server's truth.
			outcomes := server.Outcomes()
			if len(outcomes) != 2 {
				t.Fatalf("our server recorded %d conversations, want 2", len(outcomes))
			}
			for i, o := range outcomes {
				if !o.Success || o.EAPResult != eapauth.ResultSuccess || o.Method != "PEAP" || o.OuterIdentity != "anonymous" {
					t.Errorf("conversation %d: %+v", i, o)
				}
				if len(o.Handshakes) != 1 {
					t.Fatalf("conversation %d: %d handshakes", i, len(o.Handshakes))
				}
			}
			first, second := outcomes[0].Handshakes[0], outcomes[1].Handshakes[0]
			if first.Kind != tlsengine.KindFull || len(first.OfferedSessionID) != 0 {
				t.Errorf("first handshake: kind %s, offered ID %x", first.Kind, first.OfferedSessionID)
			}
			if !reflect.DeepEqual(outcomes[0].InnerIdentities, []string{userName}) ||
				!reflect.DeepEqual(outcomes[0].InnerMethods, []string{"EAP-MSCHAPv2"}) {
				t.Errorf("first conversation inner: %v %v", outcomes[0].InnerIdentities, outcomes[0].InnerMethods)
			}
			if tc.resume {
				if len(first.ServerSessionID) == 0 {
					t.Error("first handshake: no session ID assigned")
				}
				if second.Kind != tlsengine.KindAbbreviated || second.Resumption != tlsengine.ResumptionSessionID ||
					!bytes.Equal(second.OfferedSessionID, first.ServerSessionID) || !bytes.Equal(second.ServerSessionID, first.ServerSessionID) {
					t.Errorf("re-authentication handshake: kind %s resumption %q offered %x server %x (assigned %x)",
						second.Kind, second.Resumption, second.OfferedSessionID, second.ServerSessionID, first.ServerSessionID)
				}
			} else {
				if len(first.ServerSessionID) != 0 || len(second.OfferedSessionID) != 0 || second.Kind != tlsengine.KindFull {
					t.Errorf("without resumption: assigned %x, offered %x, second kind %s",
						first.ServerSessionID, second.OfferedSessionID, second.Kind)
				}
			}
			if fr := outcomes[1].FastReconnect; fr == nil || *fr != tc.wantSecondFastReconnct {
				t.Errorf("re-authentication fast reconnect = %v, want %v", fr, tc.wantSecondFastReconnct)
			}
		})
	}
}

// EAP-TLS: eapol_test declines our first proposal (PEAP) with a Nak, sends
// its certificate, and resumes on re-authentication.
func TestEapolTestEAPTLSAgainstOurServer(t *testing.T) {
	needBinary(t, "eapol_test")
	pki := testPKI(t)
	server := newOurEAPServer(t, eapauth.Policy{EnableSessionResume: true}, "interop eapol_test eap-tls")
	port := serveOurRADIUS(t, server, "interop radius eap-tls")
	res, _ := runEapolTest(t, EapolTestNetwork{EAP: "TLS", Identity: machineIdentity, CACert: pki.CA,
		ClientCert: pki.ClientCert, ClientKey: pki.ClientKey, Phase1: "tls_disable_tlsv1_3=1"}, port, 1)
	if !res.Success || res.MPPEOK != 2 || !reflect.DeepEqual(res.Resumed(), []bool{false, true}) {
		t.Errorf("eapol_test: success %v, MPPE keys OK %d mismatch %d, resumed %v", res.Success, res.MPPEOK, res.MPPEMismatch, res.Resumed())
	}
	outcomes := server.Outcomes()
	if len(outcomes) != 2 {
		t.Fatalf("our server recorded %d conversations, want 2", len(outcomes))
	}
	for i, o := range outcomes {
		if !o.Success || o.Method != "EAP-TLS" || o.OuterIdentity != machineIdentity || len(o.Handshakes) != 1 {
			t.Errorf("conversation %d: %+v", i, o)
		}
		if !slices.Contains(o.MethodsProposed, "PEAP") {
			t.Errorf("conversation %d: methods proposed %v, want PEAP declined first", i, o.MethodsProposed)
		}
	}
	if h := outcomes[0].Handshakes[0]; h.Kind != tlsengine.KindFull || h.ClientCertificate != tlsengine.ClientCertSent {
		t.Errorf("first handshake: kind %s, client certificate %s", h.Kind, h.ClientCertificate)
	}
	if h := outcomes[1].Handshakes[0]; h.Kind != tlsengine.KindAbbreviated || h.Resumption != tlsengine.ResumptionSessionID {
		t.Errorf("re-authentication handshake: kind %s, resumption %q", h.Kind, h.Resumption)
	}
}

// Each cipher suite of our TLS engine, with and without the extended
// master secret, against OpenSSL in eapol_test: the key exchange, the record
// layer (AES-GCM, AES-CBC with HMAC-SHA1) and the MSK derivation (checked
// by eapol_test against our MS-MPPE keys).
func TestEapolTestPEAPCipherSuitesAgainstOurServer(t *testing.T) {
	needBinary(t, "eapol_test")
	pki := testPKI(t)
	for _, suite := range []uint16{tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA,
		tlsengine.TLS_DHE_RSA_WITH_AES_128_CBC_SHA} {
		for _, ems := range []bool{false, true} {
			name := fmt.Sprintf("%s EMS=%v", tls.CipherSuiteName(suite), ems)
			t.Run(name, func(t *testing.T) {
				server := newOurEAPServer(t, eapauth.Policy{}, "interop suites "+name, func(c *eapauth.ServerConfig) {
					c.CipherSuites = []uint16{suite}
					c.ExtendedMasterSecret = ems
				})
				port := serveOurRADIUS(t, server, "interop radius suites "+name)
				res, _ := runEapolTest(t, peapNetwork(pki), port, 0)
				if !res.Success || res.MPPEOK != 1 {
					t.Errorf("eapol_test: success %v, MPPE keys OK %d mismatch %d, alerts %v", res.Success, res.MPPEOK, res.MPPEMismatch, res.Alerts)
				}
				outcomes := server.Outcomes()
				if len(outcomes) != 1 || len(outcomes[0].Handshakes) != 1 {
					t.Fatalf("our server recorded %d conversations", len(outcomes))
				}
				if h := outcomes[0].Handshakes[0]; h.CipherSuite != suite || h.EMS != ems || h.Kind != tlsengine.KindFull {
					t.Errorf("handshake: suite %#04x EMS %v kind %s", h.CipherSuite, h.EMS, h.Kind)
				}
			})
		}
	}
}
