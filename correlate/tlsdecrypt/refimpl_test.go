package tlsdecrypt

// The reference implementation's TLS engine as both ends, for what
// crypto/tls cannot play: a server that renegotiates inside the
// connection, RSA key exchange without the extended master secret, and
// anonymous Diffie-Hellman.

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// engineRun is a recorded exchange between two tlsengine ends.
type engineRun struct {
	t       *testing.T
	c, s    *tlsengine.Conn
	streams [2]recordStream
	conn    conn
	keylog  strings.Builder
	sent    [2][]byte
}

func newEngineRun(t *testing.T, seed string, suite uint16, ems bool) *engineRun {
	r := &engineRun{t: t}
	now := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	kl := func(cr, ms []byte) { fmt.Fprintf(&r.keylog, "CLIENT_RANDOM %x %x\n", cr, ms) }
	r.c = tlsengine.Client(&tlsengine.Config{Rand: detrand.New("client " + seed), Time: now, CipherSuites: []uint16{suite},
		SecureRenegotiation: true, ExtendedMasterSecret: ems, KeyLog: kl})
	r.s = tlsengine.Server(&tlsengine.Config{Rand: detrand.New("server " + seed), Time: now, CipherSuites: []uint16{suite},
		SecureRenegotiation: true, ExtendedMasterSecret: ems, Certificate: pki.Server()})
	out, err := r.c.Start()
	if err != nil {
		t.Fatal(err)
	}
	r.pump(out, nil)
	if !r.c.HandshakeComplete() || !r.s.HandshakeComplete() {
		t.Fatalf("handshake: %v %v", r.c.Failed(), r.s.Failed())
	}
	return r
}

func (r *engineRun) record(dir Dir, b []byte) {
	for _, rec := range r.streams[dir].add(b) {
		r.conn.recs = append(r.conn.recs, dirRecord{dir, rec})
	}
}

// pump carries bytes both ways until both ends are quiet.
func (r *engineRun) pump(toServer, toClient []byte) {
	for range 64 {
		if len(toServer) == 0 && len(toClient) == 0 {
			return
		}
		if len(toServer) > 0 {
			r.record(ClientToServer, toServer)
			out, _ := r.s.Feed(toServer)
			toServer, toClient = nil, append(toClient, out...)
		}
		if len(toClient) > 0 {
			r.record(ServerToClient, toClient)
			out, _ := r.c.Feed(toClient)
			toClient, toServer = nil, append(toServer, out...)
		}
	}
	r.t.Fatal("the ends do not quiet down")
}

func (r *engineRun) exchange(req, resp string) {
	r.sent[ClientToServer] = append(r.sent[ClientToServer], req...)
	r.sent[ServerToClient] = append(r.sent[ServerToClient], resp...)
	r.pump(r.c.WriteApplicationData([]byte(req)), nil)
	r.pump(nil, r.s.WriteApplicationData([]byte(resp)))
}

