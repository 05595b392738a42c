package tlsdecrypt

// Connections built record by record with dissect/tls, for the paths no
// peer at hand takes on demand: TLS 1.3 KeyUpdate, HelloRetryRequest,
// early data and missing handshake secrets, lost records, and DTLS epochs
// with reordered and repeated records.

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/dissect/tls"
)

func filled(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }

// tls13Conn builds a TLS 1.3 connection and its key log.
type tls13Conn struct {
	c      conn
	keylog string
	cr     [32]byte
	cw, sw [3]*tls.RecordCipher // early, handshake, application
}

const suite13 = tls.TLS_AES_128_GCM_SHA256

func (b *tls13Conn) plain(dir Dir, typ tls.ContentType, frag []byte) {
	b.c.recs = append(b.c.recs, dirRecord{dir, tls.Record{Type: typ, Version: tls.VersionTLS12, Fragment: frag}})
}

func (b *tls13Conn) sealed(dir Dir, rc *tls.RecordCipher, typ tls.ContentType, p []byte) {
	f, err := rc.Seal(typ, 0, p, nil)
	if err != nil {
		panic(err)
	}
	b.plain(dir, tls.ContentApplicationData, f)
}

func newTLS13Conn(t testing.TB, hrr, early bool) *tls13Conn {
	b := &tls13Conn{}
	copy(b.cr[:], filled(0x13, 32))
	secret := map[string][]byte{
		"CLIENT_EARLY_TRAFFIC_SECRET": filled(1, 32), "CLIENT_HANDSHAKE_TRAFFIC_SECRET": filled(2, 32),
		"SERVER_HANDSHAKE_TRAFFIC_SECRET": filled(3, 32), "CLIENT_TRAFFIC_SECRET_0": filled(4, 32), "SERVER_TRAFFIC_SECRET_0": filled(5, 32),
	}
	var kl strings.Builder
	for _, l := range []string{"CLIENT_EARLY_TRAFFIC_SECRET", "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"} {
		fmt.Fprintf(&kl, "%s %x %x\n", l, b.cr, secret[l])
	}
	b.keylog = kl.String()
	mk := func(s []byte) *tls.RecordCipher {
		rc, err := tls.NewTLS13RecordCipher(suite13, s)
		if err != nil {
			t.Fatal(err)
		}
		return rc
	}
	b.cw = [3]*tls.RecordCipher{mk(secret["CLIENT_EARLY_TRAFFIC_SECRET"]), mk(secret["CLIENT_HANDSHAKE_TRAFFIC_SECRET"]), mk(secret["CLIENT_TRAFFIC_SECRET_0"])}
	b.sw = [3]*tls.RecordCipher{nil, mk(secret["SERVER_HANDSHAKE_TRAFFIC_SECRET"]), mk(secret["SERVER_TRAFFIC_SECRET_0"])}

	ch := &tls.ClientHello{Version: tls.VersionTLS12, Random: b.cr, SessionID: filled(9, 32), CipherSuites: []uint16{suite13},
		CompressionMethods: []uint8{0}, SupportedVersions: []tls.Version{tls.VersionTLS13}, EarlyData: early}
	b.plain(ClientToServer, tls.ContentHandshake, tls.MarshalHandshake(tls.HandshakeTypeClientHello, ch.Marshal(false)))
	if early {
		b.sealed(ClientToServer, b.cw[0], tls.ContentApplicationData, []byte("early "))
	}
	if hrr {
		r := tls.NewHelloRetryRequest()
		r.SessionID, r.CipherSuite, r.SupportedVersion, r.KeyShareGroup = ch.SessionID, suite13, tls.VersionTLS13, 23
		b.plain(ServerToClient, tls.ContentHandshake, tls.MarshalHandshake(tls.HandshakeTypeServerHello, r.Marshal()))
		b.plain(ClientToServer, tls.ContentChangeCipherSpec, []byte{1})
		b.plain(ClientToServer, tls.ContentHandshake, tls.MarshalHandshake(tls.HandshakeTypeClientHello, ch.Marshal(false)))
	}
	sh := &tls.ServerHello{Version: tls.VersionTLS12, Random: [32]byte(filled(0x53, 32)), SessionID: ch.SessionID,
		CipherSuite: suite13, SupportedVersion: tls.VersionTLS13, KeyShareGroup: 29, KeyShareData: filled(7, 32)}
	b.plain(ServerToClient, tls.ContentHandshake, tls.MarshalHandshake(tls.HandshakeTypeServerHello, sh.Marshal()))
	b.plain(ServerToClient, tls.ContentChangeCipherSpec, []byte{1})
	ee := tls.MarshalHandshake(tls.HandshakeTypeEncryptedExtensions, []byte{0, 0})
	fin := func() []byte { return tls.MarshalHandshake(tls.HandshakeTypeFinished, filled(0xf, 32)) }
	b.sealed(ServerToClient, b.sw[1], tls.ContentHandshake, append(ee, fin()...))
	if early {
		b.sealed(ClientToServer, b.cw[0], tls.ContentApplicationData, []byte("data"))
		b.sealed(ClientToServer, b.cw[0], tls.ContentHandshake, tls.MarshalHandshake(tls.HandshakeTypeEndOfEarlyData, nil))
	}
	b.plain(ClientToServer, tls.ContentChangeCipherSpec, []byte{1})
	b.sealed(ClientToServer, b.cw[1], tls.ContentHandshake, fin())
	nst := tls.NewSessionTicket{TLS13: true, LifetimeHint: 7200, Nonce: []byte{0}, Ticket: filled(0x77, 64)}
	b.sealed(ServerToClient, b.sw[2], tls.ContentHandshake, tls.MarshalHandshake(tls.HandshakeTypeNewSessionTicket, nst.Marshal()))
	b.sealed(ClientToServer, b.cw[2], tls.ContentApplicationData, []byte("hello "))
	// KeyUpdate: the client's next records use the next secret.
	b.sealed(ClientToServer, b.cw[2], tls.ContentHandshake, tls.MarshalHandshake(tls.HandshakeTypeKeyUpdate, []byte{0}))
	next, _ := tls.TLS13NextTrafficSecret(suite13, secret["CLIENT_TRAFFIC_SECRET_0"])
	b.cw[2] = mk(next)
	b.sealed(ClientToServer, b.cw[2], tls.ContentApplicationData, []byte("after update"))
	b.sealed(ServerToClient, b.sw[2], tls.ContentApplicationData, []byte("response"))
	b.sealed(ServerToClient, b.sw[2], tls.ContentAlert, []byte{1, 0})
	return b
}

