package tls

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

// RFC 8448 section 3 (simple 1-RTT handshake): ClientHello, ServerHello
// and EncryptedExtensions, handshake header included.
const (
	rfc8448ClientHello = `01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2
	1a 8d 99 12 ec 18 a2 ef 62 83 02 4d ec e7 00 00 06 13 01 13 03 13 02 01
	00 00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01 00 00
	0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00
	23 00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2 3d 8e
	43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c 00 2b 00
	03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02 03 08 04 08 05 08 06
	04 01 05 01 06 01 02 01 04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c
	00 02 40 01`
	rfc8448ServerHello = `02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e 60 24 9c d3 4c 95 93 0c
	8a c5 cb 14 34 da c1 55 77 2e d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24
	00 1d 00 20 c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25
	3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04`
	rfc8448EncryptedExtensions = `08 00 00 24 00 22 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01
	01 02 01 03 01 04 00 1c 00 02 40 01 00 00 00 00`
)

func parseOne(t *testing.T, s string) HandshakeMsg {
	t.Helper()
	b := mustHex(t, s)
	m, n, err := ParseHandshakeFragment(b, false)
	if err != nil || n != len(b) {
		t.Fatalf("n=%d/%d err=%v", n, len(b), err)
	}
	return m
}

func TestRFC8448Hellos(t *testing.T) {
	m := parseOne(t, rfc8448ClientHello)
	var ch ClientHello
	if err := ch.Unmarshal(m.Body, false); err != nil {
		t.Fatal(err)
	}
	if ch.Version != VersionTLS12 || ch.MaxVersion() != VersionTLS13 || ch.ServerName != "server" ||
		!reflect.DeepEqual(ch.CipherSuites, []uint16{0x1301, 0x1303, 0x1302}) ||
		!reflect.DeepEqual(ch.SupportedGroups, []uint16{29, 23, 24, 25, 256, 257, 258, 259, 260}) ||
		len(ch.KeyShares) != 1 || ch.KeyShares[0].Group != GroupX25519 || len(ch.KeyShares[0].Data) != 32 ||
		!ch.TicketSupported || len(ch.SessionTicket) != 0 || !ch.SecureRenegotiationSupported ||
		len(ch.SignatureAlgorithms) != 15 || !bytes.Equal(ch.PSKModes, []byte{1}) || len(ch.SessionID) != 0 ||
		ch.OffersResumption() {
		t.Errorf("ClientHello %+v", ch)
	}
	if !bytes.Equal(MarshalHandshake(HandshakeTypeClientHello, ch.Marshal(false)), m.Raw) {
		t.Error("ClientHello Marshal differs")
	}
	m = parseOne(t, rfc8448ServerHello)
	var sh ServerHello
	if err := sh.Unmarshal(m.Body); err != nil {
		t.Fatal(err)
	}
	if sh.NegotiatedVersion() != VersionTLS13 || sh.CipherSuite != 0x1301 || sh.KeyShareGroup != GroupX25519 ||
		len(sh.KeyShareData) != 32 || sh.HelloRetryRequest || sh.HasSelectedPSK {
		t.Errorf("ServerHello %+v", sh)
	}
	if !bytes.Equal(sh.Marshal(), m.Body) {
		t.Error("ServerHello Marshal differs")
	}
	m = parseOne(t, rfc8448EncryptedExtensions)
	var ee EncryptedExtensions
	if err := ee.Unmarshal(m.Body); err != nil {
		t.Fatal(err)
	}
	if len(ee.Extensions) != 3 || ee.Extensions[0].Type != ExtSupportedGroups || ee.Extensions[1].Type != ExtRecordSizeLimit || ee.Extensions[2].Type != ExtServerName {
		t.Errorf("EncryptedExtensions %+v", ee)
	}
	if !bytes.Equal(ee.Marshal(), m.Body) {
		t.Error("EncryptedExtensions Marshal differs")
	}
}

