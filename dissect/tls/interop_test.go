//go:debug tlsrsakex=1

package tls

// Interoperation with an independent implementation: Go's crypto/tls runs
// both ends over net.Pipe, a recording conn keeps the bytes each side
// wrote, and this package must read back what crypto/tls reports.

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	stdtls "crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"
)

// recordingConn keeps every byte written through it.
type recordingConn struct {
	net.Conn
	mu  sync.Mutex
	out bytes.Buffer
}

func (c *recordingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.out.Write(p)
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *recordingConn) written() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.out.Bytes()...)
}

type testCert struct {
	cert stdtls.Certificate
	x509 *x509.Certificate
}

func makeCert(t *testing.T, cn string, rsaKey bool, parent *testCert) testCert {
	t.Helper()
	var priv any
	var pub any
	if rsaKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		priv, pub = k, &k.PublicKey
	} else {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		priv, pub = k, &k.PublicKey
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(0x97e647098eeac9b4 & 0x7fffffffffffffff),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"SessionScope Test"}, Country: []string{"FR"}},
		NotBefore:             time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		NotAfter:              time.Date(2034, 1, 2, 3, 4, 5, 0, time.UTC),
		DNSNames:              []string{cn},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		IsCA:                  parent == nil,
		BasicConstraintsValid: true,
	}
	parentTmpl, signer := tmpl, priv
	if parent != nil {
		parentTmpl, signer = parent.x509, parent.cert.PrivateKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentTmpl, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return testCert{cert: stdtls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv, Leaf: c}, x509: c}
}

// runHandshake connects a crypto/tls client and server and returns what
// each wrote and the client's view of the connection.
func runHandshake(t *testing.T, client, server *stdtls.Config) (clientBytes, serverBytes []byte, state stdtls.ConnectionState) {
	t.Helper()
	c, s := net.Pipe()
	rc, rs := &recordingConn{Conn: c}, &recordingConn{Conn: s}
	tc, ts := stdtls.Client(rc, client), stdtls.Server(rs, server)
	errc := make(chan error, 1)
	go func() {
		err := ts.Handshake()
		if err == nil {
			// Read the client's message so that TLS 1.3 tickets flow.
			buf := make([]byte, 5)
			_, err = io.ReadFull(ts, buf)
			if err == nil {
				_, err = ts.Write(buf)
			}
		}
		errc <- err
	}()
	if err := tc.Handshake(); err != nil {
		t.Fatalf("client handshake: %v", err)
	}
	if _, err := tc.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(tc, buf); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("server: %v", err)
	}
	state = tc.ConnectionState()
	// Close the pipe, not the TLS conns: a close_notify on a synchronous
	// pipe nobody reads would wait for its write deadline.
	c.Close()
	s.Close()
	return rc.written(), rs.written(), state
}

// readFlight parses one direction's records and returns its plaintext
// handshake messages: until ChangeCipherSpec before TLS 1.3; with tls13,
// until the first encrypted record (the client's second ClientHello after
// a HelloRetryRequest stays readable).
func readFlight(t *testing.T, stream []byte, tls13 func() bool) []HandshakeMsg {
	t.Helper()
	var h HandshakeReassembler
	var msgs []HandshakeMsg
	for len(stream) > 0 {
		rec, n, err := ParseRecord(stream, false)
		if err != nil {
			t.Fatalf("record: %v", err)
		}
		stream = stream[n:]
		switch rec.Type {
		case ContentChangeCipherSpec:
			if !IsChangeCipherSpec(rec.Fragment) {
				t.Errorf("ChangeCipherSpec fragment %x", rec.Fragment)
			}
			if !tls13() {
				return msgs
			}
		case ContentApplicationData:
			return msgs
		case ContentHandshake:
			if err := h.Write(rec.Fragment); err != nil {
				t.Fatalf("reassembler: %v", err)
			}
			for {
				m, ok := h.Next()
				if !ok {
					break
				}
				msgs = append(msgs, m)
			}
		}
	}
	return msgs
}

// handshakeView is what this package reads from a recorded handshake.
type handshakeView struct {
	ch          *ClientHello
	sh          *ServerHello
	serverCerts [][]byte
	clientCerts [][]byte
	certReq     *CertificateRequest
	ske         *ServerKeyExchangeParams
	cke         *ClientKeyExchangeParams
	cv          *CertificateVerify
	ticket      *NewSessionTicket
	clientTypes []HandshakeType
	serverTypes []HandshakeType
}

