package tls

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

// fuzzSeeds are real bytes from the corpus: record streams, DTLS
// datagrams and handshake message bodies by type.
type fuzzSeeds struct {
	streams   [][]byte
	datagrams [][]byte
	bodies    map[HandshakeType][][]byte
	versions  map[HandshakeType][]Version
	suites    map[HandshakeType][]uint16
}

var (
	seedsOnce sync.Once
	seeds     fuzzSeeds
)

func corpusFuzzSeeds(f *testing.F) *fuzzSeeds {
	seedsOnce.Do(func() {
		seeds.bodies = map[HandshakeType][][]byte{}
		seeds.versions = map[HandshakeType][]Version{}
		seeds.suites = map[HandshakeType][]uint16{}
		dir := os.Getenv("SSCOPE_CORPUS")
		if dir == "" {
			dir = filepath.Join("..", "..", "..", "shared", "corpus")
		}
		if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
			return
		}
		for _, row := range readManifest(f, dir) {
			if !row.has("tls") && !row.has("dtls") {
				continue
			}
			path := filepath.Join(dir, row.File)
			pkts := openCapture(f, path)
			for _, c := range reassembleTCP(pkts) {
				for _, d := range [][]byte{c.Client.Data, c.Server.Data} {
					if len(d) > 0 {
						seeds.streams = append(seeds.streams, d[:min(len(d), 4096)])
					}
				}
			}
			for _, p := range pkts {
				if p.UDP != nil && len(p.Payload) > 0 && p.Payload[0] >= 20 && p.Payload[0] <= 63 {
					seeds.datagrams = append(seeds.datagrams, p.Payload)
				}
			}
			for _, s := range analyzeCapture(f, path).Sessions {
				for _, m := range s.Messages {
					seeds.bodies[m.Type] = append(seeds.bodies[m.Type], m.Body)
					seeds.versions[m.Type] = append(seeds.versions[m.Type], s.version())
					var suite uint16
					if s.ServerHello != nil {
						suite = s.ServerHello.CipherSuite
					}
					seeds.suites[m.Type] = append(seeds.suites[m.Type], suite)
				}
			}
		}
	})
	return &seeds
}

func FuzzParseRecord(f *testing.F) {
	s := corpusFuzzSeeds(f)
	for _, d := range s.streams {
		f.Add(d, false)
	}
	for _, d := range s.datagrams {
		f.Add(d, true)
	}
	f.Add(mustHex(f, "15 0303 0002 0228"), false)
	f.Add(append([]byte{0x3e}, bytes.Repeat([]byte{1}, 40)...), true)
	f.Fuzz(func(t *testing.T, data []byte, dtls bool) {
		for rest := data; len(rest) > 0; {
			rec, n, err := ParseRecord(rest, dtls)
			if err != nil {
				if n != 0 {
					t.Fatalf("error %v with n=%d", err, n)
				}
				return
			}
			if n <= 0 || n > len(rest) || len(rec.Fragment) != int(rec.Length) || len(rec.Header)+len(rec.Fragment) != n {
				t.Fatalf("n=%d len=%d record %+v", n, len(rest), rec)
			}
			if size, ok := RecordSize(rest, dtls); ok && size != n {
				t.Fatalf("RecordSize %d, ParseRecord %d", size, n)
			}
			if out := rec.Marshal(dtls); !bytes.Equal(out, rest[:n]) {
				t.Fatalf("Marshal %x, input %x", out, rest[:n])
			}
			rest = rest[n:]
		}
		LooksLikeTLS(data)
		LooksLikeDTLS(data)
		if rec, n, err := ParseSSLv2Record(data); err == nil && (n > len(data) || len(rec.Header)+len(rec.Message)+len(rec.Padding) != n) {
			t.Fatalf("SSLv2 record n=%d %+v", n, rec)
		}
	})
}