// A ClientHello built from fields, as the reference implementation will
// for EAP-FAST: a PAC-Opaque in session_ticket, anonymous DH suites.
func TestClientHelloFromFields(t *testing.T) {
	opaque := []byte("PAC-Opaque: encrypted PAC-Key and identity")
	ch := &ClientHello{
		Version:                      VersionTLS12,
		SessionID:                    bytes.Repeat([]byte{0x11}, 32),
		CipherSuites:                 []uint16{0x0034, 0x00a6, TLS_EMPTY_RENEGOTIATION_INFO_SCSV},
		CompressionMethods:           []uint8{0},
		ServerName:                   "radius.example",
		TicketSupported:              true,
		SessionTicket:                opaque,
		SupportedGroups:              []uint16{GroupSecp256r1},
		SignatureAlgorithms:          []uint16{SchemeRSAPKCS1SHA256, SchemeECDSAP256SHA256},
		ExtendedMasterSecret:         true,
		SecureRenegotiationSupported: true,
		ALPNProtocols:                []string{"h2"},
		EncryptThenMAC:               true,
	}
	for i := range ch.Random {
		ch.Random[i] = byte(i)
	}
	for _, dtls := range []bool{false, true} {
		if dtls {
			ch.Cookie = []byte{1, 2, 3}
		}
		body := ch.Marshal(dtls)
		var back ClientHello
		if err := back.Unmarshal(body, dtls); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(viewClientHello(&back), viewClientHello(ch)) {
			t.Errorf("dtls=%v:\n got %+v\nwant %+v", dtls, viewClientHello(&back), viewClientHello(ch))
		}
		if !bytes.Equal(back.Marshal(dtls), body) {
			t.Error("re-Marshal differs")
		}
		if !back.OffersResumption() {
			t.Error("PAC-Opaque not seen as a resumption offer")
		}
		// renegotiation_info is not sent when the SCSV says it.
		if _, ok := FindExtension(back.Extensions, ExtRenegotiationInfo); ok {
			t.Error("renegotiation_info sent beside the SCSV")
		}
		info, _ := CipherSuiteInfo(back.CipherSuites[0])
		if !info.Anonymous {
			t.Error("TLS_DH_anon suite not anonymous")
		}
	}
}

// Unmarshal into a reused ClientHello does not allocate.
func TestClientHelloUnmarshalAllocs(t *testing.T) {
	body := parseOne(t, rfc8448ClientHello).Body
	ch := &ClientHello{}
	ch.Unmarshal(body, false)
	allocs := testing.AllocsPerRun(1000, func() {
		if err := ch.Unmarshal(body, false); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per Unmarshal", allocs)
	}
	if ch.ServerName != "server" {
		t.Errorf("ServerName %q after reuse", ch.ServerName)
	}
}

func BenchmarkClientHelloUnmarshal(b *testing.B) {
	body := mustHex(b, rfc8448ClientHello)[4:]
	ch := &ClientHello{}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := ch.Unmarshal(body, false); err != nil {
			b.Fatal(err)
		}
	}
}