func readHandshake(t *testing.T, clientBytes, serverBytes []byte) handshakeView {
	t.Helper()
	var v handshakeView
	isTLS13 := func() bool { return v.sh != nil && v.sh.NegotiatedVersion() == VersionTLS13 }
	serverMsgs := readFlight(t, serverBytes, isTLS13)
	// The ServerHello decides how the client's flight is read.
	for _, m := range serverMsgs {
		if m.Type == HandshakeTypeServerHello {
			v.sh = &ServerHello{}
			if err := v.sh.Unmarshal(m.Body); err != nil {
				t.Fatal(err)
			}
		}
	}
	clientMsgs := readFlight(t, clientBytes, isTLS13)
	version := v.sh.NegotiatedVersion()
	info, _ := CipherSuiteInfo(v.sh.CipherSuite)
	check := func(m HandshakeMsg, marshal []byte) {
		t.Helper()
		if !bytes.Equal(marshal, m.Body) {
			t.Errorf("%s: Marshal gives\n%x\nwant\n%x", m.Type, marshal, m.Body)
		}
	}
	for _, m := range clientMsgs {
		v.clientTypes = append(v.clientTypes, m.Type)
		switch m.Type {
		case HandshakeTypeClientHello:
			v.ch = &ClientHello{}
			if err := v.ch.Unmarshal(m.Body, false); err != nil {
				t.Fatal(err)
			}
			check(m, v.ch.Marshal(false))
			if err := clientHelloFieldsRoundTrip(v.ch, false); err != nil {
				t.Error(err)
			}
		case HandshakeTypeCertificate:
			var c Certificate
			if err := c.Unmarshal(m.Body, false); err != nil {
				t.Fatal(err)
			}
			check(m, c.Marshal())
			v.clientCerts = c.Certificates
		case HandshakeTypeClientKeyExchange:
			p, err := ParseClientKeyExchange(m.Body, info.KeyExchange, version)
			if err != nil {
				t.Fatal(err)
			}
			check(m, p.Marshal(version))
			v.cke = p
		case HandshakeTypeCertificateVerify:
			v.cv = &CertificateVerify{}
			if err := v.cv.Unmarshal(m.Body, version); err != nil {
				t.Fatal(err)
			}
			check(m, v.cv.Marshal())
		}
	}
	for _, m := range serverMsgs {
		v.serverTypes = append(v.serverTypes, m.Type)
		switch m.Type {
		case HandshakeTypeServerHello:
			check(m, v.sh.Marshal())
			if err := serverHelloFieldsRoundTrip(v.sh); err != nil {
				t.Error(err)
			}
		case HandshakeTypeCertificate:
			var c Certificate
			if err := c.Unmarshal(m.Body, false); err != nil {
				t.Fatal(err)
			}
			check(m, c.Marshal())
			v.serverCerts = c.Certificates
		case HandshakeTypeServerKeyExchange:
			p, err := ParseServerKeyExchange(m.Body, info.KeyExchange, version)
			if err != nil {
				t.Fatal(err)
			}
			check(m, p.Marshal())
			v.ske = p
		case HandshakeTypeCertificateRequest:
			v.certReq = &CertificateRequest{}
			if err := v.certReq.Unmarshal(m.Body, version); err != nil {
				t.Fatal(err)
			}
			check(m, v.certReq.Marshal(version))
		case HandshakeTypeServerHelloDone:
			if err := (ServerHelloDone{}).Unmarshal(m.Body); err != nil {
				t.Fatal(err)
			}
		case HandshakeTypeNewSessionTicket:
			v.ticket = &NewSessionTicket{}
			if err := v.ticket.Unmarshal(m.Body, false); err != nil {
				t.Fatal(err)
			}
			check(m, v.ticket.Marshal())
		}
	}
	return v
}

func typesString(ts []HandshakeType) string {
	var b bytes.Buffer
	for i, t := range ts {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(t.String())
	}
	return b.String()
}

