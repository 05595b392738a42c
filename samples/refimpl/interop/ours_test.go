package interop

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/radiusnode"
)

// Our endpoints as the peers meet them: the reference implementation's
// RADIUS server with its EAP server behind, and its NAS with its
// supplicant. Real time (the peers run on the wall clock), deterministic
// randomness.

// newOurEAPServer returns an EAP server node with the test PKI's server
// certificate and the shared user; tune, when set, adjusts the
// configuration first.
func newOurEAPServer(t *testing.T, policy eapauth.Policy, seed string, tune ...func(*eapauth.ServerConfig)) *eapauth.Server {
	t.Helper()
	cfg := eapauth.ServerConfig{
		Rand:        detrand.New(seed),
		Time:        time.Now,
		Policy:      policy,
		Certificate: pki.Server(),
		Passwords:   map[string]string{userName: userPassword},
	}
	for _, f := range tune {
		f(&cfg)
	}
	return eapauth.NewServer(cfg)
}

// serveOurRADIUS serves an EAP server with our RADIUS server on a free UDP
// port of 127.0.0.1 until the end of the test, and returns the port.
func serveOurRADIUS(t *testing.T, eapServer radiusnode.EAPServer, seed string) int {
	t.Helper()
	srv := &radiusnode.Server{
		Secret:  []byte(radiusSecret),
		Handler: &radiusnode.EAPHandler{EAP: eapServer},
		Rand:    detrand.New(seed),
	}
	u, err := srv.ListenUDP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := u.Close(); err != nil {
			t.Errorf("our RADIUS server: %v", err)
		}
	})
	return u.Addr().(*net.UDPAddr).Port
}

// newOurNAS returns our NAS talking RADIUS over UDP to 127.0.0.1:port.
func newOurNAS(t *testing.T, port int, seed string) *radiusnode.NAS {
	t.Helper()
	tr, err := radiusnode.DialUDP(fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	tr.Timeout = 3 * time.Second
	tr.Retries = -1 // on loopback a lost answer is a bug, not weather
	t.Cleanup(func() { tr.Close() })
	return &radiusnode.NAS{
		Secret:           []byte(radiusSecret),
		Transport:        tr,
		Rand:             detrand.New(seed),
		IP:               netip.MustParseAddr("127.0.0.1"),
		Identifier:       "interop-nas",
		Port:             7,
		PortType:         radiusnode.PortTypeEthernet,
		CalledStationID:  "02-00-5E-10-00-01",
		CallingStationID: "02-00-5E-10-00-02",
		AuditSessionID:   "0A0000010000000700000001",
	}
}

// newOurPeer returns our supplicant, verifying servers with the test CA.
func newOurPeer(cfg eapauth.PeerConfig, seed string) *eapauth.Peer {
	cfg.Rand = detrand.New(seed)
	cfg.Time = time.Now
	cfg.RootCAs = pki.CAPool()
	return eapauth.NewPeer(cfg)
}

// peapPeerConfig is a PEAP user with identity privacy, resuming TLS
// sessions and accepting fast reconnect, as eapol_test does.
func peapPeerConfig() eapauth.PeerConfig {
	return eapauth.PeerConfig{
		Credentials:       eapauth.Credentials{Identity: userName, Password: userPassword},
		OuterIdentity:     "anonymous",
		Methods:           []eap.Type{eap.TypePEAP},
		SessionResumption: true,
		FastReconnect:     true,
	}
}

// eapTLSPeerConfig is the machine with its certificate.
func eapTLSPeerConfig() eapauth.PeerConfig {
	return eapauth.PeerConfig{
		Credentials:       eapauth.Credentials{Identity: machineIdentity, Certificate: pki.Client()},
		Methods:           []eap.Type{eap.TypeTLS},
		SessionResumption: true,
	}
}

// machineIdentity is the subject of the test PKI's client certificate.
const machineIdentity = "host/laptop-01.lab.example"
