package handshake

import (
	"testing"

	"github.com/sessionscope/sscope/correlate/report"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// renegotiationMessages is a full renegotiation as a decrypter hands it
// over: HelloRequest, ClientHello, the server's flight asking for a client
// certificate, the client's empty Certificate, key exchange, CCS,
// Finished, then the server's CCS and Finished. Each entry is one record.
func renegotiationMessages() []struct {
	dir  Dir
	typ  tlsd.ContentType
	body []byte
} {
	ch := &tlsd.ClientHello{Version: tlsd.VersionTLS12, CipherSuites: []uint16{0xc02f}, CompressionMethods: []uint8{0}, Random: [32]byte{7}}
	sh := &tlsd.ServerHello{Version: tlsd.VersionTLS12, SessionID: make([]byte, 32), CipherSuite: 0xc02f, Random: [32]byte{8}}
	cert := (&tlsd.Certificate{}).Marshal()
	hs := func(t tlsd.HandshakeType, body []byte) []byte { return tlsd.MarshalHandshake(t, body) }
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	return []struct {
		dir  Dir
		typ  tlsd.ContentType
		body []byte
	}{
		{ServerToClient, tlsd.ContentHandshake, hs(tlsd.HandshakeTypeHelloRequest, nil)},
		{ClientToServer, tlsd.ContentHandshake, hs(tlsd.HandshakeTypeClientHello, ch.Marshal(false))},
		{ServerToClient, tlsd.ContentHandshake, cat(hs(tlsd.HandshakeTypeServerHello, sh.Marshal()), hs(tlsd.HandshakeTypeCertificateRequest, []byte{1, 1, 0, 0, 0, 0}), hs(tlsd.HandshakeTypeServerHelloDone, nil))},
		{ClientToServer, tlsd.ContentHandshake, cat(hs(tlsd.HandshakeTypeCertificate, cert), hs(tlsd.HandshakeTypeClientKeyExchange, make([]byte, 66)))},
		{ClientToServer, tlsd.ContentChangeCipherSpec, []byte{1}},
		{ClientToServer, tlsd.ContentHandshake, hs(tlsd.HandshakeTypeFinished, make([]byte, 12))},
		{ServerToClient, tlsd.ContentChangeCipherSpec, []byte{1}},
		{ServerToClient, tlsd.ContentHandshake, hs(tlsd.HandshakeTypeFinished, make([]byte, 12))},
	}
}

// TestDecryptedRenegotiation: the decrypted messages of a renegotiation
// are judged as in clear: a full handshake whose client sent an empty
// certificate, with its hellos, and no handshake of its own for the
// HelloRequest.
func TestDecryptedRenegotiation(t *testing.T) {
	o := New(Options{})
	var frame uint64
	establish(t, o, &frame)
	for _, m := range renegotiationMessages() {
		frame++
		o.Decrypted(m.dir, m.typ, m.body, Ref{Frame: frame})
	}
	o.Close(false, Ref{Frame: frame})
	hs := o.Handshakes()
	if len(hs) != 2 {
		t.Fatalf("%d handshakes, want 2", len(hs))
	}
	v := hs[1].Verdict()
	if !v.Renegotiation || v.Kind != report.HandshakeFull || v.ClientCertificate != report.ClientCertEmpty ||
		v.CipherSuite == nil || v.ClientRandom == "" || v.Version != "TLS 1.2" {
		t.Errorf("renegotiation verdict %+v", v)
	}
	if o.Current() != hs[1] || hs[1].ClientHello.Random != [32]byte{7} {
		t.Error("Current is not the renegotiation")
	}
}

// FuzzDecrypted hands arbitrary decrypted records to an established
// connection's observer: no panic, and every handshake has a verdict with
// a kind of the closed list.
func FuzzDecrypted(f *testing.F) {
	var seed []byte
	for _, m := range renegotiationMessages() {
		seed = append(seed, byte(m.dir), byte(m.typ), byte(len(m.body)>>8), byte(len(m.body)))
		seed = append(seed, m.body...)
	}
	f.Add(seed)
	f.Add([]byte{1, 21, 0, 2, 2, 40})
	f.Fuzz(func(t *testing.T, data []byte) {
		o := New(Options{})
		var frame uint64
		establish(t, o, &frame)
		for len(data) >= 4 {
			dir, typ, n := Dir(data[0]&1), tlsd.ContentType(data[1]), int(data[2])<<8|int(data[3])
			data = data[4:]
			if n > len(data) {
				n = len(data)
			}
			frame++
			o.Decrypted(dir, typ, data[:n], Ref{Frame: frame})
			data = data[n:]
		}
		o.Close(true, Ref{Frame: frame})
		for _, h := range o.Handshakes() {
			switch v := h.Verdict(); v.Kind {
			case report.HandshakeFull, report.HandshakeAbbreviated, report.HandshakeFailed, report.HandshakeIncomplete:
			default:
				t.Fatalf("kind %q", v.Kind)
			}
		}
	})
}
