package tls

import (
	stdtls "crypto/tls"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Every suite Go's crypto/tls knows has the IANA name there.
func TestCipherSuiteNamesMatchCryptoTLS(t *testing.T) {
	suites := append(stdtls.CipherSuites(), stdtls.InsecureCipherSuites()...)
	if len(suites) < 20 {
		t.Fatalf("crypto/tls lists only %d suites", len(suites))
	}
	for _, s := range suites {
		if got := CipherSuiteName(s.ID); got != s.Name {
			t.Errorf("0x%04x: %q, crypto/tls %q", s.ID, got, s.Name)
		}
		info, ok := CipherSuiteInfo(s.ID)
		if !ok {
			t.Errorf("0x%04x: no SuiteInfo", s.ID)
			continue
		}
		tls13 := false
		for _, v := range s.SupportedVersions {
			if v == stdtls.VersionTLS13 {
				tls13 = true
			}
		}
		if info.TLS13 != tls13 {
			t.Errorf("%s: TLS13 %v, crypto/tls says %v", s.Name, info.TLS13, tls13)
		}
	}
}

func TestCipherSuiteSpotChecks(t *testing.T) {
	tests := []struct {
		id   uint16
		name string
		info SuiteInfo
	}{
		{0x0000, "TLS_NULL_WITH_NULL_NULL", SuiteInfo{KeyExchange: KeyExchangeNULL, Anonymous: true, Cipher: "NULL", MAC: "NULL"}},
		{0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", SuiteInfo{KeyExchange: KeyExchangeRSA, Export: true, Cipher: "RC4_40", MAC: "MD5"}},
		{0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", SuiteInfo{KeyExchange: KeyExchangeDH_anon, Anonymous: true, Cipher: "RC4_128", MAC: "MD5"}},
		{0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", SuiteInfo{KeyExchange: KeyExchangeDH_anon, Anonymous: true, Cipher: "AES_128_CBC", MAC: "SHA"}},
		{0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA", SuiteInfo{KeyExchange: KeyExchangePSK, PSK: true, Cipher: "AES_128_CBC", MAC: "SHA"}},
		{0x00AA, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", SuiteInfo{KeyExchange: KeyExchangeDHE_PSK, PSK: true, AEAD: true, Cipher: "AES_128_GCM", MAC: "AEAD", Hash: "SHA256"}},
		{0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", SuiteInfo{KeyExchange: KeyExchangeECDH_anon, Anonymous: true, Cipher: "AES_128_CBC", MAC: "SHA"}},
		{0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8", SuiteInfo{KeyExchange: KeyExchangeDHE_PSK, PSK: true, AEAD: true, Cipher: "AES_128_CCM_8", MAC: "AEAD"}},
		{0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA", SuiteInfo{KeyExchange: KeyExchangeKRB5, Export: true, Cipher: "DES_CBC_40", MAC: "SHA"}},
		{0xC01D, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", SuiteInfo{KeyExchange: KeyExchangeSRP_SHA, Cipher: "AES_128_CBC", MAC: "SHA"}},
		{0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", SuiteInfo{KeyExchange: KeyExchangeRSA, Cipher: "CAMELLIA_128_CBC", MAC: "SHA"}},
		{0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256", SuiteInfo{KeyExchange: KeyExchangeRSA, AEAD: true, Cipher: "ARIA_128_GCM", MAC: "AEAD", Hash: "SHA256"}},
		{0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", SuiteInfo{KeyExchange: KeyExchangeECDHE_RSA, AEAD: true, Cipher: "CHACHA20_POLY1305", MAC: "AEAD", Hash: "SHA256"}},
		{0xC100, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC", SuiteInfo{KeyExchange: KeyExchangeGOSTR341112_256, Cipher: "KUZNYECHIK_CTR", MAC: "OMAC"}},
		{0xC103, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L", SuiteInfo{KeyExchange: KeyExchangeTLS13, TLS13: true, AEAD: true, Cipher: "KUZNYECHIK_MGM_L", MAC: "AEAD"}},
		{0x1301, "TLS_AES_128_GCM_SHA256", SuiteInfo{KeyExchange: KeyExchangeTLS13, TLS13: true, AEAD: true, Cipher: "AES_128_GCM", MAC: "AEAD", Hash: "SHA256"}},
		{0x1306, "TLS_AEGIS_256_SHA384", SuiteInfo{KeyExchange: KeyExchangeTLS13, TLS13: true, AEAD: true, Cipher: "AEGIS_256", MAC: "AEAD", Hash: "SHA384"}},
		{0xC0B4, "TLS_SHA256_SHA256", SuiteInfo{KeyExchange: KeyExchangeTLS13, TLS13: true, Cipher: "NULL", MAC: "HMAC_SHA256", Hash: "SHA256"}},
		{0xD005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256", SuiteInfo{KeyExchange: KeyExchangeECDHE_PSK, PSK: true, AEAD: true, Cipher: "AES_128_CCM", MAC: "AEAD", Hash: "SHA256"}},
		{0x0062, "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA", SuiteInfo{KeyExchange: KeyExchangeRSA, Export: true, Cipher: "DES_CBC", MAC: "SHA"}},
		{0xC0FF, "TLS_ECJPAKE_WITH_AES_128_CCM_8", SuiteInfo{KeyExchange: KeyExchangeECJPAKE, AEAD: true, Cipher: "AES_128_CCM_8", MAC: "AEAD"}},
	}
	for _, tc := range tests {
		if got := CipherSuiteName(tc.id); got != tc.name {
			t.Errorf("0x%04x: %q, want %q", tc.id, got, tc.name)
		}
		info, ok := CipherSuiteInfo(tc.id)
		if !ok || info != tc.info {
			t.Errorf("%s: %+v, want %+v", tc.name, info, tc.info)
		}
	}
	for id, want := range map[uint16]string{
		0x00ff: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", 0x5600: "TLS_FALLBACK_SCSV",
		0x1a1a: "GREASE (0x1a1a)", 0xfafa: "GREASE (0xfafa)", 0x0047: "0x0047", 0xfe00: "0xfe00",
	} {
		if got := CipherSuiteName(id); got != want {
			t.Errorf("0x%04x: %q, want %q", id, got, want)
		}
		if _, ok := CipherSuiteInfo(id); ok {
			t.Errorf("0x%04x: SuiteInfo for a non-suite", id)
		}
	}
}

// Every named suite has a key exchange the decoders know, and the IANA
// count matches the registry (352 assigned values, SCSVs included).
func TestCipherSuiteTableShape(t *testing.T) {
	iana := 0
	for id := 0; id <= 0xffff; id++ {
		name := ianaCipherSuiteName(uint16(id))
		if name == "" {
			continue
		}
		iana++
		if strings.HasSuffix(name, "_SCSV") {
			continue
		}
		info, ok := CipherSuiteInfo(uint16(id))
		if !ok || info.KeyExchange == KeyExchangeUnknown || info.Cipher == "" {
			t.Errorf("%s: %+v", name, info)
		}
		if info.AEAD != (info.MAC == "AEAD") {
			t.Errorf("%s: AEAD %v MAC %q", name, info.AEAD, info.MAC)
		}
		if info.Anonymous && info.KeyExchange != KeyExchangeDH_anon && info.KeyExchange != KeyExchangeECDH_anon && info.KeyExchange != KeyExchangeNULL {
			t.Errorf("%s: anonymous with %v", name, info.KeyExchange)
		}
	}
	if iana != 352 {
		t.Errorf("%d IANA suites, want 352", iana)
	}
}

var (
	tsharkValuesOnce sync.Once
	tsharkValuesOut  []byte
	tsharkValuesErr  error
)

// tsharkValues returns tshark's value_string for a field ("tls.handshake.ciphersuite").
func tsharkValues(t *testing.T, field string) map[int]string {
	t.Helper()
	tsharkValuesOnce.Do(func() {
		if p, err := exec.LookPath("tshark"); err == nil {
			tsharkValuesOut, tsharkValuesErr = exec.Command(p, "-G", "values").Output()
		}
	})
	tsharkPath(t)
	out, err := tsharkValuesOut, tsharkValuesErr
	if err != nil {
		t.Skipf("tshark -G values: %v", err)
	}
	vals := map[int]string{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 4 && f[0] == "V" && f[1] == field {
			v, err := strconv.ParseInt(f[2], 0, 32)
			if err == nil {
				vals[int(v)] = f[3]
			}
		}
	}
	if len(vals) == 0 {
		t.Skipf("tshark has no values for %s", field)
	}
	return vals
}

// Wireshark's table follows the registry: every IANA-assigned value that
// tshark 4.0 knows has the same name. (tshark 4.0 predates the AEGIS
// suites 0x1306/0x1307.)
func TestCipherSuiteNamesMatchTshark(t *testing.T) {
	ws := tsharkValues(t, "tls.handshake.ciphersuite")
	compared := 0
	for id := 0; id <= 0xffff; id++ {
		name := ianaCipherSuiteName(uint16(id))
		if name == "" {
			if legacy := legacyCipherSuiteName(uint16(id)); legacy != "" && ws[id] != legacy {
				t.Errorf("0x%04x: legacy name %q, tshark %q", id, legacy, ws[id])
			}
			continue
		}
		w, ok := ws[id]
		if !ok {
			if id != 0x1306 && id != 0x1307 {
				t.Errorf("0x%04x %s unknown to tshark", id, name)
			}
			continue
		}
		compared++
		if w != name {
			t.Errorf("0x%04x: %q, tshark %q", id, name, w)
		}
	}
	t.Logf("%d suites compared with tshark", compared)
}

func TestSSLv2CipherSpecNames(t *testing.T) {
	ws := tsharkValues(t, "tls.handshake.cipherspec")
	for spec, name := range ws {
		if spec <= 0xffff {
			continue
		}
		if got := SSLv2CipherSpecName(uint32(spec)); got != name {
			t.Errorf("0x%06x: %q, tshark %q", spec, got, name)
		}
	}
	if got := SSLv2CipherSpecName(0x00002f); got != "TLS_RSA_WITH_AES_128_CBC_SHA" {
		t.Errorf("TLS spec: %q", got)
	}
	if got := SSLv2CipherSpecName(0xff0000); got != "0xff0000" {
		t.Errorf("unknown spec: %q", got)
	}
}

func TestRegistryNames(t *testing.T) {
	checks := []struct{ got, want string }{
		{ExtensionName(0), "server_name"},
		{ExtensionName(35), "session_ticket"},
		{ExtensionName(41), "pre_shared_key"},
		{ExtensionName(42), "early_data"},
		{ExtensionName(43), "supported_versions"},
		{ExtensionName(44), "cookie"},
		{ExtensionName(45), "psk_key_exchange_modes"},
		{ExtensionName(47), "certificate_authorities"},
		{ExtensionName(49), "post_handshake_auth"},
		{ExtensionName(50), "signature_algorithms_cert"},
		{ExtensionName(51), "key_share"},
		{ExtensionName(23), "extended_master_secret"},
		{ExtensionName(22), "encrypt_then_mac"},
		{ExtensionName(0xff01), "renegotiation_info"},
		{ExtensionName(0xfe0d), "encrypted_client_hello"},
		{ExtensionName(0x2a2a), "GREASE (0x2a2a)"},
		{ExtensionName(0x1234), "0x1234"},
		{NamedGroupName(23), "secp256r1"},
		{NamedGroupName(29), "x25519"},
		{NamedGroupName(256), "ffdhe2048"},
		{NamedGroupName(0x11ec), "X25519MLKEM768"},
		{NamedGroupName(0x0a0a), "GREASE (0x0a0a)"},
		{NamedGroupName(0x7777), "0x7777"},
		{SignatureSchemeName(0x0804), "rsa_pss_rsae_sha256"},
		{SignatureSchemeName(0x0403), "ecdsa_secp256r1_sha256"},
		{SignatureSchemeName(0x0807), "ed25519"},
		{SignatureSchemeName(0x0402), "dsa_sha256"},
		{SignatureSchemeName(0x0101), "rsa_md5"},
		{SignatureSchemeName(0xfe00), "0xfe00"},
		{CompressionName(0), "null"},
		{CompressionName(1), "DEFLATE"},
		{CompressionName(7), "7"},
		{DescriptionName(0), "close_notify"},
		{DescriptionName(40), "handshake_failure"},
		{DescriptionName(100), "no_renegotiation"},
		{DescriptionName(116), "certificate_required"},
		{DescriptionName(120), "no_application_protocol"},
		{DescriptionName(200), "200"},
		{LevelName(1), "warning"},
		{LevelName(2), "fatal"},
		{Alert{Level: 2, Description: 48}.String(), "fatal unknown_ca"},
		{HandshakeTypeClientHello.String(), "ClientHello"},
		{HandshakeTypeHelloVerifyRequest.String(), "HelloVerifyRequest"},
		{HandshakeTypeServerHelloDone.String(), "ServerHelloDone"},
		{HandshakeTypeCertificateURL.String(), "CertificateURL"},
		{HandshakeTypeMessageHash.String(), "MessageHash"},
		{HandshakeType(99).String(), "HandshakeType(99)"},
		{ContentHandshake.String(), "handshake"},
		{ContentTLS12CID.String(), "tls12_cid"},
		{ContentType(0x2e).String(), "dtls13_ciphertext(0x2e)"},
		{KeyExchangeDH_anon.String(), "DH_anon"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: %q, want %q", i, c.got, c.want)
		}
	}
}

// Alert descriptions and handshake types agree with tshark's lists (which
// use display names: compare the words).
func TestAlertAndHandshakeNamesMatchTshark(t *testing.T) {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("_", "", " ", "").Replace(s))
	}
	for v, name := range tsharkValues(t, "tls.alert_message.desc") {
		if v == 1 { // "End of Early Data": a draft-era value, not in the registry
			continue
		}
		if got := DescriptionName(uint8(v)); norm(got) != norm(name) {
			t.Errorf("alert %d: %q, tshark %q", v, got, name)
		}
	}
	for v, name := range tsharkValues(t, "dtls.handshake.type") {
		if v == 67 { // NPN's NextProtocol message: never registered
			continue
		}
		got := HandshakeType(v).String()
		if norm(got) != norm(name) && !(v == 21 && got == "CertificateURL") {
			t.Errorf("handshake type %d: %q, tshark %q", v, got, name)
		}
	}
}

func TestVersionString(t *testing.T) {
	for v, want := range map[Version]string{
		0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x0304: "TLS 1.3",
		0xfeff: "DTLS 1.0", 0xfefd: "DTLS 1.2", 0xfefc: "DTLS 1.3", 0x0100: "DTLS 0.9", 0x0002: "SSL 2.0",
		0x7f17: "TLS 1.3 (draft 23)", 0x7f1c: "TLS 1.3 (draft 28)", 0xfb17: "TLS 1.3 (Facebook draft 23)",
		0x0a0a: "GREASE (0x0a0a)", 0x7a7a: "GREASE (0x7a7a)", 0x1234: "0x1234", 0x7e01: "TLS 1.3 (Google experiment 1)", 0x7e04: "0x7e04",
	} {
		if got := v.String(); got != want {
			t.Errorf("%04x: %q, want %q", uint16(v), got, want)
		}
	}
	for _, v := range []Version{0xfeff, 0xfefd, 0xfefc, 0x0100} {
		if !v.IsDTLS() {
			t.Errorf("%v: not DTLS", v)
		}
	}
	for _, v := range []Version{0x0303, 0x0304, 0x7f17, 0x0a0a} {
		if v.IsDTLS() {
			t.Errorf("%v: DTLS", v)
		}
	}
	if !Version(0x7f10).IsTLS13() || !VersionDTLS13.IsTLS13() || VersionDTLS12.IsTLS13() {
		t.Error("IsTLS13")
	}
	ch := ClientHello{Version: VersionTLS12, SupportedVersions: []Version{0x2a2a, 0x7f17, VersionTLS13, VersionTLS12}}
	if ch.MaxVersion() != VersionTLS13 {
		t.Errorf("MaxVersion %v", ch.MaxVersion())
	}
	ch = ClientHello{Version: VersionDTLS12, SupportedVersions: []Version{VersionDTLS12, VersionDTLS13}}
	if ch.MaxVersion() != VersionDTLS13 {
		t.Errorf("DTLS MaxVersion %v", ch.MaxVersion())
	}
	ch = ClientHello{Version: VersionDTLS10}
	if ch.MaxVersion() != VersionDTLS10 {
		t.Errorf("legacy MaxVersion %v", ch.MaxVersion())
	}
}