func TestTLS13Stages(t *testing.T) {
	for _, tc := range []struct {
		name       string
		hrr, early bool
		wantClient string
	}{
		{"1-RTT", false, false, "hello after update"},
		{"HelloRetryRequest", true, false, "hello after update"},
		{"early data", false, true, "early datahello after update"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newTLS13Conn(t, tc.hrr, tc.early)
			d := New(Options{Keys: storeOf(t, b.keylog)})
			app, res := decryptAll(d, b.c)
			if errs := errorsOf(res); len(errs) > 0 {
				t.Fatal(errs[0])
			}
			if string(app[ClientToServer]) != tc.wantClient || string(app[ServerToClient]) != "response" {
				t.Fatalf("decrypted %q / %q", app[0], app[1])
			}
			if last := res[len(res)-1]; last.Type != tls.ContentAlert || !bytes.Equal(last.Plaintext, []byte{1, 0}) {
				t.Fatalf("close_notify: %+v", last)
			}
			if st := d.Status(); st.Version != tls.VersionTLS13 || st.KeySource != SourceKeyLogTLS13 {
				t.Fatalf("%+v", st)
			}
		})
	}
}

// TestTLS13ApplicationSecretsOnly: a key log with the application traffic
// secrets but not the handshake ones decrypts the data; the handshake
// records say which secret is missing.
func TestTLS13ApplicationSecretsOnly(t *testing.T) {
	b := newTLS13Conn(t, false, false)
	var kl strings.Builder
	for _, l := range strings.SplitAfter(b.keylog, "\n") {
		if strings.Contains(l, "TRAFFIC_SECRET_0") {
			kl.WriteString(l)
		}
	}
	app, res := decryptAll(New(Options{Keys: storeOf(t, kl.String())}), b.c)
	if string(app[ClientToServer]) != "hello after update" || string(app[ServerToClient]) != "response" {
		t.Fatalf("decrypted %q / %q", app[0], app[1])
	}
	errs := errorsOf(res)
	if len(errs) != 2 {
		t.Fatalf("%d errors: %v", len(errs), errs)
	}
	for _, err := range errs {
		var e *Error
		if !asError(err, &e) || e.Reason != NoKey || !strings.Contains(e.Detail, "_HANDSHAKE_TRAFFIC_SECRET") {
			t.Errorf("%v", err)
		}
	}
	// Secrets of SHA-384's length for a SHA-256 suite.
	bad := strings.ReplaceAll(b.keylog, fmt.Sprintf("%x", filled(5, 32)), fmt.Sprintf("%x", filled(5, 48)))
	_, res = decryptAll(New(Options{Keys: storeOf(t, bad)}), b.c)
	var e *Error
	if errs := errorsOf(res); len(errs) == 0 || !asError(errs[0], &e) || e.Reason != Unsupported {
		t.Fatalf("secret of the wrong length: %v", errs)
	}
}