// TestRenegotiation: a server asks for a new handshake inside the
// connection. The renegotiation's messages come out decrypted (HelloRequest,
// ClientHello, ... under the first keys), the records after the second
// ChangeCipherSpecs decrypt with the second handshake's keys, and without
// them the error names the second client random.
func TestRenegotiation(t *testing.T) {
	r := newEngineRun(t, "reneg", tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true)
	r.exchange("before", "first keys")
	out, err := r.s.Renegotiate()
	if err != nil {
		t.Fatal(err)
	}
	r.pump(nil, out)
	if hs := r.c.Handshakes(); len(hs) != 2 || !hs[1].Complete() || !hs[1].Renegotiation {
		t.Fatalf("renegotiation did not complete: %+v", hs)
	}
	r.exchange("after", "second keys")
	lines := strings.Split(strings.TrimSpace(r.keylog.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("key log %q", r.keylog.String())
	}

	d := New(Options{Keys: storeOf(t, r.keylog.String())})
	app, res := decryptAll(d, r.conn)
	if errs := errorsOf(res); len(errs) > 0 {
		t.Fatalf("%v", errs[0])
	}
	if !bytes.Equal(app[0], r.sent[0]) || !bytes.Equal(app[1], r.sent[1]) {
		t.Fatalf("decrypted %q / %q", app[0], app[1])
	}
	// The encrypted handshake: HelloRequest from the server, then a
	// ClientHello whose random is the second key log line's.
	var sawHelloRequest bool
	var renegRandom string
	for i, x := range res {
		if !x.Protected || x.Type != tls.ContentHandshake || len(x.Plaintext) < 4 {
			continue
		}
		switch tls.HandshakeType(x.Plaintext[0]) {
		case tls.HandshakeTypeHelloRequest:
			sawHelloRequest = r.conn.recs[i].dir == ServerToClient
		case tls.HandshakeTypeClientHello:
			var ch tls.ClientHello
			if err := ch.Unmarshal(x.Plaintext[4:], false); err != nil {
				t.Fatal(err)
			}
			renegRandom = hex.EncodeToString(ch.Random[:])
		}
	}
	if !sawHelloRequest || !strings.Contains(lines[1], renegRandom) || renegRandom == "" {
		t.Fatalf("renegotiation messages not decrypted (HelloRequest %v, ClientHello %q)", sawHelloRequest, renegRandom)
	}

	// With the first line only, everything up to the second
	// ChangeCipherSpecs decrypts; what follows has no key.
	_, res = decryptAll(New(Options{Keys: storeOf(t, lines[0]+"\n")}), r.conn)
	var failed, handshakeOK int
	for _, x := range res {
		var e *Error
		switch {
		case x.Err == nil && x.Protected && x.Type == tls.ContentHandshake:
			handshakeOK++
		case asError(x.Err, &e):
			if e.Reason != NoKey || hex.EncodeToString(e.ClientRandom) != renegRandom {
				t.Fatalf("after renegotiation: %v", x.Err)
			}
			failed++
		}
	}
	// Failed: both Finished, "after", "second keys".
	if failed != 4 || handshakeOK < 4 {
		t.Fatalf("%d records without key, %d renegotiation handshake records decrypted", failed, handshakeOK)
	}
}

// TestRSAKeyExchangeEngine decrypts TLS_RSA_WITH_AES_128_CBC_SHA
// with the server's private key, with and without RFC 7627.
func TestRSAKeyExchangeEngine(t *testing.T) {
	for _, ems := range []bool{false, true} {
		r := newEngineRun(t, fmt.Sprint("rsa ", ems), tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA, ems)
		r.exchange("user=alice", "welcome")
		s := keys.NewStore()
		if err := s.AddRSAKey(pki.Server().Key); err != nil {
			t.Fatal(err)
		}
		d := New(Options{Keys: s})
		app, res := decryptAll(d, r.conn)
		if errs := errorsOf(res); len(errs) > 0 || string(app[0]) != "user=alice" || string(app[1]) != "welcome" {
			t.Fatalf("EMS %v: %q %q %v", ems, app[0], app[1], errs)
		}
		if d.Status().KeySource != SourceRSAKey {
			t.Errorf("EMS %v: %+v", ems, d.Status())
		}
	}
}

// TestAnonymousAndDHE: the other key exchanges of the engine, with its
// key log.
func TestAnonymousAndDHE(t *testing.T) {
	for _, suite := range []uint16{tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA, tlsengine.TLS_DHE_RSA_WITH_AES_128_CBC_SHA} {
		r := newEngineRun(t, "dh", suite, false)
		r.exchange("ping", "pong")
		app, res := decryptAll(New(Options{Keys: storeOf(t, r.keylog.String())}), r.conn)
		if errs := errorsOf(res); len(errs) > 0 || string(app[0]) != "ping" || string(app[1]) != "pong" {
			t.Fatalf("%s: %q %q %v", tls.CipherSuiteName(suite), app[0], app[1], errs)
		}
	}
}

// TestMasterSecretFuncPAC: an EAP-FAST tunnel built from a PAC (the
// PAC-Opaque in the ClientHello's SessionTicket extension, no key
// exchange) decrypts with the master secret the caller derives from the
// PAC-Key; no key log is involved.
func TestMasterSecretFuncPAC(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	opaque, pacKey := filled(0x0a, 48), filled(0x9c, 32)
	suite := tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA
	r := &engineRun{t: t}
	r.c = tlsengine.Client(&tlsengine.Config{Rand: detrand.New("pac client"), Time: now, CipherSuites: []uint16{suite},
		PACOpaque: opaque, PACKey: pacKey})
	r.s = tlsengine.Server(&tlsengine.Config{Rand: detrand.New("pac server"), Time: now, CipherSuites: []uint16{suite},
		PACResolver: func(o []byte) ([]byte, bool) { return pacKey, bytes.Equal(o, opaque) }})
	out, err := r.c.Start()
	if err != nil {
		t.Fatal(err)
	}
	r.pump(out, nil)
	if hs := r.c.Current(); hs == nil || hs.Kind != tlsengine.KindAbbreviated {
		t.Fatalf("no PAC-based tunnel: %+v", hs)
	}
	r.exchange("inner request", "inner response")
	var asked int
	hook := func(h *Hello) []byte {
		asked++
		if !h.Resumed || !bytes.Equal(h.SessionTicket, opaque) {
			return nil
		}
		return eapfast.MasterSecretFromPACKey(pacKey, h.ServerRandom, h.ClientRandom)
	}
	d := New(Options{MasterSecret: hook})
	app, res := decryptAll(d, r.conn)
	if errs := errorsOf(res); len(errs) > 0 || string(app[0]) != "inner request" || string(app[1]) != "inner response" {
		t.Fatalf("%q %q %v", app[0], app[1], errs)
	}
	if asked != 1 || d.Status().KeySource != SourceCaller {
		t.Fatalf("hook asked %d times, %+v", asked, d.Status())
	}
	// Another PAC-Key: the MAC check says so.
	_, res = decryptAll(New(Options{MasterSecret: func(h *Hello) []byte {
		return eapfast.MasterSecretFromPACKey(filled(1, 32), h.ServerRandom, h.ClientRandom)
	}}), r.conn)
	var e *Error
	if errs := errorsOf(res); len(errs) == 0 || !asError(errs[0], &e) || e.Reason != BadMAC || e.KeySource != SourceCaller {
		t.Fatalf("wrong PAC-Key: %v", errs)
	}
}
