package eap

import (
	"encoding/hex"
	"strconv"
	"strings"

	"golang.org/x/crypto/cryptobyte"

	"github.com/sessionscope/sscope/dissect"
)

// EAP-MSCHAPv2 op-codes (draft-kamath-pppext-eap-mschapv2).
const (
	MSCHAPv2OpChallenge      uint8 = 1
	MSCHAPv2OpResponse       uint8 = 2
	MSCHAPv2OpSuccess        uint8 = 3
	MSCHAPv2OpFailure        uint8 = 4
	MSCHAPv2OpChangePassword uint8 = 7
)

// Field sizes (RFC 2759).
const (
	mschapChallengeLen      = 16
	mschapResponseValueLen  = 49 // Peer-Challenge 16, Reserved 8, NT-Response 24, Flags 1
	mschapNTResponseLen     = 24
	mschapEncPasswordLen    = 516
	mschapEncHashLen        = 16
	mschapChangePasswordLen = 4 + mschapEncPasswordLen + mschapEncHashLen + 16 + 8 + mschapNTResponseLen + 2
)

// MSCHAPv2 is the data of an EAP-MSCHAPv2 packet (type 26).
type MSCHAPv2 struct {
	OpCode     uint8
	MSCHAPv2ID uint8
	// MSLength is the MS-CHAPv2 length as sent (op-code to end); Marshal
	// computes its own.
	MSLength uint16
	// OpCodeOnly marks the 1-byte Success/Failure acknowledgement a peer
	// sends back (op-code only).
	OpCodeOnly bool

	Challenge []byte // op-code 1: 16-byte authenticator challenge

	PeerChallenge []byte // op-codes 2 and 7: 16 bytes
	Reserved      []byte // op-codes 2 and 7: 8 bytes, zero when well formed
	NTResponse    []byte // op-codes 2 and 7: 24 bytes, secret-derived
	Flags         uint8  // op-code 2

	Name string // op-codes 1 and 2

	Message      string           // op-codes 3 and 4 (requests)
	AuthResponse string           // op-code 3: the "S=<40 hex>" authenticator response
	Failure      *MSCHAPv2Failure // op-code 4: Message parsed

	EncryptedPassword []byte // op-code 7: 516 bytes
	EncryptedHash     []byte // op-code 7: 16 bytes
	ChangeFlags       uint16 // op-code 7
}

// OpCodeName names the op-code as Wireshark does.
func (m MSCHAPv2) OpCodeName() string {
	switch m.OpCode {
	case MSCHAPv2OpChallenge:
		return "Challenge"
	case MSCHAPv2OpResponse:
		return "Response"
	case MSCHAPv2OpSuccess:
		return "Success"
	case MSCHAPv2OpFailure:
		return "Failure"
	case MSCHAPv2OpChangePassword:
		return "Change-Password"
	}
	return "OpCode-" + strconv.Itoa(int(m.OpCode))
}

// MSCHAPv2Failure is the parsed failure message "E=691 R=1 C=<32 hex> V=3
// M=<text>" (RFC 2759 §6).
type MSCHAPv2Failure struct {
	Error     int    // E
	Retry     bool   // R=1
	Challenge []byte // C, 16 bytes when well formed
	Version   int    // V
	Message   string // M
}

// ErrorName names the E= code (RFC 2759 §6).
func (f MSCHAPv2Failure) ErrorName() string {
	switch f.Error {
	case 646:
		return "restricted logon hours"
	case 647:
		return "account disabled"
	case 648:
		return "password expired"
	case 649:
		return "no dial-in permission"
	case 691:
		return "authentication failure"
	case 709:
		return "changing password"
	}
	return "error " + strconv.Itoa(f.Error)
}

// String renders the failure message in its wire form.
func (f MSCHAPv2Failure) String() string {
	r := "0"
	if f.Retry {
		r = "1"
	}
	s := "E=" + strconv.Itoa(f.Error) + " R=" + r + " C=" + strings.ToUpper(hex.EncodeToString(f.Challenge)) + " V=" + strconv.Itoa(f.Version)
	if f.Message != "" {
		s += " M=" + f.Message
	}
	return s
}