// TestGapSkipsLostRecords: after records are lost (Gap), the next one is
// found at its sequence number, in TLS 1.3 and with TLS 1.2 GCM.
func TestGapSkipsLostRecords(t *testing.T) {
	// TLS 1.3: "hello " is lost; the KeyUpdate after it is found one
	// sequence number on, and the data under the next secret follows.
	b := newTLS13Conn(t, false, false)
	d := New(Options{Keys: storeOf(t, b.keylog)})
	var gotClient []byte
	var clientRecords int
	for _, r := range b.c.recs {
		if r.dir == ClientToServer && r.rec.Type == tls.ContentApplicationData {
			clientRecords++
			if clientRecords == 2 { // Finished is the first
				d.Gap(ClientToServer)
				continue
			}
		}
		x := d.Record(r.dir, r.rec)
		if x.Err != nil {
			t.Fatalf("TLS 1.3 after the gap: %v", x.Err)
		}
		if x.Type == tls.ContentApplicationData && r.dir == ClientToServer {
			gotClient = append(gotClient, x.Plaintext...)
		}
	}
	if string(gotClient) != "after update" {
		t.Fatalf("TLS 1.3 after the gap: %q", gotClient)
	}

	// TLS 1.2 GCM: two requests lost.
	r := newEngineRun(t, "gap", 0xc02f, true)
	for i := range 5 {
		r.exchange(fmt.Sprint("req", i), fmt.Sprint("resp", i))
	}
	d = New(Options{Keys: storeOf(t, r.keylog.String())})
	var client []string
	var appSeen int
	for _, x := range r.conn.recs {
		if x.dir == ClientToServer && x.rec.Type == tls.ContentApplicationData {
			appSeen++
			if appSeen == 2 || appSeen == 3 {
				d.Gap(ClientToServer)
				continue
			}
		}
		if res := d.Record(x.dir, x.rec); res.Err == nil && res.Type == tls.ContentApplicationData && x.dir == ClientToServer {
			client = append(client, string(res.Plaintext))
		}
	}
	if strings.Join(client, ",") != "req0,req3,req4" {
		t.Fatalf("after the gap: %q", client)
	}
}