func TestInteropCryptoTLS(t *testing.T) {
	ca := makeCert(t, "Interop CA", false, nil)
	ecLeaf := makeCert(t, "server.example", false, &ca)
	rsaLeaf := makeCert(t, "rsa.example", true, &ca)
	clientLeaf := makeCert(t, "client.example", false, &ca)
	pool := x509.NewCertPool()
	pool.AddCert(ca.x509)

	type want struct {
		clientTypes, serverTypes string
		kx                       KeyExchange
	}
	tests := []struct {
		name   string
		client *stdtls.Config
		server *stdtls.Config
		want   want
	}{
		{
			name: "TLS1.2 ECDHE_RSA",
			client: &stdtls.Config{RootCAs: pool, ServerName: "rsa.example", MaxVersion: stdtls.VersionTLS12,
				NextProtos: []string{"h2", "http/1.1"}, SessionTicketsDisabled: true},
			server: &stdtls.Config{Certificates: []stdtls.Certificate{rsaLeaf.cert}, MaxVersion: stdtls.VersionTLS12,
				CipherSuites: []uint16{stdtls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}, NextProtos: []string{"h2"}, SessionTicketsDisabled: true},
			want: want{"ClientHello,ClientKeyExchange", "ServerHello,Certificate,ServerKeyExchange,ServerHelloDone", KeyExchangeECDHE_RSA},
		},
		{
			name: "TLS1.2 RSA",
			client: &stdtls.Config{RootCAs: pool, ServerName: "rsa.example", MaxVersion: stdtls.VersionTLS12,
				CipherSuites: []uint16{stdtls.TLS_RSA_WITH_AES_128_CBC_SHA}, SessionTicketsDisabled: true},
			server: &stdtls.Config{Certificates: []stdtls.Certificate{rsaLeaf.cert}, MaxVersion: stdtls.VersionTLS12,
				CipherSuites: []uint16{stdtls.TLS_RSA_WITH_AES_128_CBC_SHA}, SessionTicketsDisabled: true},
			want: want{"ClientHello,ClientKeyExchange", "ServerHello,Certificate,ServerHelloDone", KeyExchangeRSA},
		},
		{
			name:   "TLS1.2 ECDHE_ECDSA client certificate",
			client: &stdtls.Config{RootCAs: pool, ServerName: "server.example", MaxVersion: stdtls.VersionTLS12, Certificates: []stdtls.Certificate{clientLeaf.cert}},
			server: &stdtls.Config{Certificates: []stdtls.Certificate{ecLeaf.cert}, MaxVersion: stdtls.VersionTLS12,
				ClientAuth: stdtls.RequireAndVerifyClientCert, ClientCAs: pool, SessionTicketsDisabled: true},
			want: want{"ClientHello,Certificate,ClientKeyExchange,CertificateVerify", "ServerHello,Certificate,ServerKeyExchange,CertificateRequest,ServerHelloDone", KeyExchangeECDHE_ECDSA},
		},
		{
			name:   "TLS1.3",
			client: &stdtls.Config{RootCAs: pool, ServerName: "server.example"},
			server: &stdtls.Config{Certificates: []stdtls.Certificate{ecLeaf.cert}},
			want:   want{"ClientHello", "ServerHello", KeyExchangeTLS13},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cb, sb, st := runHandshake(t, tc.client, tc.server)
			v := readHandshake(t, cb, sb)
			checkAgainstState(t, v, st, tc.client)
			if got := typesString(v.clientTypes); got != tc.want.clientTypes {
				t.Errorf("client flight %s, want %s", got, tc.want.clientTypes)
			}
			if got := typesString(v.serverTypes); got != tc.want.serverTypes {
				t.Errorf("server flight %s, want %s", got, tc.want.serverTypes)
			}
			info, ok := CipherSuiteInfo(st.CipherSuite)
			if !ok || info.KeyExchange != tc.want.kx {
				t.Errorf("suite %s: key exchange %v, want %v", CipherSuiteName(st.CipherSuite), info.KeyExchange, tc.want.kx)
			}
			if v.ske != nil {
				if !v.ske.HasSignatureAlgorithm || len(v.ske.Signature) == 0 || len(v.ske.PublicKey) == 0 {
					t.Errorf("ServerKeyExchange not read: %+v", v.ske)
				}
				if v.cke == nil || len(v.cke.PublicKey) != len(v.ske.PublicKey) {
					t.Errorf("ClientKeyExchange point length differs from the server's")
				}
			}
			if tc.want.kx == KeyExchangeRSA && (v.cke == nil || len(v.cke.EncryptedPreMasterSecret) != 256) {
				t.Errorf("RSA ClientKeyExchange: %+v", v.cke)
			}
			if tc.server.ClientAuth == stdtls.RequireAndVerifyClientCert {
				if v.certReq == nil || len(v.certReq.CertificateAuthorities) != 1 || len(v.certReq.SignatureAlgorithms) == 0 {
					t.Fatalf("CertificateRequest: %+v", v.certReq)
				}
				if !bytes.Equal(v.certReq.CertificateAuthorities[0], ca.x509.RawSubject) {
					t.Errorf("CertificateRequest CA %x, want %x", v.certReq.CertificateAuthorities[0], ca.x509.RawSubject)
				}
				if len(v.clientCerts) != 1 || !bytes.Equal(v.clientCerts[0], clientLeaf.x509.Raw) {
					t.Errorf("client certificate not read back")
				}
				if v.cv == nil || !v.cv.HasSignatureAlgorithm || v.cv.SignatureAlgorithm != uint16(stdtls.ECDSAWithP256AndSHA256) {
					t.Errorf("CertificateVerify: %+v", v.cv)
				}
			}
		})
	}
}

