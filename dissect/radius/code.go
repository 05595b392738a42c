package radius

import "strconv"

// Code is the RADIUS packet type (the first octet of the header), as
// registered by IANA in "RADIUS Packet Type Codes".
type Code uint8

// Packet type codes (RFC 2865, RFC 2866, RFC 3575, RFC 5176, RFC 5997,
// RFC 7930).
const (
	CodeAccessRequest                   Code = 1
	CodeAccessAccept                    Code = 2
	CodeAccessReject                    Code = 3
	CodeAccountingRequest               Code = 4
	CodeAccountingResponse              Code = 5
	CodeAccountingStatus                Code = 6
	CodePasswordRequest                 Code = 7
	CodePasswordAck                     Code = 8
	CodePasswordReject                  Code = 9
	CodeAccountingMessage               Code = 10
	CodeAccessChallenge                 Code = 11
	CodeStatusServer                    Code = 12
	CodeStatusClient                    Code = 13
	CodeResourceFreeRequest             Code = 21
	CodeResourceFreeResponse            Code = 22
	CodeResourceQueryRequest            Code = 23
	CodeResourceQueryResponse           Code = 24
	CodeAlternateResourceReclaimRequest Code = 25
	CodeNASRebootRequest                Code = 26
	CodeNASRebootResponse               Code = 27
	CodeNextPasscode                    Code = 29
	CodeNewPin                          Code = 30
	CodeTerminateSession                Code = 31
	CodePasswordExpired                 Code = 32
	CodeEventRequest                    Code = 33
	CodeEventResponse                   Code = 34
	CodeDisconnectRequest               Code = 40
	CodeDisconnectACK                   Code = 41
	CodeDisconnectNAK                   Code = 42
	CodeCoARequest                      Code = 43
	CodeCoAACK                          Code = 44
	CodeCoANAK                          Code = 45
	CodeIPAddressAllocate               Code = 50
	CodeIPAddressRelease                Code = 51
	CodeProtocolError                   Code = 52
)

var codeNames = [256]string{
	CodeAccessRequest:                   "Access-Request",
	CodeAccessAccept:                    "Access-Accept",
	CodeAccessReject:                    "Access-Reject",
	CodeAccountingRequest:               "Accounting-Request",
	CodeAccountingResponse:              "Accounting-Response",
	CodeAccountingStatus:                "Accounting-Status",
	CodePasswordRequest:                 "Password-Request",
	CodePasswordAck:                     "Password-Ack",
	CodePasswordReject:                  "Password-Reject",
	CodeAccountingMessage:               "Accounting-Message",
	CodeAccessChallenge:                 "Access-Challenge",
	CodeStatusServer:                    "Status-Server",
	CodeStatusClient:                    "Status-Client",
	CodeResourceFreeRequest:             "Resource-Free-Request",
	CodeResourceFreeResponse:            "Resource-Free-Response",
	CodeResourceQueryRequest:            "Resource-Query-Request",
	CodeResourceQueryResponse:           "Resource-Query-Response",
	CodeAlternateResourceReclaimRequest: "Alternate-Resource-Reclaim-Request",
	CodeNASRebootRequest:                "NAS-Reboot-Request",
	CodeNASRebootResponse:               "NAS-Reboot-Response",
	CodeNextPasscode:                    "Next-Passcode",
	CodeNewPin:                          "New-Pin",
	CodeTerminateSession:                "Terminate-Session",
	CodePasswordExpired:                 "Password-Expired",
	CodeEventRequest:                    "Event-Request",
	CodeEventResponse:                   "Event-Response",
	CodeDisconnectRequest:               "Disconnect-Request",
	CodeDisconnectACK:                   "Disconnect-ACK",
	CodeDisconnectNAK:                   "Disconnect-NAK",
	CodeCoARequest:                      "CoA-Request",
	CodeCoAACK:                          "CoA-ACK",
	CodeCoANAK:                          "CoA-NAK",
	CodeIPAddressAllocate:               "IP-Address-Allocate",
	CodeIPAddressRelease:                "IP-Address-Release",
	CodeProtocolError:                   "Protocol-Error",
}

// String returns the registered name of the code, "Code-<n>" when the code
// is not registered.
func (c Code) String() string {
	if n := codeNames[c]; n != "" {
		return n
	}
	return "Code-" + strconv.Itoa(int(c))
}

// Known reports whether c is a registered packet type.
func (c Code) Known() bool { return codeNames[c] != "" }

// IsRequest reports whether c starts an exchange: a client (or, for
// CoA/Disconnect, the Dynamic Authorization Client) sends it and waits for
// one of the codes Responses returns.
func (c Code) IsRequest() bool {
	switch c {
	case CodeAccessRequest, CodeAccountingRequest, CodeStatusServer,
		CodeDisconnectRequest, CodeCoARequest:
		return true
	}
	return false
}

// IsResponse reports whether c answers one of the requests IsRequest knows.
func (c Code) IsResponse() bool {
	switch c {
	case CodeAccessAccept, CodeAccessReject, CodeAccessChallenge,
		CodeAccountingResponse, CodeDisconnectACK, CodeDisconnectNAK,
		CodeCoAACK, CodeCoANAK, CodeProtocolError:
		return true
	}
	return false
}

// ResponseTo reports whether a packet with code c is a valid answer to a
// request with code req: Access-Request is answered by Access-Accept,
// Access-Reject or Access-Challenge; Accounting-Request by
// Accounting-Response; Disconnect-Request by Disconnect-ACK or -NAK;
// CoA-Request by CoA-ACK or -NAK; Status-Server by Access-Accept or
// Accounting-Response (RFC 5997). Protocol-Error (RFC 7930) answers any of
// them.
func (c Code) ResponseTo(req Code) bool {
	if c == CodeProtocolError {
		return req.IsRequest()
	}
	switch req {
	case CodeAccessRequest:
		return c == CodeAccessAccept || c == CodeAccessReject || c == CodeAccessChallenge
	case CodeAccountingRequest:
		return c == CodeAccountingResponse
	case CodeDisconnectRequest:
		return c == CodeDisconnectACK || c == CodeDisconnectNAK
	case CodeCoARequest:
		return c == CodeCoAACK || c == CodeCoANAK
	case CodeStatusServer:
		return c == CodeAccessAccept || c == CodeAccountingResponse
	}
	return false
}

// Responses returns the codes that answer request c (see ResponseTo), in
// code order, or nil when c is not a request. The slice is new on every call.
func (c Code) Responses() []Code {
	if !c.IsRequest() {
		return nil
	}
	var out []Code
	for r := 0; r < 256; r++ {
		if Code(r).ResponseTo(c) {
			out = append(out, Code(r))
		}
	}
	return out
}
