package capgen

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/binary"
)

// RADIUS codes the rewriter knows (RFC 2865, 2866, 5176, 5997).
const (
	radiusAccessRequest      = 1
	radiusAccessAccept       = 2
	radiusAccessReject       = 3
	radiusAccountingRequest  = 4
	radiusAccountingResponse = 5
	radiusAccessChallenge    = 11
	radiusStatusServer       = 12
	radiusDisconnectRequest  = 40
	radiusDisconnectACK      = 41
	radiusDisconnectNAK      = 42
	radiusCoARequest         = 43
	radiusCoAACK             = 44
	radiusCoANAK             = 45
)

// RADIUS attribute types the rewriter edits.
const (
	attrNASIPAddress         = 4
	attrState                = 24
	attrClass                = 25
	attrVendorSpecific       = 26
	attrCallingStationID     = 31
	attrAcctSessionID        = 44
	attrAcctMultiSessionID   = 50
	attrMessageAuthenticator = 80
	vendorCisco              = 9
	ciscoAVPair              = 1
	radiusHeaderLen          = 20
)

func isRADIUSRequest(code byte) bool {
	switch code {
	case radiusAccessRequest, radiusAccountingRequest, radiusStatusServer,
		radiusDisconnectRequest, radiusCoARequest:
		return true
	}
	return false
}

func isRADIUSResponse(code byte) bool {
	switch code {
	case radiusAccessAccept, radiusAccessReject, radiusAccessChallenge,
		radiusAccountingResponse, radiusDisconnectACK, radiusDisconnectNAK,
		radiusCoAACK, radiusCoANAK:
		return true
	}
	return false
}

// radiusEdit says how one RADIUS packet of a copy is rewritten.
type radiusEdit struct {
	// copy is the copy number: it offsets the identifier and stamps the
	// client-identifying attributes.
	copy uint32
	// nasIP, when 4 bytes, replaces NAS-IP-Address.
	nasIP []byte
	// secret, when set, makes the rewriter recompute Message-Authenticator
	// and the Request/Response Authenticator.
	secret []byte
	// requestAuth is, for a response, the authenticator of the rewritten
	// request it answers (nil when unknown).
	requestAuth *[16]byte
}

// rewriteRADIUS edits the RADIUS packet p in place: identifier offset by
// the copy number; Calling-Station-Id, State, Class, Acct-Session-Id,
// Acct-Multi-Session-Id and Cisco audit-session-id stamped with the copy
// number at the same length; NAS-IP-Address replaced; authenticators
// recomputed when a secret is given. It returns the packet's final
// authenticator. A malformed attribute list stops the attribute edits where
// it becomes malformed.
func rewriteRADIUS(p []byte, e radiusEdit) (auth [16]byte) {
	if len(p) < radiusHeaderLen {
		return auth
	}
	p[1] += byte(e.copy)
	n := int(binary.BigEndian.Uint16(p[2:]))
	if n < radiusHeaderLen || n > len(p) {
		copy(auth[:], p[4:20])
		return auth
	}
	p = p[:n]
	ma := -1
	for off := radiusHeaderLen; off+2 <= n; {
		l := int(p[off+1])
		if l < 2 || off+l > n {
			break
		}
		v := p[off+2 : off+l]
		switch p[off] {
		case attrCallingStationID:
			stampCallingStation(v, e.copy)
		case attrState, attrClass:
			stampBinary(v, e.copy)
		case attrAcctSessionID, attrAcctMultiSessionID:
			stampText(v, e.copy)
		case attrNASIPAddress:
			if len(v) == 4 && len(e.nasIP) == 4 {
				copy(v, e.nasIP)
			}
		case attrVendorSpecific:
			stampCiscoAudit(v, e.copy)
		case attrMessageAuthenticator:
			if len(v) == 16 {
				ma = off + 2
			}
		}
		off += l
	}
	if len(e.secret) > 0 {
		signRADIUS(p, ma, e.secret, e.requestAuth)
	}
	copy(auth[:], p[4:20])
	return auth
}

