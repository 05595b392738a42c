package handshake

import (
	"testing"

	"github.com/sessionscope/sscope/correlate/report"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// rec builds one TLS 1.2 record.
func rec(t tlsd.ContentType, frag []byte) []byte {
	return tlsd.Record{Type: t, Version: tlsd.VersionTLS12, Fragment: frag}.Marshal(false)
}

func hsRec(msgs ...[]byte) []byte {
	var body []byte
	for _, m := range msgs {
		body = append(body, m...)
	}
	return rec(tlsd.ContentHandshake, body)
}

// encrypted is an opaque handshake record under established keys.
func encrypted() []byte { return rec(tlsd.ContentHandshake, make([]byte, 40)) }

func ccs() []byte { return rec(tlsd.ContentChangeCipherSpec, []byte{1}) }

// establish runs a plaintext full TLS 1.2 handshake through o.
func establish(t *testing.T, o *Observer, frame *uint64) {
	t.Helper()
	ch := &tlsd.ClientHello{Version: tlsd.VersionTLS12, CipherSuites: []uint16{0xc02f}, CompressionMethods: []uint8{0}}
	sh := &tlsd.ServerHello{Version: tlsd.VersionTLS12, SessionID: make([]byte, 32), CipherSuite: 0xc02f}
	steps := []struct {
		dir  Dir
		data []byte
	}{
		{ClientToServer, hsRec(tlsd.MarshalHandshake(tlsd.HandshakeTypeClientHello, ch.Marshal(false)))},
		{ServerToClient, hsRec(tlsd.MarshalHandshake(tlsd.HandshakeTypeServerHello, sh.Marshal()), tlsd.MarshalHandshake(tlsd.HandshakeTypeServerHelloDone, nil))},
		{ClientToServer, append(append(hsRec(tlsd.MarshalHandshake(tlsd.HandshakeTypeClientKeyExchange, make([]byte, 66))), ccs()...), encrypted()...)},
		{ServerToClient, append(ccs(), encrypted()...)},
	}
	for _, s := range steps {
		*frame++
		at := Ref{Frame: *frame}
		o.Feed(s.dir, s.data, func(int) Ref { return at })
	}
	if !o.Established() {
		t.Fatal("handshake not established")
	}
}

// TestEncryptedRenegotiation follows renegotiations that run under the
// established keys (as inside an EAP-FAST or PEAP tunnel): only record
// types and their order show, and they still tell full from abbreviated.
func TestEncryptedRenegotiation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []Dir // each an encrypted handshake record, or (negative) CCS
		ccsAt map[int]bool
		want  string
	}{
		// Client: ClientHello; server: ServerHello..ServerHelloDone;
		// client: Certificate/ClientKeyExchange, CCS, Finished; server:
		// CCS, Finished.
		{"full", []Dir{ClientToServer, ServerToClient, ClientToServer, ClientToServer, ClientToServer, ServerToClient, ServerToClient},
			map[int]bool{3: true, 5: true}, report.HandshakeFull},
		// Client: ClientHello; server: ServerHello, CCS, Finished;
		// client: CCS, Finished.
		{"abbreviated", []Dir{ClientToServer, ServerToClient, ServerToClient, ServerToClient, ClientToServer, ClientToServer},
			map[int]bool{2: true, 4: true}, report.HandshakeAbbreviated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := New(Options{})
			var frame uint64
			establish(t, o, &frame)
			for i, dir := range tc.steps {
				frame++
				at := Ref{Frame: frame}
				data := encrypted()
				if tc.ccsAt[i] {
					data = ccs()
				}
				o.Feed(dir, data, func(int) Ref { return at })
			}
			o.Close(false, Ref{Frame: frame})
			hs := o.Handshakes()
			if len(hs) != 2 {
				t.Fatalf("%d handshakes, want 2", len(hs))
			}
			v := hs[1].Verdict()
			if !v.Renegotiation || v.Kind != tc.want || v.ClientCertificate != report.ClientCertUnknown {
				t.Errorf("renegotiation %v kind %s client certificate %s, want renegotiation %s", v.Renegotiation, v.Kind, v.ClientCertificate, tc.want)
			}
			if first := hs[0].Verdict(); first.Renegotiation || first.Kind != report.HandshakeFull {
				t.Errorf("first handshake: %+v", first)
			}
		})
	}
}

// TestGapInsideApplicationData: bytes lost inside an application-data
// record do not cost the record boundaries.
func TestGapInsideApplicationData(t *testing.T) {
	o := New(Options{})
	var frame uint64
	establish(t, o, &frame)
	app := rec(tlsd.ContentApplicationData, make([]byte, 1000))
	at := Ref{Frame: 10}
	o.Feed(ClientToServer, app[:100], func(int) Ref { return at })
	o.Gap(ClientToServer, 500, at)
	o.Feed(ClientToServer, app[600:], func(int) Ref { return at })
	o.Feed(ClientToServer, rec(tlsd.ContentAlert, make([]byte, 26)), func(int) Ref { return at })
	if b, n := o.AppData(ClientToServer); n != 1 || b != 1000 {
		t.Errorf("application data %d bytes in %d records", b, n)
	}
	if o.CloseAlert() == nil || !o.CloseAlert().Encrypted {
		t.Error("the alert after the gap was not found: record boundaries lost")
	}
	// A gap longer than the rest of the record loses the boundaries.
	o.Feed(ClientToServer, app[:100], func(int) Ref { return at })
	o.Gap(ClientToServer, 5000, at)
	if o.dirs[ClientToServer].dead != true {
		t.Error("a gap past the record's end should stop the direction")
	}
}