func TestServerHelloVariants(t *testing.T) {
	// HelloRetryRequest: the special random, key_share with a group only,
	// a cookie.
	hrr := NewHelloRetryRequest()
	hrr.SessionID = []byte{9, 9}
	hrr.CipherSuite = 0x1302
	hrr.SupportedVersion = VersionTLS13
	hrr.KeyShareGroup = GroupSecp256r1
	hrr.Cookie = []byte("cookie")
	var back ServerHello
	if err := back.Unmarshal(hrr.Marshal()); err != nil {
		t.Fatal(err)
	}
	if !back.HelloRetryRequest || back.KeyShareGroup != GroupSecp256r1 || back.KeyShareData != nil || string(back.Cookie) != "cookie" || back.NegotiatedVersion() != VersionTLS13 {
		t.Errorf("HelloRetryRequest %+v", back)
	}
	// TLS 1.3 draft 18: no session ID, no compression method.
	d18 := &ServerHello{Version: 0x7f12, CipherSuite: 0x1301, KeyShareGroup: GroupX25519, KeyShareData: make([]byte, 32)}
	body := d18.Marshal()
	if len(body) != 2+32+2+2+4+2+2+32 {
		t.Errorf("draft ServerHello of %d bytes", len(body))
	}
	if err := back.Unmarshal(body); err != nil || back.CipherSuite != 0x1301 || back.KeyShareGroup != GroupX25519 || back.NegotiatedVersion() != 0x7f12 {
		t.Errorf("draft ServerHello %+v %v", back, err)
	}
	// Session resumption by ID.
	ch := &ClientHello{SessionID: []byte{1, 2, 3}}
	sh := &ServerHello{SessionID: []byte{1, 2, 3}}
	if !sh.ResumesSession(ch) {
		t.Error("ResumesSession")
	}
	sh.SessionID = []byte{4}
	if sh.ResumesSession(ch) {
		t.Error("ResumesSession with a new ID")
	}
}

