package tls

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	encasn1 "encoding/asn1"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// CertSummary is what a support engineer needs from a certificate.
type CertSummary struct {
	// Subject and Issuer in RFC 4514 order (last RDN first, as OpenSSL's
	// RFC 2253 mode and Zeek print them): "CN=host,O=Org,C=US".
	Subject, Issuer string
	// The same attributes in certificate order (C first, usually), for
	// other renderings.
	SubjectAttributes, IssuerAttributes []NameAttribute
	// SerialHex is the serial number's DER content bytes in upper-case hex
	// (with the leading 00 DER adds to keep it positive).
	SerialHex          string
	NotBefore          time.Time
	NotAfter           time.Time
	DNSNames           []string
	IPAddresses        []string
	EmailAddresses     []string
	SelfSigned         bool   // subject and issuer are the same name (signature not checked)
	PublicKey          string // "RSA 2048", "ECDSA P-256", "Ed25519", ...
	SignatureAlgorithm string // "SHA256-RSA", ... (crypto/x509 names), or the OID
	SHA256             string // lower-case hex fingerprint of the DER
	// ParseError says why crypto/x509 rejected the certificate; the
	// fields above then come from a tolerant walk of the DER.
	ParseError string
}

// NameAttribute is one attribute of a distinguished name, with OpenSSL's
// short type name ("CN", "O", "emailAddress") or the dotted OID.
type NameAttribute struct {
	Type  string
	Value string
}

// SummarizeCertificate summarizes a DER certificate. It tries crypto/x509
// first; if that rejects the certificate it walks the DER tolerantly for
// subject, issuer, serial, validity, key and signature algorithm, and sets
// ParseError. It never panics.
func SummarizeCertificate(der []byte) CertSummary {
	sum := CertSummary{SHA256: fingerprintSHA256(der)}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		sum.ParseError = err.Error()
		if werr := sum.walk(der); werr != "" {
			sum.ParseError += "; " + werr
		}
		return sum
	}
	sum.SubjectAttributes, _ = parseName(cert.RawSubject)
	sum.IssuerAttributes, _ = parseName(cert.RawIssuer)
	sum.Subject, sum.Issuer = formatRFC4514(sum.SubjectAttributes), formatRFC4514(sum.IssuerAttributes)
	sum.SelfSigned = bytes.Equal(cert.RawSubject, cert.RawIssuer)
	sum.NotBefore, sum.NotAfter = cert.NotBefore, cert.NotAfter
	sum.DNSNames, sum.EmailAddresses = cert.DNSNames, cert.EmailAddresses
	for _, ip := range cert.IPAddresses {
		sum.IPAddresses = append(sum.IPAddresses, ip.String())
	}
	sum.SignatureAlgorithm = cert.SignatureAlgorithm.String()
	sum.PublicKey = describePublicKey(cert)
	var walked CertSummary
	walked.walk(der)
	sum.SerialHex = walked.SerialHex
	return sum
}

func fingerprintSHA256(der []byte) string {
	h := sha256.Sum256(der)
	return hex.EncodeToString(h[:])
}

func describePublicKey(cert *x509.Certificate) string {
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return cert.PublicKeyAlgorithm.String()
}

// walk fills the summary from the DER structure without crypto/x509 (RFC
// 5280 section 4.1), as far as the bytes allow. It returns what stopped
// it, or "".
func (sum *CertSummary) walk(der []byte) string {
	input := cryptobyte.String(der)
	var cert, tbs cryptobyte.String
	if !input.ReadASN1(&cert, asn1.SEQUENCE) || !cert.ReadASN1(&tbs, asn1.SEQUENCE) {
		return "not a DER certificate"
	}
	if !tbs.SkipOptionalASN1(asn1.Tag(0).Constructed().ContextSpecific()) {
		return "bad version"
	}
	var serial, sigAlg, issuer, validity, subject, spki cryptobyte.String
	if !tbs.ReadASN1(&serial, asn1.INTEGER) {
		return "bad serial number"
	}
	sum.SerialHex = strings.ToUpper(hex.EncodeToString(serial))
	if !tbs.ReadASN1(&sigAlg, asn1.SEQUENCE) {
		return "bad signature algorithm"
	}
	sum.SignatureAlgorithm = signatureAlgorithmName(sigAlg)
	if !tbs.ReadASN1Element(&issuer, asn1.SEQUENCE) {
		return "bad issuer"
	}
	var ok bool
	sum.IssuerAttributes, ok = parseName(issuer)
	sum.Issuer = formatRFC4514(sum.IssuerAttributes)
	if !ok {
		return "bad issuer name"
	}
	if !tbs.ReadASN1(&validity, asn1.SEQUENCE) {
		return "bad validity"
	}
	sum.NotBefore, _ = readASN1Time(&validity)
	sum.NotAfter, _ = readASN1Time(&validity)
	if !tbs.ReadASN1Element(&subject, asn1.SEQUENCE) {
		return "bad subject"
	}
	sum.SubjectAttributes, ok = parseName(subject)
	sum.Subject = formatRFC4514(sum.SubjectAttributes)
	sum.SelfSigned = bytes.Equal(issuer, subject)
	if !ok {
		return "bad subject name"
	}
	if !tbs.ReadASN1(&spki, asn1.SEQUENCE) {
		return "bad subject public key info"
	}
	sum.PublicKey = publicKeyFromSPKI(spki)
	return ""
}

