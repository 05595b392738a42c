//go:debug tls3des=1

package tls

// The TLS 1.0-1.2 key schedule and record protection against Go's
// crypto/tls: the master secret comes from its key log, the exporter
// (RFC 5705) checks the PRF, the Finished messages check the transcript
// hash and verify_data, and the records decrypt to what was written.

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	stdtls "crypto/tls"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
)

var (
	rsaServerOnce sync.Once
	rsaServerCert testCert
)

// rsaServer is one RSA server certificate for every test of the file.
func rsaServer(t *testing.T) testCert {
	rsaServerOnce.Do(func() { rsaServerCert = makeCert(t, "rsa.example", true, nil) })
	return rsaServerCert
}

// keyLogMaster returns the client random and master secret of the only
// CLIENT_RANDOM line of a crypto/tls key log.
func keyLogMaster(t *testing.T, log string) (cr [32]byte, ms []byte) {
	t.Helper()
	var found int
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[0] != "CLIENT_RANDOM" {
			continue
		}
		found++
		b, err := hex.DecodeString(f[1])
		if err != nil || len(b) != 32 {
			t.Fatalf("key log client random %q", f[1])
		}
		copy(cr[:], b)
		if ms, err = hex.DecodeString(f[2]); err != nil {
			t.Fatalf("key log secret %q", f[2])
		}
	}
	if found != 1 {
		t.Fatalf("%d CLIENT_RANDOM lines in %q", found, log)
	}
	return cr, ms
}

// directionRecords splits one direction's bytes into records.
func directionRecords(t *testing.T, b []byte) []Record {
	t.Helper()
	var out []Record
	for len(b) > 0 {
		rec, n, err := ParseRecord(b, false)
		if err != nil {
			t.Fatalf("record: %v", err)
		}
		out = append(out, rec)
		b = b[n:]
	}
	return out
}

// sideView is what one direction of a TLS 1.0-1.2 connection holds: its
// plaintext handshake messages before ChangeCipherSpec, and the protected
// records after it.
type sideView struct {
	plain     []HandshakeMsg
	protected []Record
}

func splitSide(t *testing.T, b []byte) sideView {
	t.Helper()
	var v sideView
	var r HandshakeReassembler
	ccs := false
	for _, rec := range directionRecords(t, b) {
		switch {
		case ccs:
			v.protected = append(v.protected, rec)
		case rec.Type == ContentChangeCipherSpec:
			ccs = true
		case rec.Type == ContentHandshake:
			if err := r.Write(rec.Fragment); err != nil {
				t.Fatal(err)
			}
			for m, ok := r.Next(); ok; m, ok = r.Next() {
				v.plain = append(v.plain, m)
			}
		}
	}
	return v
}

