package interop

import (
	"fmt"

	"bytes"
	"github.com/sessionscope/sscope/dissect/tls"
	"reflect"
	"testing"

	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/radiusnode"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// Our supplicant behind our NAS against FreeRADIUS 3.2 (OpenSSL 3). The
// server judges us: it verifies our Message-Authenticators (required), our
// TLS handshake and Finished, our EAP-MSCHAPv2 NT-Response or our client
// certificate. We check its Access-Accept: the MS-MPPE keys it derived from
// the TLS session must be our MSK.

// authenticate runs one authentication of peer through nas and checks the
// NAS result against the peer's own outcome.
func authenticate(t *testing.T, nas *radiusnode.NAS, peer *eapauth.Peer) (*radiusnode.Result, *eapauth.Outcome) {
	t.Helper()
	conv := peer.NewConversation()
	res, err := nas.Authenticate(conv)
	if err != nil {
		t.Fatalf("authentication: %v (peer outcome %+v)", err, conv.Outcome())
	}
	o := conv.Outcome()
	if res.Code == radius.CodeAccessAccept {
		recv, send := radiusnode.SplitMSK(o.MSK)
		if len(o.MSK) != 64 || !bytes.Equal(res.RecvKey, recv) || !bytes.Equal(res.SendKey, send) {
			t.Errorf("MS-MPPE keys of the Access-Accept (recv %x, send %x) are not our MSK %x", res.RecvKey, res.SendKey, o.MSK)
		}
	}
	return res, o
}

func TestOurSupplicantPEAPAgainstFreeRADIUS(t *testing.T) {
	pki := testPKI(t)
	cfg, server := startFreeRADIUS(t, FreeRADIUSConfig{CACert: pki.CA, ServerCert: pki.ServerCert, ServerKey: pki.ServerKey,
		Users: []User{{userName, userPassword}}, SessionCache: true})
	nas := newOurNAS(t, cfg.Port, "interop nas peap freeradius")
	peer := newOurPeer(peapPeerConfig(), "interop peer peap freeradius")

	// Full handshake, EAP-MSCHAPv2 in the tunnel.
	res, o := authenticate(t, nas, peer)
	if res.Code != radius.CodeAccessAccept || !o.Success || o.Method != "PEAP" ||
		!reflect.DeepEqual(o.InnerMethods, []string{"EAP-MSCHAPv2"}) || len(o.Handshakes) != 1 {
		t.Fatalf("first authentication: %s, outcome %+v", res.Code, o)
	}
	first := o.Handshakes[0]
	if first.Kind != tlsengine.KindFull || len(first.ServerSessionID) == 0 {
		t.Errorf("first handshake: kind %s, session ID %x", first.Kind, first.ServerSessionID)
	}

	// Re-authentication offering the session: FreeRADIUS restores it from
	// its cache and skips phase 2 (its PEAP always does on resumption), so
	// our peer's fast reconnect applies.
	res, o = authenticate(t, nas, peer)
	if res.Code != radius.CodeAccessAccept || !o.Success || len(o.Handshakes) != 1 {
		t.Fatalf("re-authentication: %s, outcome %+v", res.Code, o)
	}
	second := o.Handshakes[0]
	if second.Kind != tlsengine.KindAbbreviated || second.Resumption != tlsengine.ResumptionSessionID ||
		!bytes.Equal(second.ServerSessionID, first.ServerSessionID) {
		t.Errorf("re-authentication handshake: kind %s resumption %q ID %x (first %x)", second.Kind, second.Resumption,
			second.ServerSessionID, first.ServerSessionID)
	}
	if o.FastReconnect == nil || !*o.FastReconnect || len(o.InnerMethods) != 0 {
		t.Errorf("re-authentication: fast reconnect %v, inner methods %v", o.FastReconnect, o.InnerMethods)
	}

	log := ParseFreeRADIUSLog(finalOutput(t, server))
	if log.Accepts != 2 || log.Rejects != 0 || log.SessionsStored != 1 || log.SessionsRestored != 1 || log.Phase2Skipped != 1 {
		t.Errorf("freeradius: %+v", log)
	}
	if !reflect.DeepEqual(log.LoginOK, []string{userName, "anonymous", "anonymous"}) {
		t.Errorf("freeradius logins: %v", log.LoginOK)
	}
}

func TestOurSupplicantPEAPWrongPasswordAgainstFreeRADIUS(t *testing.T) {
	pki := testPKI(t)
	cfg, server := startFreeRADIUS(t, FreeRADIUSConfig{CACert: pki.CA, ServerCert: pki.ServerCert, ServerKey: pki.ServerKey,
		Users: []User{{userName, userPassword}}})
	nas := newOurNAS(t, cfg.Port, "interop nas peap wrong password")
	pc := peapPeerConfig()
	pc.Credentials.Password = "not-the-password"
	res, o := authenticate(t, nas, newOurPeer(pc, "interop peer peap wrong password"))
	if res.Code != radius.CodeAccessReject || o.Success || o.EAPResult != eapauth.ResultFailure {
		t.Errorf("%s, outcome %+v", res.Code, o)
	}
	log := ParseFreeRADIUSLog(finalOutput(t, server))
	if log.Accepts != 0 || log.Rejects != 1 || len(log.LoginIncorrect) == 0 || log.LoginIncorrect[0] != userName {
		t.Errorf("freeradius: %+v", log)
	}
}

func TestOurSupplicantEAPTLSAgainstFreeRADIUS(t *testing.T) {
	pki := testPKI(t)
	// FreeRADIUS proposes PEAP first; our peer answers with a Nak for
	// EAP-TLS.
	cfg, server := startFreeRADIUS(t, FreeRADIUSConfig{CACert: pki.CA, ServerCert: pki.ServerCert, ServerKey: pki.ServerKey,
		SessionCache: true})
	nas := newOurNAS(t, cfg.Port, "interop nas eap-tls freeradius")
	peer := newOurPeer(eapTLSPeerConfig(), "interop peer eap-tls freeradius")

	res, o := authenticate(t, nas, peer)
	if res.Code != radius.CodeAccessAccept || !o.Success || o.Method != "EAP-TLS" || len(o.Handshakes) != 1 {
		t.Fatalf("first authentication: %s, outcome %+v", res.Code, o)
	}
	if !reflect.DeepEqual(o.Naks, []string{"PEAP → EAP-TLS"}) {
		t.Errorf("naks %v", o.Naks)
	}
	if h := o.Handshakes[0]; h.Kind != tlsengine.KindFull || h.ClientCertificate != tlsengine.ClientCertSent {
		t.Errorf("first handshake: kind %s, client certificate %s", h.Kind, h.ClientCertificate)
	}

	res, o = authenticate(t, nas, peer)
	if res.Code != radius.CodeAccessAccept || !o.Success || len(o.Handshakes) != 1 {
		t.Fatalf("re-authentication: %s, outcome %+v", res.Code, o)
	}
	if h := o.Handshakes[0]; h.Kind != tlsengine.KindAbbreviated || h.Resumption != tlsengine.ResumptionSessionID {
		t.Errorf("re-authentication handshake: kind %s, resumption %q", h.Kind, h.Resumption)
	}
	log := ParseFreeRADIUSLog(finalOutput(t, server))
	if log.Accepts != 2 || log.SessionsRestored != 1 {
		t.Errorf("freeradius: %+v", log)
	}
}

// Each cipher suite our TLS engine offers, with and without the extended
// master secret, against OpenSSL in FreeRADIUS.
func TestOurSupplicantPEAPCipherSuitesAgainstFreeRADIUS(t *testing.T) {
	pki := testPKI(t)
	cfg, _ := startFreeRADIUS(t, FreeRADIUSConfig{CACert: pki.CA, ServerCert: pki.ServerCert, ServerKey: pki.ServerKey,
		Users: []User{{userName, userPassword}}})
	nas := newOurNAS(t, cfg.Port, "interop nas suites freeradius")
	for _, suite := range []uint16{tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA,
		tlsengine.TLS_DHE_RSA_WITH_AES_128_CBC_SHA} {
		for _, ems := range []bool{false, true} {
			name := fmt.Sprintf("%s EMS=%v", tls.CipherSuiteName(suite), ems)
			t.Run(name, func(t *testing.T) {
				pc := peapPeerConfig()
				pc.CipherSuites = []uint16{suite}
				pc.ExtendedMasterSecret = ems
				res, o := authenticate(t, nas, newOurPeer(pc, "interop peer suites "+name))
				if res.Code != radius.CodeAccessAccept || !o.Success || len(o.Handshakes) != 1 {
					t.Fatalf("%s, outcome %+v", res.Code, o)
				}
				if h := o.Handshakes[0]; h.CipherSuite != suite || h.EMS != ems {
					t.Errorf("handshake: suite %#04x EMS %v", h.CipherSuite, h.EMS)
				}
			})
		}
	}
}