// readASN1Time reads a UTCTime or GeneralizedTime.
func readASN1Time(s *cryptobyte.String) (time.Time, bool) {
	var t time.Time
	switch {
	case s.PeekASN1Tag(asn1.UTCTime):
		return t, s.ReadASN1UTCTime(&t)
	case s.PeekASN1Tag(asn1.GeneralizedTime):
		return t, s.ReadASN1GeneralizedTime(&t)
	}
	s.SkipASN1(0)
	return t, false
}

// parseName reads a DER Name (SEQUENCE OF SET OF AttributeTypeAndValue)
// into attributes in certificate order.
func parseName(der []byte) ([]NameAttribute, bool) {
	s := cryptobyte.String(der)
	var rdns cryptobyte.String
	if !s.ReadASN1(&rdns, asn1.SEQUENCE) {
		return nil, false
	}
	var out []NameAttribute
	for !rdns.Empty() {
		var set cryptobyte.String
		if !rdns.ReadASN1(&set, asn1.SET) {
			return out, false
		}
		for !set.Empty() {
			var atv cryptobyte.String
			var oid encasn1.ObjectIdentifier
			var tag asn1.Tag
			var value cryptobyte.String
			if !set.ReadASN1(&atv, asn1.SEQUENCE) || !atv.ReadASN1ObjectIdentifier(&oid) ||
				!atv.ReadAnyASN1(&value, &tag) {
				return out, false
			}
			out = append(out, NameAttribute{Type: attributeTypeName(oid.String()), Value: decodeDirectoryString(tag, value)})
		}
	}
	return out, true
}

