package eapfast

// CredentialFormatPKCS7 is the only Credential-Format of the
// Server-Trusted-Root TLV (RFC 5422 section 4.3):
// PKCS#7-Server-Certificate-Root.
const CredentialFormatPKCS7 = 1

// ServerTrustedRoot is the Server-Trusted-Root TLV (type 18, RFC 5422
// section 4.3): a request for, or the delivery of, the server's trusted
// root certificates, carried in PKCS#7 TLVs.
type ServerTrustedRoot struct {
	Mandatory        bool
	CredentialFormat uint8
	TLVs             []TLV // Cred TLVs, normally PKCS#7 TLVs
}

// TLVType returns TypeServerTrustedRoot.
func (ServerTrustedRoot) TLVType() TLVType { return TypeServerTrustedRoot }

// Marshal encodes the TLV; nil if it is longer than 65535 octets.
func (r ServerTrustedRoot) Marshal() []byte {
	v, err := appendTLVs([]byte{r.CredentialFormat}, r.TLVs)
	if err != nil {
		return nil
	}
	return marshalTLV(r.Mandatory, TypeServerTrustedRoot, v)
}

// Unmarshal decodes one whole Server-Trusted-Root TLV.
func (r *ServerTrustedRoot) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypeServerTrustedRoot)
	if err != nil {
		return err
	}
	m := t.Mandatory
	err = r.decode(t.Value)
	r.Mandatory = m
	return err
}

func (r *ServerTrustedRoot) decode(v []byte) error {
	*r = ServerTrustedRoot{}
	if len(v) < 1 {
		return lengthError(TypeServerTrustedRoot, len(v), "at least 1")
	}
	r.CredentialFormat = v[0]
	tlvs, err := Parse(v[1:])
	r.TLVs = tlvs
	return shiftError(err, headerLen+1)
}

// PKCS7 is the PKCS#7 TLV (type 20, RFC 5422 section 4.4): a DER
// PKCS#7 SignedData holding certificates.
type PKCS7 struct {
	Mandatory bool
	Data      []byte
}

// TLVType returns TypePKCS7.
func (PKCS7) TLVType() TLVType { return TypePKCS7 }

// Marshal encodes the TLV; nil if Data is longer than 65535 octets.
func (p PKCS7) Marshal() []byte { return marshalTLV(p.Mandatory, TypePKCS7, p.Data) }

// Unmarshal decodes one whole PKCS#7 TLV.
func (p *PKCS7) Unmarshal(b []byte) error {
	t, err := valueOf(b, TypePKCS7)
	if err != nil {
		return err
	}
	p.Mandatory = t.Mandatory
	return p.decode(t.Value)
}

func (p *PKCS7) decode(v []byte) error {
	p.Data = nil
	if len(v) > 0 {
		p.Data = v
	}
	return nil
}