func TestHandshakeMessagesRoundTrip(t *testing.T) {
	der := bytes.Repeat([]byte{0x30}, 40)
	type rt struct {
		name      string
		marshal   func() []byte
		unmarshal func([]byte) (any, error)
		want      any
	}
	tests := []rt{
		{"Certificate", (&Certificate{Certificates: [][]byte{der, der[:10]}}).Marshal,
			func(b []byte) (any, error) { var m Certificate; err := m.Unmarshal(b, false); return m, err },
			Certificate{Certificates: [][]byte{der, der[:10]}}},
		{"Certificate 1.3", (&Certificate{TLS13: true, RequestContext: []byte{1}, Certificates: [][]byte{der}, Extensions: [][]byte{{0, 5, 0, 0}}}).Marshal,
			func(b []byte) (any, error) { var m Certificate; err := m.Unmarshal(b, true); return m, err },
			Certificate{TLS13: true, RequestContext: []byte{1}, Certificates: [][]byte{der}, Extensions: [][]byte{{0, 5, 0, 0}}}},
		{"empty Certificate", (&Certificate{}).Marshal,
			func(b []byte) (any, error) {
				var m Certificate
				err := m.Unmarshal(b, false)
				return len(m.Certificates), err
			}, 0},
		{"CertificateRequest 1.2", func() []byte {
			return (&CertificateRequest{CertificateTypes: []uint8{1, 64}, SignatureAlgorithms: []uint16{0x0401}, CertificateAuthorities: [][]byte{der}}).Marshal(VersionTLS12)
		}, func(b []byte) (any, error) {
			var m CertificateRequest
			err := m.Unmarshal(b, VersionTLS12)
			return m, err
		},
			CertificateRequest{CertificateTypes: []uint8{1, 64}, SignatureAlgorithms: []uint16{0x0401}, CertificateAuthorities: [][]byte{der}}},
		{"CertificateRequest 1.0", func() []byte {
			return (&CertificateRequest{CertificateTypes: []uint8{1}}).Marshal(VersionTLS10)
		}, func(b []byte) (any, error) {
			var m CertificateRequest
			err := m.Unmarshal(b, VersionDTLS10)
			return len(b), err
		}, 4},
		{"CertificateVerify", (&CertificateVerify{HasSignatureAlgorithm: true, SignatureAlgorithm: 0x0804, Signature: []byte{1, 2}}).Marshal,
			func(b []byte) (any, error) {
				var m CertificateVerify
				err := m.Unmarshal(b, VersionTLS12)
				return m, err
			},
			CertificateVerify{HasSignatureAlgorithm: true, SignatureAlgorithm: 0x0804, Signature: []byte{1, 2}}},
		{"CertificateStatus", (&CertificateStatus{StatusType: 1, Response: der}).Marshal,
			func(b []byte) (any, error) { var m CertificateStatus; err := m.Unmarshal(b); return m, err },
			CertificateStatus{StatusType: 1, Response: der}},
		{"NewSessionTicket", (&NewSessionTicket{LifetimeHint: 7200, Ticket: der}).Marshal,
			func(b []byte) (any, error) { var m NewSessionTicket; err := m.Unmarshal(b, false); return m, err },
			NewSessionTicket{LifetimeHint: 7200, Ticket: der}},
		{"NewSessionTicket 1.3", (&NewSessionTicket{TLS13: true, LifetimeHint: 1, AgeAdd: 2, Nonce: []byte{3}, Ticket: der, Extensions: []Extension{{Type: ExtEarlyData, Data: []byte{0, 0, 4, 0}}}}).Marshal,
			func(b []byte) (any, error) { var m NewSessionTicket; err := m.Unmarshal(b, true); return m, err },
			NewSessionTicket{TLS13: true, LifetimeHint: 1, AgeAdd: 2, Nonce: []byte{3}, Ticket: der, Extensions: []Extension{{Type: ExtEarlyData, Data: []byte{0, 0, 4, 0}}}}},
		{"HelloVerifyRequest", (&HelloVerifyRequest{Version: VersionDTLS10, Cookie: []byte{5, 6}}).Marshal,
			func(b []byte) (any, error) { var m HelloVerifyRequest; err := m.Unmarshal(b); return m, err },
			HelloVerifyRequest{Version: VersionDTLS10, Cookie: []byte{5, 6}}},
		{"Finished", (&Finished{VerifyData: der[:12]}).Marshal,
			func(b []byte) (any, error) { var m Finished; err := m.Unmarshal(b); return m, err }, Finished{VerifyData: der[:12]}},
		{"KeyUpdate", (&KeyUpdate{RequestUpdate: 1}).Marshal,
			func(b []byte) (any, error) { var m KeyUpdate; err := m.Unmarshal(b); return m, err }, KeyUpdate{RequestUpdate: 1}},
		{"EncryptedExtensions", (&EncryptedExtensions{ALPNProtocol: "h2"}).Marshal,
			func(b []byte) (any, error) {
				var m EncryptedExtensions
				err := m.Unmarshal(b)
				return m.ALPNProtocol, err
			}, "h2"},
		{"ServerHelloDone", ServerHelloDone{}.Marshal, func(b []byte) (any, error) { return len(b), ServerHelloDone{}.Unmarshal(b) }, 0},
		{"HelloRequest", HelloRequest{}.Marshal, func(b []byte) (any, error) { return len(b), HelloRequest{}.Unmarshal(b) }, 0},
		{"EndOfEarlyData", EndOfEarlyData{}.Marshal, func(b []byte) (any, error) { return len(b), EndOfEarlyData{}.Unmarshal(b) }, 0},
		{"Alert", Alert{Level: 2, Description: 40}.Marshal, func(b []byte) (any, error) { a, _ := ParseAlert(b); return a, nil }, Alert{2, 40}},
	}
	for _, tc := range tests {
		body := tc.marshal()
		got, err := tc.unmarshal(body)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
		// Every byte matters: each proper prefix is an error (or, for
		// the bodies that may be empty, at least not a panic).
		for i := 0; i < len(body); i++ {
			tc.unmarshal(body[:i])
		}
	}
}