func FuzzHandshakeReassembler(f *testing.F) {
	s := corpusFuzzSeeds(f)
	for _, d := range s.streams {
		if rec, _, err := ParseRecord(d, false); err == nil && rec.Type == ContentHandshake {
			f.Add(rec.Fragment, false, uint8(200))
		}
	}
	for _, d := range s.datagrams {
		if rec, _, err := ParseRecord(d, true); err == nil && rec.Type == ContentHandshake {
			f.Add(rec.Fragment, true, uint8(0))
		}
	}
	stream, _ := testFlight(f)
	f.Add(stream, false, uint8(13))
	f.Fuzz(func(t *testing.T, data []byte, dtls bool, split uint8) {
		h := HandshakeReassembler{DTLS: dtls, Max: 4096}
		var msgs []HandshakeMsg
		failed := false
		chunk := int(split) + 1
		for i := 0; i < len(data); i += chunk {
			if err := h.Write(data[i:min(i+chunk, len(data))]); err != nil {
				failed = true
			}
			for {
				m, ok := h.Next()
				if !ok {
					break
				}
				msgs = append(msgs, m)
			}
		}
		h.Flush()
		for {
			m, ok := h.Next()
			if !ok {
				break
			}
			msgs = append(msgs, m)
		}
		hdr := HandshakeHeaderLen
		if dtls {
			hdr = DTLSHandshakeHeaderLen
		}
		var joined []byte
		for _, m := range msgs {
			if int(m.Length) != len(m.Body) || len(m.Raw) != hdr+len(m.Body) || m.Length > 4096 {
				t.Fatalf("message %s length %d body %d raw %d", m.Type, m.Length, len(m.Body), len(m.Raw))
			}
			joined = append(joined, m.Raw...)
		}
		if h.Pending() > 4*4096*maxDTLSPartials {
			t.Fatalf("%d bytes pending", h.Pending())
		}
		// A TLS stream made of whole messages comes back byte for byte.
		if !dtls && !failed && h.Pending() == 0 && !bytes.Equal(joined, data) {
			t.Fatalf("messages %x, stream %x", joined, data)
		}
	})
}

func FuzzClientHello(f *testing.F) {
	s := corpusFuzzSeeds(f)
	for i, b := range s.bodies[HandshakeTypeClientHello] {
		f.Add(b, s.versions[HandshakeTypeClientHello][i].IsDTLS())
	}
	f.Add(mustHex(f, rfc8448ClientHello)[4:], false)
	f.Fuzz(func(t *testing.T, body []byte, dtls bool) {
		var ch ClientHello
		err := ch.Unmarshal(body, dtls)
		view := viewClientHello(&ch)
		if err == nil {
			if out := ch.Marshal(dtls); !bytes.Equal(out, body) {
				t.Fatalf("Marshal %x, input %x", out, body)
			}
			if err := clientHelloFieldsRoundTrip(&ch, dtls); err != nil {
				t.Fatal(err)
			}
		}
		// A reused ClientHello reads the same.
		reused := ClientHello{CipherSuites: make([]uint16, 3, 8), ServerName: "old", ALPNProtocols: []string{"x", "y"}}
		reused.Unmarshal(mustHex(t, rfc8448ClientHello)[4:], false)
		err2 := reused.Unmarshal(body, dtls)
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(viewClientHello(&reused), view) {
			t.Fatalf("reused ClientHello differs:\n%+v\n%+v", viewClientHello(&reused), view)
		}
		ch.MaxVersion()
		if v2, err := ParseSSLv2ClientHello(body); err == nil {
			if out := v2.Marshal(false); !bytes.Equal(out, body) {
				t.Fatalf("SSLv2 Marshal %x, input %x", out, body)
			}
		}
	})
}

func FuzzServerHello(f *testing.F) {
	s := corpusFuzzSeeds(f)
	for _, b := range s.bodies[HandshakeTypeServerHello] {
		f.Add(b)
	}
	f.Add(mustHex(f, rfc8448ServerHello)[4:])
	f.Add(NewHelloRetryRequest().Marshal())
	f.Fuzz(func(t *testing.T, body []byte) {
		var sh ServerHello
		if err := sh.Unmarshal(body); err != nil {
			return
		}
		if out := sh.Marshal(); !bytes.Equal(out, body) {
			t.Fatalf("Marshal %x, input %x", out, body)
		}
		if err := serverHelloFieldsRoundTrip(&sh); err != nil {
			t.Fatal(err)
		}
		sh.NegotiatedVersion()
	})
}