// signRADIUS recomputes Message-Authenticator (RFC 3579 §3.2, RFC 5176
// §3.3) and the authenticator of the packet (RFC 2865 §3, RFC 2866 §3,
// RFC 5176 §2.3), as FreeRADIUS signs packets.
func signRADIUS(p []byte, ma int, secret []byte, requestAuth *[16]byte) {
	code := p[0]
	var vector [16]byte // zero for Accounting, CoA and Disconnect requests
	switch {
	case code == radiusAccessRequest || code == radiusStatusServer:
		copy(vector[:], p[4:20]) // random Request Authenticator, kept
	case isRADIUSRequest(code):
	case isRADIUSResponse(code):
		if requestAuth == nil {
			return
		}
		vector = *requestAuth
	default:
		return
	}
	copy(p[4:20], vector[:])
	if ma >= 0 {
		clear(p[ma : ma+16])
		h := hmac.New(md5.New, secret)
		h.Write(p)
		copy(p[ma:ma+16], h.Sum(nil))
	}
	if code == radiusAccessRequest || code == radiusStatusServer {
		return
	}
	h := md5.New()
	h.Write(p)
	h.Write(secret)
	copy(p[4:20], h.Sum(nil))
}

// stampCallingStation gives a MAC-like Calling-Station-Id (12 hex digits
// in any punctuation) the value 02-00-00-xx-xx-xx with the copy number in
// the last three octets, keeping the punctuation and letter case; any
// other value is stamped with stampText.
func stampCallingStation(v []byte, c uint32) {
	digits, lower := 0, false
	for _, b := range v {
		if isHex(b) {
			digits++
		}
		if b >= 'a' && b <= 'f' {
			lower = true
		}
	}
	if digits != 12 {
		stampText(v, c)
		return
	}
	mac := uint64(0x020000)<<24 | uint64(c&0xffffff)
	k := 11
	for i := range v {
		if !isHex(v[i]) {
			continue
		}
		v[i] = hexDigit(byte(mac>>(4*uint(k))&0xf), lower)
		k--
	}
}

// stampText replaces the last six hex digits of a text value with the copy
// number in hex (decimal digits only, seven of them, when the value holds
// no hex letters), at the same length and in the same letter case.
func stampText(v []byte, c uint32) {
	letters, lower := false, false
	for _, b := range v {
		if (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F') {
			letters = true
			lower = lower || b >= 'a'
		}
	}
	if !letters {
		n := c % 10_000_000
		for i, k := len(v)-1, 0; i >= 0 && k < 7; i-- {
			if v[i] >= '0' && v[i] <= '9' {
				v[i] = '0' + byte(n%10)
				n /= 10
				k++
			}
		}
		return
	}
	for i, k := len(v)-1, 0; i >= 0 && k < 6; i-- {
		if isHex(v[i]) {
			v[i] = hexDigit(byte(c>>(4*uint(k))&0xf), lower)
			k++
		}
	}
}

// stampBinary XORs the last three octets of an opaque value with the copy
// number plus one, so every copy differs from the template and from every
// other copy.
func stampBinary(v []byte, c uint32) {
	x := c + 1
	for i := len(v) - 1; i >= 0 && i >= len(v)-3; i-- {
		v[i] ^= byte(x)
		x >>= 8
	}
}

// stampCiscoAudit stamps the value of a Cisco-AVPair
// "audit-session-id=..." held in the Vendor-Specific value v.
func stampCiscoAudit(v []byte, c uint32) {
	if len(v) < 6 || binary.BigEndian.Uint32(v) != vendorCisco || v[4] != ciscoAVPair {
		return
	}
	l := int(v[5])
	if l < 2 || 4+l > len(v) {
		return
	}
	val := v[6 : 4+l]
	const key = "audit-session-id="
	if len(val) > len(key) && string(val[:len(key)]) == key {
		stampText(val[len(key):], c)
	}
}

func isHex(b byte) bool {
	return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F')
}

func hexDigit(n byte, lower bool) byte {
	if n < 10 {
		return '0' + n
	}
	if lower {
		return 'a' + n - 10
	}
	return 'A' + n - 10
}
