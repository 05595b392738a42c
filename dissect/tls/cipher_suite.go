package tls

import (
	"fmt"
	"strings"
)

// CipherSuiteName returns the IANA name of a cipher suite
// ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DH_anon_WITH_AES_128_CBC_SHA",
// "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"), the customary name of a few
// unregistered suites, "GREASE (0x1a1a)" for GREASE values, and "0x%04x"
// otherwise. SSL 2.0 3-byte specs are named by SSLv2CipherSpecName.
func CipherSuiteName(id uint16) string {
	if n := ianaCipherSuiteName(id); n != "" {
		return n
	}
	if n := legacyCipherSuiteName(id); n != "" {
		return n
	}
	if IsGREASE(id) {
		return fmt.Sprintf("GREASE (0x%04x)", id)
	}
	return fmt.Sprintf("0x%04x", id)
}

// IsIANACipherSuite reports whether id is assigned in the IANA registry
// (GREASE and the signalling values included).
func IsIANACipherSuite(id uint16) bool { return ianaCipherSuiteName(id) != "" || IsGREASE(id) }

// KeyExchange is the key exchange (and authentication) method of a cipher
// suite, as named in the suite: the part between "TLS_" and "_WITH_".
type KeyExchange uint8

// Key exchange methods. Export variants are the base method with
// SuiteInfo.Export set.
const (
	KeyExchangeUnknown KeyExchange = iota
	KeyExchangeNULL
	KeyExchangeRSA
	KeyExchangeDH_DSS
	KeyExchangeDH_RSA
	KeyExchangeDHE_DSS
	KeyExchangeDHE_RSA
	KeyExchangeDH_anon
	KeyExchangeKRB5
	KeyExchangePSK
	KeyExchangeDHE_PSK
	KeyExchangeRSA_PSK
	KeyExchangeECDH_ECDSA
	KeyExchangeECDHE_ECDSA
	KeyExchangeECDH_RSA
	KeyExchangeECDHE_RSA
	KeyExchangeECDH_anon
	KeyExchangeECDHE_PSK
	KeyExchangeSRP_SHA
	KeyExchangeSRP_SHA_RSA
	KeyExchangeSRP_SHA_DSS
	KeyExchangeECCPWD
	KeyExchangeGOSTR341112_256
	KeyExchangeGOSTR341094
	KeyExchangeGOSTR341001
	KeyExchangeECJPAKE
	KeyExchangeFORTEZZA_KEA
	KeyExchangeTLS13 // TLS 1.3 suites: key exchange is negotiated separately
)

// String returns the name as it appears in suite names ("ECDHE_RSA").
func (k KeyExchange) String() string {
	switch k {
	case KeyExchangeUnknown:
		return "unknown"
	case KeyExchangeNULL:
		return "NULL"
	case KeyExchangeRSA:
		return "RSA"
	case KeyExchangeDH_DSS:
		return "DH_DSS"
	case KeyExchangeDH_RSA:
		return "DH_RSA"
	case KeyExchangeDHE_DSS:
		return "DHE_DSS"
	case KeyExchangeDHE_RSA:
		return "DHE_RSA"
	case KeyExchangeDH_anon:
		return "DH_anon"
	case KeyExchangeKRB5:
		return "KRB5"
	case KeyExchangePSK:
		return "PSK"
	case KeyExchangeDHE_PSK:
		return "DHE_PSK"
	case KeyExchangeRSA_PSK:
		return "RSA_PSK"
	case KeyExchangeECDH_ECDSA:
		return "ECDH_ECDSA"
	case KeyExchangeECDHE_ECDSA:
		return "ECDHE_ECDSA"
	case KeyExchangeECDH_RSA:
		return "ECDH_RSA"
	case KeyExchangeECDHE_RSA:
		return "ECDHE_RSA"
	case KeyExchangeECDH_anon:
		return "ECDH_anon"
	case KeyExchangeECDHE_PSK:
		return "ECDHE_PSK"
	case KeyExchangeSRP_SHA:
		return "SRP_SHA"
	case KeyExchangeSRP_SHA_RSA:
		return "SRP_SHA_RSA"
	case KeyExchangeSRP_SHA_DSS:
		return "SRP_SHA_DSS"
	case KeyExchangeECCPWD:
		return "ECCPWD"
	case KeyExchangeGOSTR341112_256:
		return "GOSTR341112_256"
	case KeyExchangeGOSTR341094:
		return "GOSTR341094"
	case KeyExchangeGOSTR341001:
		return "GOSTR341001"
	case KeyExchangeECJPAKE:
		return "ECJPAKE"
	case KeyExchangeFORTEZZA_KEA:
		return "FORTEZZA_KEA"
	case KeyExchangeTLS13:
		return "TLS13"
	}
	return fmt.Sprintf("KeyExchange(%d)", uint8(k))
}

