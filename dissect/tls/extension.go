package tls

import (
	"fmt"

	"golang.org/x/crypto/cryptobyte"
)

// Extension is one hello (or EncryptedExtensions, CertificateRequest,
// NewSessionTicket) extension. Data aliases the parsed message.
type Extension struct {
	Type uint16
	Data []byte
}

// Extension types used by this package (IANA "TLS ExtensionType Values").
const (
	ExtServerName                 uint16 = 0
	ExtMaxFragmentLength          uint16 = 1
	ExtStatusRequest              uint16 = 5
	ExtSupportedGroups            uint16 = 10
	ExtECPointFormats             uint16 = 11
	ExtSignatureAlgorithms        uint16 = 13
	ExtUseSRTP                    uint16 = 14
	ExtHeartbeat                  uint16 = 15
	ExtALPN                       uint16 = 16
	ExtSignedCertificateTimestamp uint16 = 18
	ExtPadding                    uint16 = 21
	ExtEncryptThenMAC             uint16 = 22
	ExtExtendedMasterSecret       uint16 = 23
	ExtRecordSizeLimit            uint16 = 28
	ExtSessionTicket              uint16 = 35 // EAP-FAST carries the PAC-Opaque here (RFC 4851)
	ExtKeyShareDraft              uint16 = 40 // key_share in TLS 1.3 drafts before 23
	ExtPreSharedKey               uint16 = 41
	ExtEarlyData                  uint16 = 42
	ExtSupportedVersions          uint16 = 43
	ExtCookie                     uint16 = 44
	ExtPSKKeyExchangeModes        uint16 = 45
	ExtCertificateAuthorities     uint16 = 47
	ExtOIDFilters                 uint16 = 48
	ExtPostHandshakeAuth          uint16 = 49
	ExtSignatureAlgorithmsCert    uint16 = 50
	ExtKeyShare                   uint16 = 51
	ExtConnectionID               uint16 = 54
	ExtQUICTransportParameters    uint16 = 57
	ExtNextProtocolNegotiation    uint16 = 13172
	ExtECHOuterExtensions         uint16 = 0xfd00
	ExtEncryptedClientHello       uint16 = 0xfe0d
	ExtEncryptedServerName        uint16 = 0xffce
	ExtRenegotiationInfo          uint16 = 0xff01
)

// ExtensionName returns the IANA name of an extension type ("server_name",
// "session_ticket", ...), names for well-known unregistered ones
// (next_protocol_negotiation, channel_id, encrypted_server_name),
// "GREASE (0x1a1a)" for GREASE values, and "0x%04x" otherwise.
func ExtensionName(t uint16) string {
	if n := extensionName(t); n != "" {
		return n
	}
	if IsGREASE(t) {
		return fmt.Sprintf("GREASE (0x%04x)", t)
	}
	return fmt.Sprintf("0x%04x", t)
}

func extensionName(t uint16) string {
	switch t {
	case 0:
		return "server_name"
	case 1:
		return "max_fragment_length"
	case 2:
		return "client_certificate_url"
	case 3:
		return "trusted_ca_keys"
	case 4:
		return "truncated_hmac"
	case 5:
		return "status_request"
	case 6:
		return "user_mapping"
	case 7:
		return "client_authz"
	case 8:
		return "server_authz"
	case 9:
		return "cert_type"
	case 10:
		return "supported_groups"
	case 11:
		return "ec_point_formats"
	case 12:
		return "srp"
	case 13:
		return "signature_algorithms"
	case 14:
		return "use_srtp"
	case 15:
		return "heartbeat"
	case 16:
		return "application_layer_protocol_negotiation"
	case 17:
		return "status_request_v2"
	case 18:
		return "signed_certificate_timestamp"
	case 19:
		return "client_certificate_type"
	case 20:
		return "server_certificate_type"
	case 21:
		return "padding"
	case 22:
		return "encrypt_then_mac"
	case 23:
		return "extended_master_secret"
	case 24:
		return "token_binding"
	case 25:
		return "cached_info"
	case 26:
		return "tls_lts"
	case 27:
		return "compress_certificate"
	case 28:
		return "record_size_limit"
	case 29:
		return "pwd_protect"
	case 30:
		return "pwd_clear"
	case 31:
		return "password_salt"
	case 32:
		return "ticket_pinning"
	case 33:
		return "tls_cert_with_extern_psk"
	case 34:
		return "delegated_credential"
	case 35:
		return "session_ticket"
	case 36:
		return "TLMSP"
	case 37:
		return "TLMSP_proxying"
	case 38:
		return "TLMSP_delegate"
	case 39:
		return "supported_ekt_ciphers"
	case 40:
		return "key_share (draft)"
	case 41:
		return "pre_shared_key"
	case 42:
		return "early_data"
	case 43:
		return "supported_versions"
	case 44:
		return "cookie"
	case 45:
		return "psk_key_exchange_modes"
	case 46:
		return "ticket_early_data_info (draft)"
	case 47:
		return "certificate_authorities"
	case 48:
		return "oid_filters"
	case 49:
		return "post_handshake_auth"
	case 50:
		return "signature_algorithms_cert"
	case 51:
		return "key_share"
	case 52:
		return "transparency_info"
	case 53:
		return "connection_id_deprecated"
	case 54:
		return "connection_id"
	case 55:
		return "external_id_hash"
	case 56:
		return "external_session_id"
	case 57:
		return "quic_transport_parameters"
	case 58:
		return "ticket_request"
	case 59:
		return "dnssec_chain"
	case 60:
		return "sequence_number_encryption_algorithms"
	case 61:
		return "rrc"
	case 62:
		return "tls_flags"
	case 13172:
		return "next_protocol_negotiation"
	case 17513:
		return "application_settings_old"
	case 17613:
		return "application_settings"
	case 30031:
		return "channel_id_old"
	case 30032:
		return "channel_id"
	case 0xfd00:
		return "ech_outer_extensions"
	case 0xfe0d:
		return "encrypted_client_hello"
	case 0xff01:
		return "renegotiation_info"
	case 0xffa5:
		return "quic_transport_parameters (draft)"
	case 0xffce:
		return "encrypted_server_name"
	}
	return ""
}

// FindExtension returns the first extension of type t.
func FindExtension(exts []Extension, t uint16) (Extension, bool) {
	for _, e := range exts {
		if e.Type == t {
			return e, true
		}
	}
	return Extension{}, false
}

// readExtensions reads a u16-length-prefixed extension block into exts
// (reusing its capacity). It returns false if the block is cut short or an
// extension overruns it.
func readExtensions(s *cryptobyte.String, exts []Extension) ([]Extension, bool) {
	var block cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&block) {
		return exts, false
	}
	exts = exts[:0]
	if exts == nil {
		exts = []Extension{}
	}
	for !block.Empty() {
		var e Extension
		var data cryptobyte.String
		if !block.ReadUint16(&e.Type) || !block.ReadUint16LengthPrefixed(&data) {
			return exts, false
		}
		e.Data = data
		exts = append(exts, e)
	}
	return exts, true
}

// addExtensions writes a u16-length-prefixed extension block.
func addExtensions(b *cryptobyte.Builder, exts []Extension) {
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, e := range exts {
			b.AddUint16(e.Type)
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e.Data) })
		}
	})
}
