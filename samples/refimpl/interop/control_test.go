package interop

import (
	"path/filepath"
	"reflect"
	"testing"
)

// The control tests run the independent peers against each other with the
// same configurations the reference implementation meets. When one of the
// tests against our endpoints fails and its control passes, the fault is
// ours.

func TestControlEapolTestFreeRADIUSPEAPResumed(t *testing.T) {
	needBinary(t, "eapol_test")
	pki := testPKI(t)
	cfg, server := startFreeRADIUS(t, FreeRADIUSConfig{CACert: pki.CA, ServerCert: pki.ServerCert, ServerKey: pki.ServerKey,
		Users: []User{{userName, userPassword}}, SessionCache: true})
	res, _ := runEapolTest(t, EapolTestNetwork{EAP: "PEAP", Identity: userName, AnonymousIdentity: "anonymous",
		Password: userPassword, CACert: pki.CA, Phase1: "peapver=0 tls_disable_tlsv1_3=1", Phase2: "auth=MSCHAPV2"}, cfg.Port, 1)
	if !res.Success || !reflect.DeepEqual(res.Resumed(), []bool{false, true}) || res.MPPEOK != 2 {
		t.Errorf("eapol_test: success %v, resumed %v, MPPE keys OK %d mismatch %d", res.Success, res.Resumed(), res.MPPEOK, res.MPPEMismatch)
	}
	log := ParseFreeRADIUSLog(finalOutput(t, server))
	if log.Accepts != 2 || log.SessionsRestored != 1 || log.Phase2Skipped != 1 {
		t.Errorf("freeradius: %+v", log)
	}
}

func TestControlEapolTestFreeRADIUSEAPTLS(t *testing.T) {
	needBinary(t, "eapol_test")
	pki := testPKI(t)
	cfg, server := startFreeRADIUS(t, FreeRADIUSConfig{CACert: pki.CA, ServerCert: pki.ServerCert, ServerKey: pki.ServerKey,
		DefaultEAPType: "tls"})
	res, _ := runEapolTest(t, EapolTestNetwork{EAP: "TLS", Identity: "host/laptop-01.lab.example", CACert: pki.CA,
		ClientCert: pki.ClientCert, ClientKey: pki.ClientKey, Phase1: "tls_disable_tlsv1_3=1"}, cfg.Port, 0)
	if !res.Success || res.MPPEOK != 1 {
		t.Errorf("eapol_test: success %v, MPPE keys OK %d mismatch %d", res.Success, res.MPPEOK, res.MPPEMismatch)
	}
	if log := ParseFreeRADIUSLog(finalOutput(t, server)); log.Accepts != 1 {
		t.Errorf("freeradius: %+v", log)
	}
}

func TestControlEapolTestHostapdEAPFAST(t *testing.T) {
	needBinary(t, "eapol_test")
	pki := testPKI(t)
	cfg, server := startHostapd(t, HostapdConfig{CACert: pki.CA, ServerCert: pki.ServerCert, ServerKey: pki.ServerKey,
		Users: []User{{userName, userPassword}}, AID: []byte("sscope-interop-a"), AIDInfo: "sscope interop"})
	network := EapolTestNetwork{EAP: "FAST", Identity: userName, AnonymousIdentity: "FAST-anonymous", Password: userPassword,
		Phase1: "fast_provisioning=1", Phase2: "auth=MSCHAPV2", PACFile: filepath.Join(t.TempDir(), "pacs")}
	prov, _ := runEapolTest(t, network, cfg.Port, 0)
	// Anonymous provisioning ends in EAP-Failure by design (RFC 5422 section 3.2.3).
	if prov.PACsWritten != 1 || prov.PACProvisions != 1 || !reflect.DeepEqual(prov.EAPResults(), []string{"EAP-Failure"}) {
		t.Errorf("provisioning: %+v", prov)
	}
	auth, _ := runEapolTest(t, network, cfg.Port, 0)
	if !auth.Success || len(auth.Auths) != 1 || !reflect.DeepEqual(auth.Auths[0].Resumed, []bool{true}) ||
		!reflect.DeepEqual(auth.Auths[0].PACUsed, []int{1}) || auth.MPPEOK != 1 {
		t.Errorf("PAC-based authentication: %+v", auth)
	}
	log := ParseHostapdLog(finalOutput(t, server))
	if log.AnonymousProvisioning != 1 || log.PACAcknowledged != 1 || log.PACOpaqueAccepted != 1 ||
		log.AuthenticationCompleted != 1 || log.Accepts != 1 || log.Rejects != 1 {
		t.Errorf("hostapd: %+v", log)
	}
}