// SuiteInfo describes a cipher suite, derived from its registered name.
type SuiteInfo struct {
	KeyExchange KeyExchange
	Anonymous   bool // no server authentication (DH_anon, ECDH_anon, NULL)
	PSK         bool // pre-shared key (PSK, DHE_PSK, RSA_PSK, ECDHE_PSK)
	Export      bool // export-grade (40/56-bit) suite
	AEAD        bool
	Cipher      string // "AES_128_CBC", "AES_256_GCM", "CHACHA20_POLY1305", "NULL", ...
	MAC         string // "SHA", "SHA256", "MD5", ...; "AEAD" for AEAD suites
	Hash        string // PRF/HKDF hash when the suite names one ("SHA256", "SHA384"), else ""
	TLS13       bool   // a TLS 1.3 suite
}

// CipherSuiteInfo describes a named cipher suite. It returns false for
// unknown values, GREASE and the signalling values (SCSVs).
func CipherSuiteInfo(id uint16) (SuiteInfo, bool) {
	info, ok := suiteInfos[id]
	return info, ok
}

// suiteInfos is derived once from the names of every registered suite:
// analyzers ask about every suite of every ClientHello. It is never
// changed after package initialization.
var suiteInfos = func() map[uint16]SuiteInfo {
	m := make(map[uint16]SuiteInfo, 512)
	for id := 0; id <= 0xffff; id++ {
		if info, ok := cipherSuiteInfo(uint16(id)); ok {
			m[uint16(id)] = info
		}
	}
	return m
}()

func cipherSuiteInfo(id uint16) (SuiteInfo, bool) {
	name := ianaCipherSuiteName(id)
	if name == "" {
		name = legacyCipherSuiteName(id)
	}
	if name == "" || strings.HasSuffix(name, "_SCSV") {
		return SuiteInfo{}, false
	}
	return suiteInfoFromName(id, name)
}

// suiteInfoFromName splits "TLS_<kx>_WITH_<cipher>_<mac>" (or the TLS 1.3
// form "TLS_<aead>_<hash>") into its parts.
func suiteInfoFromName(id uint16, name string) (SuiteInfo, bool) {
	var info SuiteInfo
	rest, ok := strings.CutPrefix(name, "TLS_")
	if !ok {
		if rest, ok = strings.CutPrefix(name, "SSL_"); !ok {
			return SuiteInfo{}, false
		}
	}
	kx, alg, hasWith := strings.Cut(rest, "_WITH_")
	if !hasWith {
		// TLS 1.3: TLS_AES_128_GCM_SHA256, TLS_SM4_GCM_SM3,
		// TLS_SHA256_SHA256 (integrity only), TLS_AEGIS_256_SHA384.
		info.KeyExchange, info.TLS13 = KeyExchangeTLS13, true
		alg = rest
	} else if id >= 0xc103 && id <= 0xc106 {
		// RFC 9367 GOST suites for TLS 1.3 keep the _WITH_ form.
		info.KeyExchange, info.TLS13 = KeyExchangeTLS13, true
	} else {
		if base, _, isExp := strings.Cut(kx, "_EXPORT"); isExp {
			info.Export = true
			kx = base
		}
		if kx == "PSK_DHE" { // the registry's spelling of 0xC0AA/0xC0AB
			kx = "DHE_PSK"
		}
		info.KeyExchange = keyExchangeByName(kx)
		if info.KeyExchange == KeyExchangeUnknown {
			return SuiteInfo{}, false
		}
	}
	switch info.KeyExchange {
	case KeyExchangeDH_anon, KeyExchangeECDH_anon, KeyExchangeNULL:
		info.Anonymous = true
	case KeyExchangePSK, KeyExchangeDHE_PSK, KeyExchangeRSA_PSK, KeyExchangeECDHE_PSK:
		info.PSK = true
	}
	if strings.Contains(alg, "EXPORT") {
		info.Export = true
	}
	info.Cipher, info.MAC, info.Hash, info.AEAD = splitCipherMAC(alg)
	if info.TLS13 && !info.AEAD && info.Cipher == "NULL" {
		info.MAC = "HMAC_" + info.Hash
	}
	return info, true
}

func keyExchangeByName(kx string) KeyExchange {
	if kx == "RSA_FIPS" { // Netscape's FIPS suites are plain RSA key transport
		return KeyExchangeRSA
	}
	for k := KeyExchangeNULL; k <= KeyExchangeTLS13; k++ {
		if k.String() == kx {
			return k
		}
	}
	return KeyExchangeUnknown
}

// splitCipherMAC splits the part after _WITH_ into cipher and MAC (or, for
// AEAD ciphers, the PRF hash).
func splitCipherMAC(alg string) (cipher, mac, hash string, aead bool) {
	for _, m := range []string{"_GCM", "_CCM_8", "_CCM", "_POLY1305", "_MGM_L", "_MGM_S", "AEGIS_256", "AEGIS_128L"} {
		i := strings.Index(alg, m)
		if i < 0 {
			continue
		}
		end := i + len(m)
		cipher, hash = alg[:end], strings.TrimPrefix(alg[end:], "_")
		return cipher, "AEAD", hash, true
	}
	if alg == "SHA256_SHA256" || alg == "SHA384_SHA384" {
		return "NULL", "", alg[:6], false
	}
	i := strings.LastIndexByte(alg, '_')
	if i < 0 {
		return alg, "", "", false
	}
	cipher, mac = alg[:i], alg[i+1:]
	if mac == "SHA256" || mac == "SHA384" {
		hash = mac
	}
	return cipher, mac, hash, false
}