// ParseMSCHAPv2Failure parses a failure message. Unknown tokens are skipped;
// a missing or unparsable E= is Malformed.
func ParseMSCHAPv2Failure(msg string) (MSCHAPv2Failure, error) {
	var f MSCHAPv2Failure
	seenE := false
	rest := msg
	for rest != "" {
		rest = strings.TrimLeft(rest, " ")
		if strings.HasPrefix(rest, "M=") {
			f.Message = rest[2:]
			break
		}
		tok := rest
		if i := strings.IndexByte(rest, ' '); i >= 0 {
			tok, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if len(tok) < 2 || tok[1] != '=' {
			continue
		}
		v := tok[2:]
		switch tok[0] {
		case 'E':
			if n, err := strconv.Atoi(v); err == nil {
				f.Error, seenE = n, true
			}
		case 'R':
			f.Retry = v == "1"
		case 'C':
			if c, err := hex.DecodeString(v); err == nil {
				f.Challenge = c
			}
		case 'V':
			if n, err := strconv.Atoi(v); err == nil {
				f.Version = n
			}
		}
	}
	if !seenE {
		return f, dissect.Errorf(dissect.Malformed, layer, -1, "MSCHAPv2 failure message without E=<code>")
	}
	return f, nil
}

// ParseMSCHAPv2 decodes the data of an EAP-MSCHAPv2 packet. The peer's
// Success and Failure acknowledgements are 1 byte (op-code only).
func ParseMSCHAPv2(p *Packet) (MSCHAPv2, error) {
	var m MSCHAPv2
	base := p.HeaderLen()
	s := cryptobyte.String(p.Data)
	if !s.ReadUint8(&m.OpCode) {
		return m, dissect.Errorf(dissect.Truncated, layer, base, "MSCHAPv2 without an op-code")
	}
	if s.Empty() && (m.OpCode == MSCHAPv2OpSuccess || m.OpCode == MSCHAPv2OpFailure) {
		m.OpCodeOnly = true
		return m, nil
	}
	if !s.ReadUint8(&m.MSCHAPv2ID) || !s.ReadUint16(&m.MSLength) {
		return m, dissect.Errorf(dissect.Truncated, layer, base+1, "MSCHAPv2 header needs 4 bytes, %d", len(p.Data))
	}
	var lenErr error
	if int(m.MSLength) != len(p.Data) {
		lenErr = dissect.Errorf(dissect.Malformed, layer, base+2, "MS-Length %d, %d bytes of MSCHAPv2 data", m.MSLength, len(p.Data))
	}
	switch m.OpCode {
	case MSCHAPv2OpChallenge, MSCHAPv2OpResponse:
		var v cryptobyte.String
		if !s.ReadUint8LengthPrefixed(&v) {
			return m, dissect.Errorf(dissect.Truncated, layer, base+4, "MSCHAPv2 value size %d, %d bytes left", firstByte(p.Data[4:]), len(s)-1)
		}
		m.Name = string(s)
		if m.OpCode == MSCHAPv2OpChallenge {
			m.Challenge = v
			if len(v) != mschapChallengeLen {
				return m, dissect.Errorf(dissect.Malformed, layer, base+4, "MSCHAPv2 challenge of %d bytes, want 16", len(v))
			}
			return m, lenErr
		}
		if len(v) != mschapResponseValueLen {
			return m, dissect.Errorf(dissect.Malformed, layer, base+4, "MSCHAPv2 response value of %d bytes, want 49", len(v))
		}
		m.PeerChallenge = v[:16]
		m.Reserved = v[16:24]
		m.NTResponse = v[24:48]
		m.Flags = v[48]
		return m, lenErr
	case MSCHAPv2OpSuccess, MSCHAPv2OpFailure:
		m.Message = string(s)
		if m.OpCode == MSCHAPv2OpSuccess {
			m.AuthResponse = authResponse(m.Message)
			return m, lenErr
		}
		f, err := ParseMSCHAPv2Failure(m.Message)
		m.Failure = &f
		if err != nil {
			return m, err
		}
		return m, lenErr
	case MSCHAPv2OpChangePassword:
		if !s.ReadBytes(&m.EncryptedPassword, mschapEncPasswordLen) || !s.ReadBytes(&m.EncryptedHash, mschapEncHashLen) ||
			!s.ReadBytes(&m.PeerChallenge, 16) || !s.ReadBytes(&m.Reserved, 8) ||
			!s.ReadBytes(&m.NTResponse, mschapNTResponseLen) || !s.ReadUint16(&m.ChangeFlags) {
			return m, dissect.Errorf(dissect.Truncated, layer, base+4, "MSCHAPv2 Change-Password needs %d bytes, %d", mschapChangePasswordLen, len(p.Data))
		}
		return m, lenErr
	}
	return m, dissect.Errorf(dissect.Unsupported, layer, base, "MSCHAPv2 op-code %d", m.OpCode)
}

// authResponse extracts "S=<40 hex>" from a success message.
func authResponse(msg string) string {
	i := strings.Index(msg, "S=")
	if i < 0 || len(msg) < i+42 {
		return ""
	}
	return msg[i : i+42]
}

// Marshal builds EAP-MSCHAPv2 type data from the fields for the op-code
// (MS-Length is computed). Byte fields shorter than their fixed size are
// zero-padded, longer ones cut.
func (m MSCHAPv2) Marshal() []byte {
	if m.OpCodeOnly {
		return []byte{m.OpCode}
	}
	var body []byte
	switch m.OpCode {
	case MSCHAPv2OpChallenge:
		body = append(body, mschapChallengeLen)
		body = appendFixed(body, m.Challenge, mschapChallengeLen)
		body = append(body, m.Name...)
	case MSCHAPv2OpResponse:
		body = append(body, mschapResponseValueLen)
		body = appendFixed(body, m.PeerChallenge, 16)
		body = appendFixed(body, m.Reserved, 8)
		body = appendFixed(body, m.NTResponse, mschapNTResponseLen)
		body = append(body, m.Flags)
		body = append(body, m.Name...)
	case MSCHAPv2OpSuccess:
		body = append(body, m.Message...)
	case MSCHAPv2OpFailure:
		msg := m.Message
		if msg == "" && m.Failure != nil {
			msg = m.Failure.String()
		}
		body = append(body, msg...)
	case MSCHAPv2OpChangePassword:
		body = appendFixed(body, m.EncryptedPassword, mschapEncPasswordLen)
		body = appendFixed(body, m.EncryptedHash, mschapEncHashLen)
		body = appendFixed(body, m.PeerChallenge, 16)
		body = appendFixed(body, m.Reserved, 8)
		body = appendFixed(body, m.NTResponse, mschapNTResponseLen)
		body = append(body, byte(m.ChangeFlags>>8), byte(m.ChangeFlags))
	}
	n := 4 + len(body)
	b := make([]byte, 0, n)
	b = append(b, m.OpCode, m.MSCHAPv2ID, byte(n>>8), byte(n))
	return append(b, body...)
}

func appendFixed(dst, v []byte, n int) []byte {
	if len(v) > n {
		v = v[:n]
	}
	dst = append(dst, v...)
	for i := len(v); i < n; i++ {
		dst = append(dst, 0)
	}
	return dst
}