func TestKeyExchangeParams(t *testing.T) {
	point := bytes.Repeat([]byte{4}, 65)
	cases := []*ServerKeyExchangeParams{
		{KeyExchange: KeyExchangeECDHE_RSA, CurveType: CurveTypeNamedCurve, NamedGroup: GroupSecp256r1, PublicKey: point,
			HasSignature: true, HasSignatureAlgorithm: true, SignatureAlgorithm: 0x0401, Signature: []byte{9}},
		{KeyExchange: KeyExchangeDH_anon, DHP: []byte{0xff, 0xfb}, DHG: []byte{2}, PublicKey: []byte{7, 7}},
		{KeyExchange: KeyExchangeECDH_anon, CurveType: CurveTypeNamedCurve, NamedGroup: GroupX25519, PublicKey: point[:32]},
		{KeyExchange: KeyExchangePSK, HasPSKIdentityHint: true, PSKIdentityHint: []byte("hint")},
		{KeyExchange: KeyExchangeDHE_PSK, HasPSKIdentityHint: true, PSKIdentityHint: []byte{}, DHP: []byte{3}, DHG: []byte{2}, PublicKey: []byte{1}},
		{KeyExchange: KeyExchangeSRP_SHA_RSA, SRPN: []byte{1}, SRPG: []byte{2}, SRPSalt: []byte{3}, SRPB: []byte{4}, HasSignature: true, HasSignatureAlgorithm: true, Signature: []byte{5}},
	}
	for _, want := range cases {
		body := want.Marshal()
		got, err := ParseServerKeyExchange(body, want.KeyExchange, VersionTLS12)
		if err != nil {
			t.Errorf("%v: %v", want.KeyExchange, err)
			continue
		}
		got.Signed = nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v:\n got %+v\nwant %+v", want.KeyExchange, got, want)
		}
	}
	// TLS 1.0 signatures carry no algorithm.
	p := &ServerKeyExchangeParams{KeyExchange: KeyExchangeDHE_RSA, DHP: []byte{1}, DHG: []byte{2}, PublicKey: []byte{3}, HasSignature: true, Signature: []byte{4, 5}}
	got, err := ParseServerKeyExchange(p.Marshal(), KeyExchangeDHE_RSA, VersionTLS10)
	if err != nil || got.HasSignatureAlgorithm || !bytes.Equal(got.Signature, []byte{4, 5}) || !bytes.Equal(got.Signed, p.Marshal()[:9]) {
		t.Errorf("TLS 1.0 DHE: %+v %v", got, err)
	}
	if _, err := ParseServerKeyExchange([]byte{1, 0, 23}, KeyExchangeECDHE_RSA, VersionTLS12); dissect.KindOf(err) != dissect.Unsupported {
		t.Errorf("explicit curve: %v", err)
	}
	for _, c := range []*ClientKeyExchangeParams{
		{KeyExchange: KeyExchangeRSA, EncryptedPreMasterSecret: make([]byte, 128)},
		{KeyExchange: KeyExchangeECDHE_ECDSA, PublicKey: point},
		{KeyExchange: KeyExchangeDH_anon, PublicKey: []byte{1, 2}},
		{KeyExchange: KeyExchangePSK, HasPSKIdentity: true, PSKIdentity: []byte("anonymous")},
		{KeyExchange: KeyExchangeRSA_PSK, HasPSKIdentity: true, PSKIdentity: []byte("id"), EncryptedPreMasterSecret: []byte{1}},
		{KeyExchange: KeyExchangeECDHE_PSK, HasPSKIdentity: true, PSKIdentity: []byte("id"), PublicKey: point[:32]},
	} {
		for _, v := range []Version{VersionTLS12, VersionSSL30, VersionDTLS09} {
			got, err := ParseClientKeyExchange(c.Marshal(v), c.KeyExchange, v)
			if err != nil || !reflect.DeepEqual(got, c) {
				t.Errorf("%v %v:\n got %+v %v\nwant %+v", c.KeyExchange, v, got, err, c)
			}
		}
	}
	if n := len((&ClientKeyExchangeParams{KeyExchange: KeyExchangeRSA, EncryptedPreMasterSecret: make([]byte, 128)}).Marshal(VersionDTLS09)); n != 128 {
		t.Errorf("DTLS 0x0100 RSA premaster with a length prefix (%d bytes)", n)
	}
}