// TestDTLSEpochs decrypts a DTLS 1.2 connection whose protected records
// come out of order and twice, and reports records of an epoch no
// ChangeCipherSpec opened.
func TestDTLSEpochs(t *testing.T) {
	const suite = 0xc02f
	var cr, sr [32]byte
	copy(cr[:], filled(0xd1, 32))
	copy(sr[:], filled(0xd2, 32))
	ms := filled(0x4d, 48)
	ks, _ := tls.NewKeySchedule(tls.VersionDTLS12, suite)
	spec, _ := tls.NewCipherSpec(suite, tls.VersionDTLS12)
	cw, sw, err := spec.NewCiphers(ks, ms, cr, sr)
	if err != nil {
		t.Fatal(err)
	}
	var c conn
	add := func(dir Dir, typ tls.ContentType, epoch uint16, seq uint64, frag []byte) {
		c.recs = append(c.recs, dirRecord{dir, tls.Record{Type: typ, Version: tls.VersionDTLS12, Epoch: epoch, Seq: seq, Fragment: frag}})
	}
	seal := func(dir Dir, typ tls.ContentType, seq uint64, p []byte) {
		w := cw
		if dir == ServerToClient {
			w = sw
		}
		w.SetSequence(1<<48 | seq)
		f, err := w.Seal(typ, tls.VersionDTLS12, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		add(dir, typ, 1, seq, f)
	}
	ch := &tls.ClientHello{Version: tls.VersionDTLS12, Random: cr, CipherSuites: []uint16{suite}, CompressionMethods: []uint8{0}}
	sh := &tls.ServerHello{Version: tls.VersionDTLS12, Random: sr, SessionID: filled(5, 32), CipherSuite: suite}
	add(ClientToServer, tls.ContentHandshake, 0, 0, tls.MarshalDTLSHandshake(tls.HandshakeTypeClientHello, 0, ch.Marshal(true)))
	add(ServerToClient, tls.ContentHandshake, 0, 0, tls.MarshalDTLSHandshake(tls.HandshakeTypeServerHello, 0, sh.Marshal()))
	add(ServerToClient, tls.ContentHandshake, 0, 1, tls.MarshalDTLSHandshake(tls.HandshakeTypeServerHelloDone, 1, nil))
	add(ClientToServer, tls.ContentHandshake, 0, 1, tls.MarshalDTLSHandshake(tls.HandshakeTypeClientKeyExchange, 1, append([]byte{65}, filled(4, 65)...)))
	add(ClientToServer, tls.ContentChangeCipherSpec, 0, 2, []byte{1})
	fin := tls.MarshalDTLSHandshake(tls.HandshakeTypeFinished, 2, filled(0xf, 12))
	seal(ClientToServer, tls.ContentHandshake, 0, fin)
	add(ServerToClient, tls.ContentChangeCipherSpec, 0, 2, []byte{1})
	seal(ServerToClient, tls.ContentHandshake, 0, tls.MarshalDTLSHandshake(tls.HandshakeTypeFinished, 2, filled(0xe, 12)))
	add(ClientToServer, tls.ContentChangeCipherSpec, 0, 2, []byte{1}) // retransmitted
	seal(ClientToServer, tls.ContentHandshake, 0, fin)                // retransmitted
	seal(ClientToServer, tls.ContentApplicationData, 2, []byte("second"))
	seal(ClientToServer, tls.ContentApplicationData, 1, []byte("first"))
	seal(ClientToServer, tls.ContentApplicationData, 1, []byte("first"))
	add(ClientToServer, tls.ContentApplicationData, 2, 0, filled(0, 40))

	keylog := fmt.Sprintf("CLIENT_RANDOM %x %x\n", cr, ms)
	app, res := decryptAll(New(Options{DTLS: true, Keys: storeOf(t, keylog)}), c)
	if string(app[ClientToServer]) != "secondfirstfirst" {
		t.Fatalf("decrypted %q", app[ClientToServer])
	}
	errs := errorsOf(res)
	var e *Error
	if len(errs) != 1 || !asError(errs[0], &e) || e.Reason != NoHandshake || !strings.Contains(e.Detail, "epoch 2") {
		t.Fatalf("errors %v", errs)
	}
}
