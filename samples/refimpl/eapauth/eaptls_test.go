package eapauth

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

const machine = "host/laptop-01.lab.example"

func newTLSSupplicant(seed string, c *clock, cert *tlsengine.Certificate, mutate func(*PeerConfig)) *Peer {
	cfg := PeerConfig{
		Rand:              detrand.New(seed),
		Time:              c.now,
		Credentials:       Credentials{Identity: machine, Certificate: cert},
		Methods:           []eap.Type{eap.TypeTLS},
		SessionResumption: true,
		RootCAs:           pki.CAPool(),
	}
	if mutate != nil {
		mutate(&cfg)
	}
	return NewPeer(cfg)
}

func TestEAPTLSFullThenResumed(t *testing.T) {
	c := newClock()
	var keys keyLog
	n := newNode("eaptls server", c, Policy{AllowedMethods: []eap.Type{eap.TypeTLS}, EnableSessionResume: true}, nil)
	p := newTLSSupplicant("eaptls peer", c, pki.Client(), func(cfg *PeerConfig) { cfg.KeyLog = keys.add })
	first, second := twoRuns(t, "eaptls", c, n, nil, p, time.Hour)
	if second.result.Code != radius.CodeAccessAccept {
		t.Fatalf("%v", second)
	}
	v1, v2 := inspect(t, first), inspect(t, second)
	peerFlight := strings.Join(v1.messages[0], ",")
	if peerFlight != "ClientHello,Certificate,ClientKeyExchange,CertificateVerify,ChangeCipherSpec,EncryptedHandshake" {
		t.Errorf("peer's full handshake: %s", peerFlight)
	}
	if !strings.Contains(strings.Join(v1.messages[1], ","), "CertificateRequest") {
		t.Errorf("server's flight lacks CertificateRequest: %v", v1.messages[1])
	}
	if got := strings.Join(v2.messages[1], ","); got != "ServerHello,ChangeCipherSpec,EncryptedHandshake" {
		t.Errorf("server's resumed flight %s", got)
	}
	if !bytes.Equal(v2.clientHelloIDs[0], v1.serverHelloIDs[0]) || !bytes.Equal(v2.serverHelloIDs[0], v1.serverHelloIDs[0]) {
		t.Error("resumption by session ID not visible on the wire")
	}
	for i, r := range []*run{first, second} {
		for name, o := range map[string]*Outcome{"server": r.server, "peer": r.peer} {
			if !o.Success || o.Method != "EAP-TLS" || o.OuterIdentity != machine || o.FastReconnect != nil || len(o.InnerMethods) != 0 {
				t.Errorf("run %d %s: %+v", i+1, name, o)
			}
		}
		if !bytes.Equal(r.server.MSK, r.peer.MSK) || !bytes.Equal(r.result.RecvKey, r.peer.MSK[:32]) {
			t.Errorf("run %d: MSK disagreement", i+1)
		}
	}
	if h := first.server.Handshakes[0]; h.Kind != "full" || h.ClientCertificate != "sent" {
		t.Errorf("first: %+v", h)
	}
	if h := second.peer.Handshakes[0]; h.Kind != "abbreviated" || h.Resumption != "session-id" {
		t.Errorf("second: %+v", h)
	}
	v := tsharkRead(t, first, keys.buf.Bytes())
	if len(v.problems) > 0 || v.invalidAuth > 0 || strings.Join(v.identities, ",") != machine {
		t.Errorf("tshark: problems %q, invalid authenticators %d, identities %q", v.problems, v.invalidAuth, v.identities)
	}
}