// formatRFC4514 renders attributes last-first, comma-separated, escaping
// per RFC 4514 section 2.4.
func formatRFC4514(attrs []NameAttribute) string {
	var b strings.Builder
	for i := len(attrs) - 1; i >= 0; i-- {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(attrs[i].Type)
		b.WriteByte('=')
		v := attrs[i].Value
		for j, r := range v {
			escape := strings.ContainsRune(",+\"\\<>;", r) ||
				(j == 0 && (r == ' ' || r == '#')) || (j == len(v)-1 && r == ' ')
			if escape {
				b.WriteByte('\\')
			}
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, "\\%02x", r)
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// decodeDirectoryString turns an attribute value into text: the string
// types as they are (BMPString and UniversalString converted, T61String
// read as Latin-1), anything else as "#" and its hex.
func decodeDirectoryString(tag asn1.Tag, v []byte) string {
	switch tag {
	case asn1.UTF8String, asn1.PrintableString, asn1.IA5String, 26 /* VisibleString */, 25 /* GraphicString */, 27 /* GeneralString */, 18 /* NumericString */ :
		if utf8.Valid(v) {
			return string(v)
		}
		return latin1(v)
	case asn1.T61String:
		return latin1(v)
	case 30: // BMPString, UTF-16BE
		if len(v)%2 != 0 {
			return "#" + hex.EncodeToString(v)
		}
		u := make([]uint16, len(v)/2)
		for i := range u {
			u[i] = uint16(v[2*i])<<8 | uint16(v[2*i+1])
		}
		return string(utf16.Decode(u))
	case 28: // UniversalString, UTF-32BE
		if len(v)%4 != 0 {
			return "#" + hex.EncodeToString(v)
		}
		var b strings.Builder
		for i := 0; i < len(v); i += 4 {
			b.WriteRune(rune(uint32(v[i])<<24 | uint32(v[i+1])<<16 | uint32(v[i+2])<<8 | uint32(v[i+3])))
		}
		return b.String()
	}
	return "#" + hex.EncodeToString(v)
}

func latin1(v []byte) string {
	r := make([]rune, len(v))
	for i, c := range v {
		r[i] = rune(c)
	}
	return string(r)
}

// attributeTypeName maps attribute OIDs to OpenSSL's short names.
func attributeTypeName(oid string) string {
	switch oid {
	case "2.5.4.3":
		return "CN"
	case "2.5.4.4":
		return "SN"
	case "2.5.4.5":
		return "serialNumber"
	case "2.5.4.6":
		return "C"
	case "2.5.4.7":
		return "L"
	case "2.5.4.8":
		return "ST"
	case "2.5.4.9":
		return "street"
	case "2.5.4.10":
		return "O"
	case "2.5.4.11":
		return "OU"
	case "2.5.4.12":
		return "title"
	case "2.5.4.13":
		return "description"
	case "2.5.4.15":
		return "businessCategory"
	case "2.5.4.17":
		return "postalCode"
	case "2.5.4.42":
		return "GN"
	case "2.5.4.43":
		return "initials"
	case "2.5.4.46":
		return "dnQualifier"
	case "2.5.4.65":
		return "pseudonym"
	case "1.2.840.113549.1.9.1":
		return "emailAddress"
	case "1.2.840.113549.1.9.2":
		return "unstructuredName"
	case "0.9.2342.19200300.100.1.1":
		return "UID"
	case "0.9.2342.19200300.100.1.25":
		return "DC"
	case "1.3.6.1.4.1.311.60.2.1.1":
		return "jurisdictionL"
	case "1.3.6.1.4.1.311.60.2.1.2":
		return "jurisdictionST"
	case "1.3.6.1.4.1.311.60.2.1.3":
		return "jurisdictionC"
	}
	return oid
}

// signatureAlgorithmName names an AlgorithmIdentifier's OID the way
// crypto/x509 does, or returns the dotted OID.
func signatureAlgorithmName(algID cryptobyte.String) string {
	var oid encasn1.ObjectIdentifier
	if !algID.ReadASN1ObjectIdentifier(&oid) {
		return ""
	}
	switch oid.String() {
	case "1.2.840.113549.1.1.2":
		return "MD2-RSA"
	case "1.2.840.113549.1.1.4":
		return "MD5-RSA"
	case "1.2.840.113549.1.1.5":
		return "SHA1-RSA"
	case "1.2.840.113549.1.1.11":
		return "SHA256-RSA"
	case "1.2.840.113549.1.1.12":
		return "SHA384-RSA"
	case "1.2.840.113549.1.1.13":
		return "SHA512-RSA"
	case "1.2.840.113549.1.1.10":
		return "RSASSA-PSS"
	case "1.2.840.10040.4.3":
		return "DSA-SHA1"
	case "2.16.840.1.101.3.4.3.2":
		return "DSA-SHA256"
	case "1.2.840.10045.4.1":
		return "ECDSA-SHA1"
	case "1.2.840.10045.4.3.2":
		return "ECDSA-SHA256"
	case "1.2.840.10045.4.3.3":
		return "ECDSA-SHA384"
	case "1.2.840.10045.4.3.4":
		return "ECDSA-SHA512"
	case "1.3.101.112":
		return "Ed25519"
	}
	return oid.String()
}

// publicKeyFromSPKI describes a SubjectPublicKeyInfo without crypto/x509.
func publicKeyFromSPKI(spki cryptobyte.String) string {
	var alg, bits cryptobyte.String
	var oid encasn1.ObjectIdentifier
	if !spki.ReadASN1(&alg, asn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
		return ""
	}
	switch oid.String() {
	case "1.2.840.113549.1.1.1":
		// BIT STRING holding RSAPublicKey ::= SEQUENCE { modulus, exponent }.
		var key, rsaKey, modulus cryptobyte.String
		var unused uint8
		if !spki.ReadASN1(&bits, asn1.BIT_STRING) || !bits.ReadUint8(&unused) {
			return "RSA"
		}
		key = bits
		if !key.ReadASN1(&rsaKey, asn1.SEQUENCE) || !rsaKey.ReadASN1(&modulus, asn1.INTEGER) {
			return "RSA"
		}
		for len(modulus) > 0 && modulus[0] == 0 {
			modulus = modulus[1:]
		}
		n := len(modulus) * 8
		if len(modulus) > 0 {
			for b := modulus[0]; b&0x80 == 0 && n > 0; b <<= 1 {
				n--
			}
		}
		return fmt.Sprintf("RSA %d", n)
	case "1.2.840.10045.2.1":
		var curve encasn1.ObjectIdentifier
		if !alg.ReadASN1ObjectIdentifier(&curve) {
			return "ECDSA"
		}
		switch curve.String() {
		case "1.2.840.10045.3.1.7":
			return "ECDSA P-256"
		case "1.3.132.0.34":
			return "ECDSA P-384"
		case "1.3.132.0.35":
			return "ECDSA P-521"
		case "1.2.840.10045.3.1.1":
			return "ECDSA P-192"
		case "1.3.132.0.33":
			return "ECDSA P-224"
		}
		return "ECDSA " + curve.String()
	case "1.2.840.10040.4.1":
		return "DSA"
	case "1.3.101.112":
		return "Ed25519"
	case "1.3.101.113":
		return "Ed448"
	}
	return oid.String()
}