func FuzzCertificate(f *testing.F) {
	s := corpusFuzzSeeds(f)
	for i, b := range s.bodies[HandshakeTypeCertificate] {
		f.Add(b, s.versions[HandshakeTypeCertificate][i].IsTLS13())
	}
	f.Fuzz(func(t *testing.T, body []byte, tls13 bool) {
		var c Certificate
		err := c.Unmarshal(body, tls13)
		for _, der := range c.Certificates {
			SummarizeCertificate(der)
		}
		if err == nil {
			if out := c.Marshal(); !bytes.Equal(out, body) {
				t.Fatalf("Marshal %x, input %x", out, body)
			}
		}
		// The body itself as a certificate exercises the tolerant walk.
		sum := SummarizeCertificate(body)
		if len(sum.SHA256) != 64 {
			t.Fatalf("fingerprint %q", sum.SHA256)
		}
	})
}

// FuzzOtherMessages drives every other message decoder: typ picks the
// message, version and kx select its layout.
func FuzzOtherMessages(f *testing.F) {
	s := corpusFuzzSeeds(f)
	for typ, bodies := range s.bodies {
		if typ == HandshakeTypeClientHello || typ == HandshakeTypeServerHello || typ == HandshakeTypeCertificate {
			continue
		}
		for i, b := range bodies {
			kx := uint8(0)
			if info, ok := CipherSuiteInfo(s.suites[typ][i]); ok {
				kx = uint8(info.KeyExchange)
			}
			f.Add(uint8(typ), b, uint16(s.versions[typ][i]), kx)
		}
	}
	f.Add(uint8(HandshakeTypeEncryptedExtensions), mustHex(f, rfc8448EncryptedExtensions)[4:], uint16(VersionTLS13), uint8(0))
	f.Add(uint8(255), []byte{2, 40}, uint16(0), uint8(0))
	f.Fuzz(func(t *testing.T, typ uint8, body []byte, version uint16, kx uint8) {
		v := Version(version)
		same := func(name string, err error, out []byte) {
			if err == nil && !bytes.Equal(out, body) {
				t.Fatalf("%s: Marshal %x, input %x", name, out, body)
			}
		}
		switch HandshakeType(typ) {
		case HandshakeTypeCertificateRequest:
			var m CertificateRequest
			err := m.Unmarshal(body, v)
			same("CertificateRequest", err, m.Marshal(v))
		case HandshakeTypeCertificateVerify:
			var m CertificateVerify
			err := m.Unmarshal(body, v)
			same("CertificateVerify", err, m.Marshal())
		case HandshakeTypeCertificateStatus:
			var m CertificateStatus
			err := m.Unmarshal(body)
			same("CertificateStatus", err, m.Marshal())
		case HandshakeTypeNewSessionTicket:
			var m NewSessionTicket
			err := m.Unmarshal(body, v.IsTLS13())
			same("NewSessionTicket", err, m.Marshal())
		case HandshakeTypeHelloVerifyRequest:
			var m HelloVerifyRequest
			err := m.Unmarshal(body)
			same("HelloVerifyRequest", err, m.Marshal())
		case HandshakeTypeEncryptedExtensions:
			var m EncryptedExtensions
			err := m.Unmarshal(body)
			same("EncryptedExtensions", err, m.Marshal())
		case HandshakeTypeKeyUpdate:
			var m KeyUpdate
			err := m.Unmarshal(body)
			same("KeyUpdate", err, m.Marshal())
		case HandshakeTypeServerKeyExchange:
			p, err := ParseServerKeyExchange(body, KeyExchange(kx), v)
			if p == nil {
				t.Fatal("nil params")
			}
			if err == nil {
				same("ServerKeyExchange", err, p.Marshal())
			}
		case HandshakeTypeClientKeyExchange:
			p, err := ParseClientKeyExchange(body, KeyExchange(kx), v)
			if p == nil {
				t.Fatal("nil params")
			}
			if err == nil {
				same("ClientKeyExchange", err, p.Marshal(v))
			}
		case HandshakeTypeServerHelloDone, HandshakeTypeHelloRequest, HandshakeTypeEndOfEarlyData:
			ServerHelloDone{}.Unmarshal(body)
		default:
			var m SSLv2ServerHelloMsg
			err := m.Unmarshal(body)
			same("SSLv2ServerHelloMsg", err, m.Marshal())
			if a, ok := ParseAlert(body); ok && !bytes.Equal(a.Marshal(), body) {
				t.Fatalf("alert %x", body)
			}
			for _, dtls := range []bool{false, true} {
				if m, n, err := ParseHandshakeFragment(body, dtls); err == nil && (n > len(body) || len(m.Raw) != n) {
					t.Fatalf("fragment n=%d %+v", n, m)
				}
			}
		}
	})
}
