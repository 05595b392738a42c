package tls

import "fmt"

// Signature schemes used by this package (IANA "TLS SignatureScheme").
const (
	SchemeRSAPKCS1SHA1     uint16 = 0x0201
	SchemeRSAPKCS1SHA256   uint16 = 0x0401
	SchemeECDSAP256SHA256  uint16 = 0x0403
	SchemeRSAPSSRSAESHA256 uint16 = 0x0804
	SchemeEd25519          uint16 = 0x0807
)

// SignatureSchemeName returns the IANA name of a TLS 1.3 SignatureScheme
// ("rsa_pss_rsae_sha256", "ecdsa_secp256r1_sha256", "ed25519", ...). TLS
// 1.2 hash/signature pairs that have no SignatureScheme name are spelled
// "<signature>_<hash>" ("dsa_sha256", "rsa_md5"). GREASE values give
// "GREASE (0x0a0a)", anything else "0x%04x".
func SignatureSchemeName(id uint16) string {
	if n := signatureSchemeName(id); n != "" {
		return n
	}
	if IsGREASE(id) {
		return fmt.Sprintf("GREASE (0x%04x)", id)
	}
	hash, sig := tls12HashName(uint8(id>>8)), tls12SignatureName(uint8(id))
	if hash != "" && sig != "" {
		return sig + "_" + hash
	}
	return fmt.Sprintf("0x%04x", id)
}

func signatureSchemeName(id uint16) string {
	switch id {
	case 0x0201:
		return "rsa_pkcs1_sha1"
	case 0x0203:
		return "ecdsa_sha1"
	case 0x0401:
		return "rsa_pkcs1_sha256"
	case 0x0403:
		return "ecdsa_secp256r1_sha256"
	case 0x0420:
		return "rsa_pkcs1_sha256_legacy"
	case 0x0501:
		return "rsa_pkcs1_sha384"
	case 0x0503:
		return "ecdsa_secp384r1_sha384"
	case 0x0520:
		return "rsa_pkcs1_sha384_legacy"
	case 0x0601:
		return "rsa_pkcs1_sha512"
	case 0x0603:
		return "ecdsa_secp521r1_sha512"
	case 0x0620:
		return "rsa_pkcs1_sha512_legacy"
	case 0x0704:
		return "eccsi_sha256"
	case 0x0705:
		return "iso_ibs1"
	case 0x0706:
		return "iso_ibs2"
	case 0x0707:
		return "iso_chinese_ibs"
	case 0x0708:
		return "sm2sig_sm3"
	case 0x0709:
		return "gostr34102012_256a"
	case 0x070a:
		return "gostr34102012_256b"
	case 0x070b:
		return "gostr34102012_256c"
	case 0x070c:
		return "gostr34102012_256d"
	case 0x070d:
		return "gostr34102012_512a"
	case 0x070e:
		return "gostr34102012_512b"
	case 0x070f:
		return "gostr34102012_512c"
	case 0x0804:
		return "rsa_pss_rsae_sha256"
	case 0x0805:
		return "rsa_pss_rsae_sha384"
	case 0x0806:
		return "rsa_pss_rsae_sha512"
	case 0x0807:
		return "ed25519"
	case 0x0808:
		return "ed448"
	case 0x0809:
		return "rsa_pss_pss_sha256"
	case 0x080a:
		return "rsa_pss_pss_sha384"
	case 0x080b:
		return "rsa_pss_pss_sha512"
	case 0x081a:
		return "ecdsa_brainpoolP256r1tls13_sha256"
	case 0x081b:
		return "ecdsa_brainpoolP384r1tls13_sha384"
	case 0x081c:
		return "ecdsa_brainpoolP512r1tls13_sha512"
	case 0x0904:
		return "mldsa44"
	case 0x0905:
		return "mldsa65"
	case 0x0906:
		return "mldsa87"
	}
	return ""
}

// tls12HashName and tls12SignatureName name the two bytes of a TLS 1.2
// SignatureAndHashAlgorithm (RFC 5246 section 7.4.1.4.1).
func tls12HashName(h uint8) string {
	switch h {
	case 1:
		return "md5"
	case 2:
		return "sha1"
	case 3:
		return "sha224"
	case 4:
		return "sha256"
	case 5:
		return "sha384"
	case 6:
		return "sha512"
	}
	return ""
}

func tls12SignatureName(s uint8) string {
	switch s {
	case 1:
		return "rsa"
	case 2:
		return "dsa"
	case 3:
		return "ecdsa"
	}
	return ""
}