// checkAgainstState compares what we read with what crypto/tls reports.
func checkAgainstState(t *testing.T, v handshakeView, st stdtls.ConnectionState, client *stdtls.Config) {
	t.Helper()
	if v.ch == nil || v.sh == nil {
		t.Fatalf("hellos not read")
	}
	if got := v.sh.NegotiatedVersion(); uint16(got) != st.Version {
		t.Errorf("version %v, crypto/tls %v", got, Version(st.Version))
	}
	if v.sh.CipherSuite != st.CipherSuite {
		t.Errorf("suite %s, crypto/tls %s", CipherSuiteName(v.sh.CipherSuite), stdtls.CipherSuiteName(st.CipherSuite))
	}
	if v.ch.ServerName != client.ServerName {
		t.Errorf("SNI %q, want %q", v.ch.ServerName, client.ServerName)
	}
	if !offersSuite(v.ch.CipherSuites, st.CipherSuite) {
		t.Errorf("ClientHello does not offer the chosen suite")
	}
	if st.NegotiatedProtocol != "" && v.sh.NegotiatedVersion() != VersionTLS13 && v.sh.ALPNProtocol != st.NegotiatedProtocol {
		t.Errorf("ALPN %q, crypto/tls %q", v.sh.ALPNProtocol, st.NegotiatedProtocol)
	}
	if len(client.NextProtos) > 0 && len(v.ch.ALPNProtocols) != len(client.NextProtos) {
		t.Errorf("offered ALPN %v, want %v", v.ch.ALPNProtocols, client.NextProtos)
	}
	resumed := false
	if v.sh.NegotiatedVersion() == VersionTLS13 {
		resumed = v.sh.HasSelectedPSK
		if v.ch.MaxVersion() != VersionTLS13 || v.sh.KeyShareGroup == 0 && !v.sh.HelloRetryRequest {
			t.Errorf("TLS 1.3 hello fields: max %v, key share %v", v.ch.MaxVersion(), v.sh.KeyShareGroup)
		}
		if v.sh.KeyShareGroup != 0 && !offersGroup(v.ch, v.sh.KeyShareGroup) {
			t.Errorf("server chose group %s the client did not offer", NamedGroupName(v.sh.KeyShareGroup))
		}
	} else {
		resumed = v.sh.ResumesSession(v.ch) || (len(v.ch.SessionTicket) > 0 && v.serverCerts == nil)
		if st.DidResume {
			// The resumed session keeps the chain; none is sent.
			if v.serverCerts != nil {
				t.Errorf("certificates sent in an abbreviated handshake")
			}
		} else {
			if len(st.PeerCertificates) == 0 || len(v.serverCerts) != len(st.PeerCertificates) {
				t.Fatalf("server chain of %d, crypto/tls %d", len(v.serverCerts), len(st.PeerCertificates))
			}
			for i, c := range st.PeerCertificates {
				if !bytes.Equal(c.Raw, v.serverCerts[i]) {
					t.Errorf("server certificate %d differs", i)
				}
			}
		}
		if v.sh.ExtendedMasterSecret != v.ch.ExtendedMasterSecret || !v.sh.ExtendedMasterSecret {
			t.Errorf("extended_master_secret: client %v server %v", v.ch.ExtendedMasterSecret, v.sh.ExtendedMasterSecret)
		}
		if !v.sh.SecureRenegotiationSupported || !v.ch.SecureRenegotiationSupported {
			t.Errorf("renegotiation_info not read")
		}
	}
	if resumed != st.DidResume {
		t.Errorf("resumed %v, crypto/tls DidResume %v", resumed, st.DidResume)
	}
}