func TestSSLv2(t *testing.T) {
	ch := &ClientHello{SSLv2: true, Version: VersionTLS10, CipherSuites: []uint16{0x0039, 0x00ff},
		SSLv2CipherSpecs: []uint32{0x0700c0, 0x000039, 0x0000ff}, SSLv2Challenge: bytes.Repeat([]byte{0xcc}, 16)}
	rec := MarshalSSLv2Record(ch.Marshal(false))
	if !LooksLikeTLS(rec) {
		t.Errorf("SSLv2 ClientHello %x not recognised", rec)
	}
	r, n, err := ParseSSLv2Record(rec)
	if err != nil || n != len(rec) {
		t.Fatalf("record: %v", err)
	}
	back, err := ParseSSLv2ClientHello(r.Message)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.CipherSuites, ch.CipherSuites) || !reflect.DeepEqual(back.SSLv2CipherSpecs, ch.SSLv2CipherSpecs) ||
		!back.SecureRenegotiationSupported || !bytes.Equal(back.Random[16:], ch.SSLv2Challenge) || back.Random[15] != 0 {
		t.Errorf("SSLv2 ClientHello %+v", back)
	}
	if !bytes.Equal(back.Marshal(false), r.Message) {
		t.Error("SSLv2 ClientHello Marshal differs")
	}
	sh := &SSLv2ServerHelloMsg{CertificateType: 1, Version: VersionSSL20, Certificate: []byte{0x30, 0}, CipherSpecs: []uint32{0x010080}, ConnectionID: make([]byte, 16)}
	var shBack SSLv2ServerHelloMsg
	if err := shBack.Unmarshal(sh.Marshal()); err != nil {
		t.Fatal(err)
	}
	shBack.Raw = nil
	if !reflect.DeepEqual(&shBack, sh) {
		t.Errorf("SERVER-HELLO %+v", shBack)
	}
	// A padded record (3-byte header).
	padded := []byte{0x00, 0x05, 0x02, 'a', 'b', 'c', 0, 0}
	r, n, err = ParseSSLv2Record(padded)
	if err != nil || n != 8 || string(r.Message) != "abc" || len(r.Padding) != 2 {
		t.Errorf("padded record %+v %d %v", r, n, err)
	}
}

// The SSL 2.0 session of zeek/Traces/tls/ssl-v2.pcap and the SSLv2 hello
// of suricata-verify/sslv2-tls-upgrade-01, read from the captures.
func TestSSLv2Corpus(t *testing.T) {
	dir := corpusDir(t)
	a := analyzeCapture(t, dir+"/zeek/Traces/tls/ssl-v2.pcap")
	if len(a.Sessions) != 1 || !a.Sessions[0].SSLv2 {
		t.Fatalf("sessions %+v", a.Sessions)
	}
	s := a.Sessions[0]
	if s.ClientHello == nil || !s.ClientHello.SSLv2 || s.ClientHello.Version != VersionSSL20 || len(s.ClientHello.SSLv2CipherSpecs) == 0 {
		t.Errorf("CLIENT-HELLO %+v", s.ClientHello)
	}
	if s.ServerHello == nil || s.ServerHello.Version != VersionSSL20 || len(s.ServerCerts) != 1 {
		t.Fatalf("SERVER-HELLO %+v", s.ServerHello)
	}
	if sum := SummarizeCertificate(s.ServerCerts[0]); sum.Subject == "" || sum.ParseError != "" {
		t.Errorf("SSLv2 server certificate: %+v", sum)
	}
	a = analyzeCapture(t, dir+"/suricata-verify/sslv2-tls-upgrade-01/ssl-v2-s1.pcap")
	s = a.Sessions[0]
	if !s.SSLv2 || !s.ClientHello.SSLv2 || s.ServerHello.Version != VersionTLS10 {
		t.Errorf("upgrade: CLIENT-HELLO %+v, ServerHello %+v", s.ClientHello, s.ServerHello)
	}
}
