package correlate_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSuricataTLSCertIssuer checks the expectations of suricata-verify's
// tls-cert-issuer test (test.yaml) on its capture: 5 TLS flows, 4 whose
// server certificate has serial 00:97:E6:47:09:8E:EA:C9:B4 from
// C=FR, ST=IDF, L=Paris, O=Stamus, CN=SELKS, and exactly one resumed session.
func TestSuricataTLSCertIssuer(t *testing.T) {
	rep := analyzeCorpus(t, filepath.Join(corpusDir, "suricata-verify/tls/tls-cert-issuer/tls.pcap"))
	if len(rep.Sessions) != 5 {
		t.Errorf("%d sessions, Suricata counts 5 TLS flows", len(rep.Sessions))
	}
	withCert, resumed := 0, 0
	for _, s := range rep.Sessions {
		for _, h := range s.Handshakes {
			if h.Resumption != nil {
				resumed++
			}
			if len(h.ServerCerts) == 0 {
				continue
			}
			c := h.ServerCerts[0]
			issuer := strings.Split(c.Issuer, ",")
			if strings.TrimLeft(c.Serial, "0") == "97e647098eeac9b4" && len(issuer) == 5 && issuer[0] == "CN=SELKS" && issuer[4] == "C=FR" {
				withCert++
			}
		}
	}
	if withCert != 4 || resumed != 1 {
		t.Errorf("%d sessions with the SELKS certificate (want 4), %d resumed (want 1)", withCert, resumed)
	}
}