func offersGroup(ch *ClientHello, g uint16) bool {
	for _, ks := range ch.KeyShares {
		if ks.Group == g {
			return true
		}
	}
	for _, x := range ch.SupportedGroups {
		if x == g {
			return true
		}
	}
	return false
}

// TestInteropResumption resumes sessions with crypto/tls: a TLS 1.2
// session ticket (RFC 5077) and a TLS 1.3 PSK.
func TestInteropResumption(t *testing.T) {
	ca := makeCert(t, "Interop CA", false, nil)
	leaf := makeCert(t, "server.example", false, &ca)
	pool := x509.NewCertPool()
	pool.AddCert(ca.x509)
	for _, max := range []uint16{stdtls.VersionTLS12, stdtls.VersionTLS13} {
		t.Run(Version(max).String(), func(t *testing.T) {
			cache := stdtls.NewLRUClientSessionCache(4)
			client := &stdtls.Config{RootCAs: pool, ServerName: "server.example", MaxVersion: max, ClientSessionCache: cache}
			server := &stdtls.Config{Certificates: []stdtls.Certificate{leaf.cert}, MaxVersion: max}
			cb, sb, st := runHandshake(t, client, server)
			first := readHandshake(t, cb, sb)
			checkAgainstState(t, first, st, client)
			if st.DidResume {
				t.Fatal("first connection resumed")
			}
			if max == stdtls.VersionTLS12 {
				if first.ticket == nil || len(first.ticket.Ticket) == 0 || !first.sh.TicketSupported || !first.ch.TicketSupported || len(first.ch.SessionTicket) != 0 {
					t.Fatalf("no ticket issued: %+v", first.ticket)
				}
			}
			cb, sb, st = runHandshake(t, client, server)
			second := readHandshake(t, cb, sb)
			checkAgainstState(t, second, st, client)
			if !st.DidResume {
				t.Fatal("second connection did not resume")
			}
			if !second.ch.OffersResumption() {
				t.Error("OffersResumption false on a resuming ClientHello")
			}
			if max == stdtls.VersionTLS12 {
				if !bytes.Equal(second.ch.SessionTicket, first.ticket.Ticket) {
					t.Errorf("ClientHello ticket %x, issued %x", second.ch.SessionTicket, first.ticket.Ticket)
				}
				// Abbreviated: no Certificate or key exchange; crypto/tls
				// renews the ticket.
				if got := typesString(second.serverTypes); got != "ServerHello,NewSessionTicket" {
					t.Errorf("abbreviated server flight %s", got)
				}
				if got := typesString(second.clientTypes); got != "ClientHello" {
					t.Errorf("abbreviated client flight %s", got)
				}
			} else {
				if len(second.ch.PSKIdentities) != 1 || len(second.ch.PSKBinders) != 1 || len(second.ch.PSKModes) == 0 {
					t.Errorf("pre_shared_key: %+v %+v %v", second.ch.PSKIdentities, second.ch.PSKBinders, second.ch.PSKModes)
				}
				if !second.sh.HasSelectedPSK || second.sh.SelectedPSK != 0 {
					t.Errorf("server PSK selection: %v %d", second.sh.HasSelectedPSK, second.sh.SelectedPSK)
				}
				if last := second.ch.Extensions[len(second.ch.Extensions)-1]; last.Type != ExtPreSharedKey {
					t.Errorf("pre_shared_key is not the last extension")
				}
			}
		})
	}
}
