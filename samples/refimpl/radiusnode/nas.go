package radiusnode

import (
	"errors"
	"fmt"
	"io"
	"net/netip"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
)

// NAS-Port-Type and Service-Type values the NAS sends (RFC 2865, RFC
// 4603 for the port types).
const (
	PortTypeEthernet uint32 = 15
	PortTypeWireless uint32 = 19 // Wireless-802.11
	ServiceFramed    uint32 = 2  // Framed-User
	// DefaultFramedMTU is what 802.1X switches commonly announce.
	DefaultFramedMTU uint32 = 1400
	// DefaultMaxRounds caps the Access-Requests of one authentication.
	DefaultMaxRounds = 128
)

// Supplicant is the EAP peer as the NAS sees it over EAPOL.
type Supplicant interface {
	// Respond returns the response to an EAP packet from the
	// authenticator, or nil when none is due (after EAP-Success or
	// EAP-Failure).
	Respond(eapPacket []byte) ([]byte, error)
}

// NAS is the authenticator in pass-through mode (RFC 3579): it asks the
// supplicant for its identity, then relays EAP between the supplicant and
// the RADIUS server. Set the fields, then call Authenticate once per
// authentication; the RADIUS identifier keeps counting across them.
type NAS struct {
	// Secret is the shared secret with the server (required).
	Secret []byte
	// Transport reaches the server (required).
	Transport Transport
	// Rand gives Request Authenticators and the first identifiers
	// (required).
	Rand io.Reader

	IP               netip.Addr // NAS-IP-Address (omitted when invalid)
	Identifier       string     // NAS-Identifier (omitted when empty)
	Port             uint32     // NAS-Port
	PortType         uint32     // NAS-Port-Type: PortTypeEthernet or PortTypeWireless
	CalledStationID  string     // the switch port or AP MAC, e.g. "02-00-5E-10-00-01"
	CallingStationID string     // the supplicant MAC, "02-00-5E-10-00-02"
	FramedMTU        uint32     // default DefaultFramedMTU
	AuditSessionID   string     // sent as cisco-av-pair "audit-session-id=..." (omitted when empty)

	// OnEAP, when set, sees every EAP packet between the NAS and the
	// supplicant (the EAPOL leg): fromPeer is true for the supplicant's.
	OnEAP func(fromPeer bool, pkt []byte)
	// MaxRounds overrides DefaultMaxRounds.
	MaxRounds int

	nextID    uint8
	started   bool
	nextEAPID uint8
}

// Result is how one authentication ended at the NAS.
type Result struct {
	// Code is Access-Accept or Access-Reject.
	Code radius.Code
	// Answer is the final answer, decoded.
	Answer *radius.Packet
	// UserName is the identity the supplicant gave (the User-Name sent).
	UserName string
	// RecvKey and SendKey are the MS-MPPE keys of an Access-Accept,
	// revealed with the shared secret.
	RecvKey, SendKey []byte
	// SessionTimeout is the Access-Accept's Session-Timeout in seconds,
	// when HasSessionTimeout.
	SessionTimeout    uint32
	HasSessionTimeout bool
	// Requests counts the Access-Requests built (retransmissions not
	// included).
	Requests int
}

// Errors of Authenticate.
var (
	ErrBadAnswer        = errors.New("radiusnode: answer failed verification")
	ErrSupplicantSilent = errors.New("radiusnode: supplicant gave no response")
	ErrTooManyRounds    = errors.New("radiusnode: too many rounds")
)