// TestEAPTLSFragmentation: the peer's certificate flight exceeds one
// fragment; every fragment carries at most MaxFragment octets of TLS data,
// the first one L and the TLS Message Length, all but the last M, and
// each is acknowledged by an empty request.
func TestEAPTLSFragmentation(t *testing.T) {
	c := newClock()
	n := newNode("eaptls frag server", c, Policy{AllowedMethods: []eap.Type{eap.TypeTLS}}, nil)
	p := newTLSSupplicant("eaptls frag peer", c, pki.Client(), func(cfg *PeerConfig) { cfg.MaxFragment = 300 })
	r := authenticate(t, "eaptls frag", n, p)
	if r.err != nil || r.result.Code != radius.CodeAccessAccept {
		t.Fatalf("%v", r)
	}
	v := inspect(t, r)
	var inMessage, fragmented, acks int
	for i, raw := range v.eapPackets {
		e, _ := eap.Parse(raw)
		if e.Type != eap.TypeTLS {
			continue
		}
		f, err := eap.ParseTLSFragment(e)
		if err != nil {
			t.Fatal(err)
		}
		if e.Code == eap.CodeRequest {
			if inMessage > 0 {
				if !f.IsAck() {
					t.Errorf("packet %d: server did not acknowledge a fragment", i)
				}
				acks++
			}
			continue
		}
		if len(f.Data) > 300 {
			t.Errorf("packet %d: %d octets of TLS data", i, len(f.Data))
		}
		if inMessage == 0 && f.MoreFragments() && (!f.HasLength || f.MessageLength <= 300) {
			t.Errorf("packet %d: first fragment without a TLS Message Length", i)
		}
		if f.MoreFragments() {
			inMessage++
			fragmented++
		} else {
			inMessage = 0
		}
	}
	if fragmented < 4 || acks != fragmented {
		t.Errorf("%d fragments with M, %d acknowledgements", fragmented, acks)
	}
}

func TestEAPTLSWithoutClientCertificate(t *testing.T) {
	c := newClock()
	n := newNode("eaptls nocert server", c, Policy{AllowedMethods: []eap.Type{eap.TypeTLS}}, nil)
	p := newTLSSupplicant("eaptls nocert peer", c, nil, nil)
	r := authenticate(t, "eaptls nocert", n, p)
	if r.err != nil || r.result.Code != radius.CodeAccessReject {
		t.Fatalf("%v", r)
	}
	v := inspect(t, r)
	if len(v.alerts[1]) != 1 || v.alerts[1][0].Description != 40 {
		t.Errorf("server alerts %v, want one handshake_failure", v.alerts[1])
	}
	if h := r.server.Handshakes[0]; h.ClientCertificate != "empty" || h.Alert == nil || !h.AlertSentByUs {
		t.Errorf("server handshake %+v", h)
	}
	if h := r.peer.Handshakes[0]; h.Kind != "failed" || h.Alert == nil || h.AlertSentByUs {
		t.Errorf("peer handshake %+v", h)
	}
	if r.server.Success || !strings.Contains(r.server.FailureReason, "no client certificate") {
		t.Errorf("server: %+v", r.server)
	}
}

// TestNakToEAPTLS: the server prefers PEAP, the peer only does EAP-TLS and
// says so with a legacy Nak.
func TestNakToEAPTLS(t *testing.T) {
	c := newClock()
	n := newNode("nak server", c, Policy{AllowedMethods: []eap.Type{eap.TypePEAP, eap.TypeTLS}}, users)
	p := newTLSSupplicant("nak peer", c, pki.Client(), nil)
	r := authenticate(t, "nak", n, p)
	if r.err != nil || r.result.Code != radius.CodeAccessAccept {
		t.Fatalf("%v", r)
	}
	v := inspect(t, r)
	if v.eapTypes[1] != "PEAP" || v.eapTypes[2] != "Nak" || v.eapTypes[3] != "EAP-TLS" {
		t.Errorf("EAP types %v", v.eapTypes[:4])
	}
	nak, _ := eap.Parse(v.eapPackets[2])
	if n, err := eap.ParseNak(nak); err != nil || len(n.Types) != 1 || n.Types[0] != eap.TypeTLS {
		t.Errorf("Nak %+v (%v)", n, err)
	}
	for name, o := range map[string]*Outcome{"server": r.server, "peer": r.peer} {
		if strings.Join(o.MethodsProposed, ",") != "PEAP,EAP-TLS" || strings.Join(o.Naks, ";") != "PEAP → EAP-TLS" || o.Method != "EAP-TLS" {
			t.Errorf("%s: proposed %q naks %q method %q", name, o.MethodsProposed, o.Naks, o.Method)
		}
	}
}

