package tls

import "fmt"

// HandshakeType is the msg_type of a handshake message (IANA "TLS
// HandshakeType").
type HandshakeType uint8

// Handshake message types.
const (
	HandshakeTypeHelloRequest             HandshakeType = 0
	HandshakeTypeClientHello              HandshakeType = 1
	HandshakeTypeServerHello              HandshakeType = 2
	HandshakeTypeHelloVerifyRequest       HandshakeType = 3
	HandshakeTypeNewSessionTicket         HandshakeType = 4
	HandshakeTypeEndOfEarlyData           HandshakeType = 5
	HandshakeTypeHelloRetryRequest        HandshakeType = 6
	HandshakeTypeEncryptedExtensions      HandshakeType = 8
	HandshakeTypeRequestConnectionID      HandshakeType = 9
	HandshakeTypeNewConnectionID          HandshakeType = 10
	HandshakeTypeCertificate              HandshakeType = 11
	HandshakeTypeServerKeyExchange        HandshakeType = 12
	HandshakeTypeCertificateRequest       HandshakeType = 13
	HandshakeTypeServerHelloDone          HandshakeType = 14
	HandshakeTypeCertificateVerify        HandshakeType = 15
	HandshakeTypeClientKeyExchange        HandshakeType = 16
	HandshakeTypeClientCertificateRequest HandshakeType = 17
	HandshakeTypeFinished                 HandshakeType = 20
	HandshakeTypeCertificateURL           HandshakeType = 21
	HandshakeTypeCertificateStatus        HandshakeType = 22
	HandshakeTypeSupplementalData         HandshakeType = 23
	HandshakeTypeKeyUpdate                HandshakeType = 24
	HandshakeTypeCompressedCertificate    HandshakeType = 25
	HandshakeTypeEKTKey                   HandshakeType = 26
	HandshakeTypeMessageHash              HandshakeType = 254
)

// String returns the message name in the RFCs' CamelCase ("ClientHello",
// "ServerHelloDone"), or "HandshakeType(n)" for unassigned values.
func (t HandshakeType) String() string {
	switch t {
	case HandshakeTypeHelloRequest:
		return "HelloRequest"
	case HandshakeTypeClientHello:
		return "ClientHello"
	case HandshakeTypeServerHello:
		return "ServerHello"
	case HandshakeTypeHelloVerifyRequest:
		return "HelloVerifyRequest"
	case HandshakeTypeNewSessionTicket:
		return "NewSessionTicket"
	case HandshakeTypeEndOfEarlyData:
		return "EndOfEarlyData"
	case HandshakeTypeHelloRetryRequest:
		return "HelloRetryRequest"
	case HandshakeTypeEncryptedExtensions:
		return "EncryptedExtensions"
	case HandshakeTypeRequestConnectionID:
		return "RequestConnectionId"
	case HandshakeTypeNewConnectionID:
		return "NewConnectionId"
	case HandshakeTypeCertificate:
		return "Certificate"
	case HandshakeTypeServerKeyExchange:
		return "ServerKeyExchange"
	case HandshakeTypeCertificateRequest:
		return "CertificateRequest"
	case HandshakeTypeServerHelloDone:
		return "ServerHelloDone"
	case HandshakeTypeCertificateVerify:
		return "CertificateVerify"
	case HandshakeTypeClientKeyExchange:
		return "ClientKeyExchange"
	case HandshakeTypeClientCertificateRequest:
		return "ClientCertificateRequest"
	case HandshakeTypeFinished:
		return "Finished"
	case HandshakeTypeCertificateURL:
		return "CertificateURL"
	case HandshakeTypeCertificateStatus:
		return "CertificateStatus"
	case HandshakeTypeSupplementalData:
		return "SupplementalData"
	case HandshakeTypeKeyUpdate:
		return "KeyUpdate"
	case HandshakeTypeCompressedCertificate:
		return "CompressedCertificate"
	case HandshakeTypeEKTKey:
		return "EKTKey"
	case HandshakeTypeMessageHash:
		return "MessageHash"
	}
	return fmt.Sprintf("HandshakeType(%d)", uint8(t))
}