// Authenticate runs one authentication of s: EAP-Request/Identity from
// the NAS, then Access-Requests carrying the supplicant's responses until
// the server accepts or rejects. The final EAP-Success or EAP-Failure is
// passed to the supplicant.
func (n *NAS) Authenticate(s Supplicant) (*Result, error) {
	if err := n.start(); err != nil {
		return nil, err
	}
	idReq := (&eap.Packet{Code: eap.CodeRequest, Identifier: n.nextEAPID, Type: eap.TypeIdentity}).Marshal()
	n.nextEAPID++
	resp, err := n.ask(s, idReq)
	if err != nil {
		return nil, err
	}
	var pkt eap.Packet
	if err := pkt.DecodeFromBytes(resp); err != nil || pkt.Code != eap.CodeResponse || pkt.Type != eap.TypeIdentity {
		return nil, fmt.Errorf("radiusnode: supplicant answered the identity request with %x", resp)
	}
	res := &Result{UserName: eap.ParseIdentity(pkt.Data)}
	var state []byte
	max := n.MaxRounds
	if max <= 0 {
		max = DefaultMaxRounds
	}
	for res.Requests < max {
		req, err := n.AccessRequest(res.UserName, resp, state)
		if err != nil {
			return res, err
		}
		res.Requests++
		raw, err := n.Transport.Exchange(req)
		if err != nil {
			return res, err
		}
		ans, err := n.ReadAnswer(raw, req)
		if err != nil {
			return res, err
		}
		msg, hasEAP := ans.EAPMessage()
		switch ans.Code {
		case radius.CodeAccessChallenge:
			if !hasEAP {
				return res, fmt.Errorf("%w: Access-Challenge without EAP-Message", ErrBadAnswer)
			}
			state, _ = ans.State()
			if resp, err = n.ask(s, msg); err != nil {
				return res, err
			}
			continue
		case radius.CodeAccessAccept:
			if err := n.readAccept(res, ans, req); err != nil {
				return res, err
			}
		}
		res.Code, res.Answer = ans.Code, ans
		if hasEAP {
			n.trace(false, msg)
			if _, err := s.Respond(msg); err != nil {
				return res, err
			}
		}
		return res, nil
	}
	return res, ErrTooManyRounds
}

func (n *NAS) start() error {
	if n.started {
		return nil
	}
	var b [2]byte
	if _, err := io.ReadFull(n.Rand, b[:]); err != nil {
		return err
	}
	n.nextID, n.nextEAPID, n.started = b[0], b[1], true
	return nil
}

// ask passes an EAP packet to the supplicant and returns its response.
func (n *NAS) ask(s Supplicant, msg []byte) ([]byte, error) {
	n.trace(false, msg)
	resp, err := s.Respond(msg)
	if err != nil {
		return nil, err
	}
	if resp == nil {
		return nil, ErrSupplicantSilent
	}
	n.trace(true, resp)
	return resp, nil
}

func (n *NAS) trace(fromPeer bool, pkt []byte) {
	if n.OnEAP != nil {
		n.OnEAP(fromPeer, pkt)
	}
}