func TestNakWithNothingAcceptable(t *testing.T) {
	c := newClock()
	n := newNode("nak none server", c, Policy{AllowedMethods: []eap.Type{eap.TypePEAP}}, users)
	p := newTLSSupplicant("nak none peer", c, pki.Client(), nil)
	r := authenticate(t, "nak none", n, p)
	if r.err != nil || r.result.Code != radius.CodeAccessReject || !strings.Contains(r.server.FailureReason, "no acceptable method") {
		t.Fatalf("%v", r)
	}
}

// selfSigned makes a client certificate no CA of the lab signed.
func selfSigned(t *testing.T) *tlsengine.Certificate {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject:      pkix.Name{CommonName: machine},
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tlsengine.Certificate{Chain: [][]byte{der}, Key: key}
}

func TestEAPTLSClientCertificateVerified(t *testing.T) {
	withCAs := func(cfg *ServerConfig) { cfg.ClientCAs = pki.CAPool() }
	pol := Policy{AllowedMethods: []eap.Type{eap.TypeTLS}}
	c := newClock()
	good := authenticate(t, "eaptls ca good", newNodeWith("eaptls ca server", c, pol, nil, withCAs), newTLSSupplicant("eaptls ca peer", c, pki.Client(), nil))
	if good.err != nil || good.result.Code != radius.CodeAccessAccept {
		t.Fatalf("the lab's client certificate refused: %v", good)
	}
	bad := authenticate(t, "eaptls ca bad", newNodeWith("eaptls ca server", c, pol, nil, withCAs), newTLSSupplicant("eaptls ca peer", c, selfSigned(t), nil))
	if bad.err != nil || bad.result.Code != radius.CodeAccessReject {
		t.Fatalf("a self-signed client certificate accepted: %v", bad)
	}
	v := inspect(t, bad)
	if len(v.alerts[1]) != 1 || v.alerts[1][0].Description != tls.AlertBadCertificate {
		t.Errorf("server alerts %v, want bad_certificate in plaintext", v.alerts[1])
	}
	if !strings.Contains(bad.server.FailureReason, "client certificate refused") || bad.peer.Handshakes[0].Kind != "failed" {
		t.Errorf("server %q, peer handshake %+v", bad.server.FailureReason, bad.peer.Handshakes[0])
	}
}

// TestNoCommonCipherSuite: the server's fatal handshake_failure alert is
// acknowledged by the peer, then EAP-Failure.
func TestNoCommonCipherSuite(t *testing.T) {
	c := newClock()
	n := newNodeWith("nosuite server", c, Policy{}, users, func(cfg *ServerConfig) {
		cfg.CipherSuites = []uint16{tlsengine.TLS_DHE_RSA_WITH_AES_128_CBC_SHA}
	})
	p := newPEAPSupplicant("nosuite peer", c, "alice", "Passw0rd!", nil)
	r := authenticate(t, "nosuite", n, p)
	if r.err != nil || r.result.Code != radius.CodeAccessReject {
		t.Fatalf("%v", r)
	}
	v := inspect(t, r)
	if len(v.alerts[1]) != 1 || v.alerts[1][0].Description != tls.AlertHandshakeFailure {
		t.Errorf("server alerts %v", v.alerts[1])
	}
	// Identity, Start, ClientHello -> alert, ACK -> EAP-Failure.
	if got := strings.Join(v.eapTypes, ","); got != "Identity,PEAP,PEAP,PEAP,PEAP," {
		t.Errorf("EAP packets %s", got)
	}
	for name, o := range map[string]*Outcome{"server": r.server, "peer": r.peer} {
		if h := o.Handshakes[0]; h.Kind != "failed" || h.Alert == nil || h.Alert.Description != tls.AlertHandshakeFailure {
			t.Errorf("%s handshake %+v", name, h)
		}
		if !strings.Contains(o.FailureReason, "TLS") {
			t.Errorf("%s reason %q", name, o.FailureReason)
		}
	}
}