func TestKeyScheduleAgainstCryptoTLS(t *testing.T) {
	cert := rsaServer(t)
	tests := []struct {
		version uint16
		suite   uint16
	}{
		{stdtls.VersionTLS10, stdtls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA},
		{stdtls.VersionTLS10, stdtls.TLS_RSA_WITH_3DES_EDE_CBC_SHA},
		{stdtls.VersionTLS10, stdtls.TLS_ECDHE_RSA_WITH_RC4_128_SHA},
		{stdtls.VersionTLS11, stdtls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA},
		{stdtls.VersionTLS12, stdtls.TLS_RSA_WITH_AES_128_CBC_SHA},
		{stdtls.VersionTLS12, stdtls.TLS_RSA_WITH_AES_128_CBC_SHA256},
		{stdtls.VersionTLS12, stdtls.TLS_RSA_WITH_AES_256_GCM_SHA384},
		{stdtls.VersionTLS12, stdtls.TLS_RSA_WITH_RC4_128_SHA},
		{stdtls.VersionTLS12, stdtls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},
		{stdtls.VersionTLS12, stdtls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384},
		{stdtls.VersionTLS12, stdtls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256},
		{stdtls.VersionTLS12, stdtls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA},
	}
	for _, tc := range tests {
		t.Run(Version(tc.version).String()+" "+CipherSuiteName(tc.suite), func(t *testing.T) {
			var log bytes.Buffer
			client := &stdtls.Config{InsecureSkipVerify: true, MinVersion: tc.version, MaxVersion: tc.version,
				CipherSuites: []uint16{tc.suite}, KeyLogWriter: &log, SessionTicketsDisabled: true}
			server := &stdtls.Config{Certificates: []stdtls.Certificate{cert.cert}, MinVersion: tc.version, MaxVersion: tc.version,
				CipherSuites: []uint16{tc.suite}, SessionTicketsDisabled: true}
			cb, sb, st := runHandshake(t, client, server)
			if st.CipherSuite != tc.suite || st.Version != tc.version {
				t.Fatalf("negotiated %s %s", Version(st.Version), CipherSuiteName(st.CipherSuite))
			}
			cr, ms := keyLogMaster(t, log.String())
			cv, sv := splitSide(t, cb), splitSide(t, sb)
			var ch ClientHello
			var sh ServerHello
			if len(cv.plain) < 2 || cv.plain[0].Type != HandshakeTypeClientHello || ch.Unmarshal(cv.plain[0].Body, false) != nil {
				t.Fatal("no ClientHello")
			}
			if len(sv.plain) < 2 || sv.plain[0].Type != HandshakeTypeServerHello || sh.Unmarshal(sv.plain[0].Body) != nil {
				t.Fatal("no ServerHello")
			}
			if ch.Random != cr {
				t.Fatal("key log client random is not the ClientHello's")
			}
			ks, err := NewKeySchedule(Version(tc.version), tc.suite)
			if err != nil {
				t.Fatal(err)
			}

			// The PRF: crypto/tls's exporter is PRF(ms, label, cr || sr).
			ekm, err := st.ExportKeyingMaterial("EXPORTER-sscope", nil, 77)
			if err != nil {
				t.Fatal(err)
			}
			if got := ks.PRF(ms, "EXPORTER-sscope", append(cr[:], sh.Random[:]...), 77); !bytes.Equal(got, ekm) {
				t.Fatalf("PRF %x, exporter %x", got, ekm)
			}

			// Transcript up to the ClientKeyExchange: the session hash
			// of the extended master secret crypto/tls negotiates.
			var transcript []byte
			transcript = append(transcript, cv.plain[0].Raw...)
			for _, m := range sv.plain {
				transcript = append(transcript, m.Raw...)
			}
			cke := cv.plain[len(cv.plain)-1]
			if cke.Type != HandshakeTypeClientKeyExchange {
				t.Fatalf("last client message %s", cke.Type)
			}
			transcript = append(transcript, cke.Raw...)
			if !sh.ExtendedMasterSecret {
				t.Fatal("crypto/tls did not negotiate extended_master_secret")
			}
			info, _ := CipherSuiteInfo(tc.suite)
			if info.KeyExchange == KeyExchangeRSA {
				p, err := ParseClientKeyExchange(cke.Body, KeyExchangeRSA, Version(tc.version))
				if err != nil {
					t.Fatal(err)
				}
				pms, ok := RSADecryptPreMaster(cert.cert.PrivateKey.(*rsa.PrivateKey), p.EncryptedPreMasterSecret)
				if !ok || len(pms) != PreMasterSecretLen {
					t.Fatalf("premaster %x %v", pms, ok)
				}
				if got := ks.ExtendedMasterSecret(pms, ks.TranscriptHash(transcript)); !bytes.Equal(got, ms) {
					t.Fatalf("extended master secret %x, key log %x", got, ms)
				}
			}

			spec, err := NewCipherSpec(tc.suite, Version(tc.version))
			if err != nil {
				t.Fatal(err)
			}
			cw, sw, err := spec.NewCiphers(ks, ms, cr, sh.Random)
			if err != nil {
				t.Fatal(err)
			}
			// Client: Finished, then "hello".
			clientFin := openAll(t, cw, cv.protected)
			checkFinished(t, clientFin[0], ks.FinishedVerifyData(ms, true, ks.TranscriptHash(transcript)))
			transcript = append(transcript, clientFin[0]...)
			if string(bytes.Join(clientFin[1:], nil)) != "hello" {
				t.Errorf("client application data %q", clientFin[1:])
			}
			// Server: Finished over the transcript with the client's
			// Finished, then the echo.
			serverFin := openAll(t, sw, sv.protected)
			checkFinished(t, serverFin[0], ks.FinishedVerifyData(ms, false, ks.TranscriptHash(transcript)))
			if string(bytes.Join(serverFin[1:], nil)) != "hello" {
				t.Errorf("server application data %q", serverFin[1:])
			}
		})
	}
}

// openAll opens every record in order and returns the plaintexts.
func openAll(t *testing.T, rc *RecordCipher, recs []Record) [][]byte {
	t.Helper()
	var out [][]byte
	for i, rec := range recs {
		typ, p, err := rc.Open(rec.Type, rec.Version, rec.Fragment)
		if err != nil || typ != rec.Type {
			t.Fatalf("record %d (%s): %v", i, rec.Type, err)
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		t.Fatal("no protected record")
	}
	return out
}

func checkFinished(t *testing.T, msg, want []byte) {
	t.Helper()
	if !bytes.Equal(msg, MarshalHandshake(HandshakeTypeFinished, want)) {
		t.Fatalf("Finished %x, want verify_data %x", msg, want)
	}
}

func TestRSAKeyTransportPadding(t *testing.T) {
	key := rsaServer(t).cert.PrivateKey.(*rsa.PrivateKey)
	msg := bytes.Repeat([]byte{3}, PreMasterSecretLen)
	seeded := func() *bytes.Reader { return bytes.NewReader(bytes.Repeat([]byte{0, 7, 0, 9}, 256)) }
	ct, err := RSAEncryptPreMaster(seeded(), &key.PublicKey, msg)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := RSADecryptPreMaster(key, ct); !ok || !bytes.Equal(got, msg) {
		t.Fatalf("round trip %x %v", got, ok)
	}
	// crypto/rsa reads our padding.
	if got, err := rsa.DecryptPKCS1v15(nil, key, ct); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("crypto/rsa: %x %v", got, err)
	}
	ct2, _ := RSAEncryptPreMaster(seeded(), &key.PublicKey, msg)
	if !bytes.Equal(ct, ct2) {
		t.Error("same reader bytes, different ciphertext")
	}
	// And we read crypto/rsa's.
	theirs, err := rsa.EncryptPKCS1v15(rand.Reader, &key.PublicKey, msg)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := RSADecryptPreMaster(key, theirs); !ok || !bytes.Equal(got, msg) {
		t.Fatalf("crypto/rsa ciphertext: %x %v", got, ok)
	}
	if _, ok := RSADecryptPreMaster(key, ct[1:]); ok {
		t.Error("short ciphertext accepted")
	}
	if _, err := RSAEncryptPreMaster(seeded(), &key.PublicKey, make([]byte, key.Size()-10)); err == nil {
		t.Error("message without room for padding accepted")
	}
	other := makeCert(t, "other", true, nil).cert.PrivateKey.(*rsa.PrivateKey)
	if _, ok := RSADecryptPreMaster(other, ct); ok {
		t.Error("decrypted with another key")
	}
}