// AccessRequest builds the next Access-Request of a conversation: the
// NAS's attributes, the EAP packet split into EAP-Message attributes, the
// State of the last Access-Challenge (nil on the first request) and the
// Message-Authenticator. Each call takes a new identifier.
func (n *NAS) AccessRequest(userName string, eapMsg, state []byte) ([]byte, error) {
	if err := n.start(); err != nil {
		return nil, err
	}
	p := radius.Packet{Code: radius.CodeAccessRequest, Identifier: n.nextID}
	if _, err := io.ReadFull(n.Rand, p.Authenticator[:]); err != nil {
		return nil, err
	}
	n.nextID++
	mtu := n.FramedMTU
	if mtu == 0 {
		mtu = DefaultFramedMTU
	}
	a := []radius.Attribute{
		radius.TextAttribute(radius.AttrUserName, userName),
		radius.Uint32Attribute(radius.AttrServiceType, ServiceFramed),
		radius.Uint32Attribute(radius.AttrFramedMTU, mtu),
	}
	if n.CalledStationID != "" {
		a = append(a, radius.TextAttribute(radius.AttrCalledStationID, n.CalledStationID))
	}
	if n.CallingStationID != "" {
		a = append(a, radius.TextAttribute(radius.AttrCallingStationID, n.CallingStationID))
	}
	if len(state) > 0 {
		a = append(a, radius.BytesAttribute(radius.AttrState, state))
	}
	a = append(a, radius.EAPMessageAttributes(eapMsg)...)
	a = append(a, radius.BytesAttribute(radius.AttrMessageAuthenticator, make([]byte, 16)))
	if n.AuditSessionID != "" {
		a = append(a, radius.CiscoAVPairAttribute("audit-session-id", n.AuditSessionID))
	}
	if n.IP.IsValid() {
		a = append(a, radius.AddrAttribute(radius.AttrNASIPAddress, n.IP))
	}
	if n.Identifier != "" {
		a = append(a, radius.TextAttribute(radius.AttrNASIdentifier, n.Identifier))
	}
	a = append(a,
		radius.Uint32Attribute(radius.AttrNASPort, n.Port),
		radius.Uint32Attribute(radius.AttrNASPortType, n.PortType))
	p.Attributes = a
	b, err := p.Marshal()
	if err != nil {
		return nil, err
	}
	if err := radius.SetMessageAuthenticator(b, n.Secret, nil); err != nil {
		return nil, err
	}
	return b, nil
}

// ReadAnswer decodes and verifies the answer to request: same identifier,
// a code that answers an Access-Request, the Response Authenticator, and
// the Message-Authenticator (required when the answer carries EAP). The
// returned packet owns its bytes.
func (n *NAS) ReadAnswer(answer, request []byte) (*radius.Packet, error) {
	if len(request) < radius.HeaderLen {
		return nil, fmt.Errorf("%w: request too short", ErrBadAnswer)
	}
	reqAuth := [16]byte(request[4:radius.HeaderLen])
	p, err := radius.Parse(append([]byte(nil), answer...))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadAnswer, err)
	}
	switch {
	case p.Identifier != request[1]:
		return nil, fmt.Errorf("%w: identifier %d answers %d", ErrBadAnswer, p.Identifier, request[1])
	case p.Code != radius.CodeAccessAccept && p.Code != radius.CodeAccessReject && p.Code != radius.CodeAccessChallenge:
		return nil, fmt.Errorf("%w: %s does not answer an Access-Request", ErrBadAnswer, p.Code)
	case !radius.VerifyResponseAuthenticator(p.Raw, reqAuth, n.Secret):
		return nil, fmt.Errorf("%w: wrong Response Authenticator", ErrBadAnswer)
	}
	if p.HasMessageAuthenticator() {
		ok, err := radius.VerifyMessageAuthenticator(p.Raw, n.Secret, &reqAuth)
		if err != nil || !ok {
			return nil, fmt.Errorf("%w: wrong Message-Authenticator", ErrBadAnswer)
		}
	} else if p.Has(radius.AttrEAPMessage) {
		return nil, fmt.Errorf("%w: EAP-Message without Message-Authenticator", ErrBadAnswer)
	}
	return p, nil
}

// readAccept reveals the MPPE keys and reads the Session-Timeout of an
// Access-Accept.
func (n *NAS) readAccept(res *Result, ans *radius.Packet, req []byte) error {
	reqAuth := [16]byte(req[4:radius.HeaderLen])
	for _, k := range []struct {
		typ uint8
		dst *[]byte
	}{{radius.MSMPPERecvKey, &res.RecvKey}, {radius.MSMPPESendKey, &res.SendKey}} {
		vals := ans.Vendor(radius.VendorMicrosoft, k.typ)
		if len(vals) == 0 {
			continue
		}
		key, err := radius.DecryptMPPEKey(vals[0], n.Secret, reqAuth)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrBadAnswer, err)
		}
		*k.dst = key
	}
	res.SessionTimeout, res.HasSessionTimeout = ans.Uint32(radius.AttrSessionTimeout)
	return nil
}
